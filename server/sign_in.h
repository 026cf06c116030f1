// Checking a password (a login, a signature, an administrator's reset) so
// that sign-in cannot be used against cpcd: the limits of
// domain/sign_in_throttle.h are checked before any hash or write, a name no
// user has costs one Argon2id verification like any other (a dummy hash),
// every refusal gets the same answer, and failures are audited as one entry
// per peer and window. Verifications run on the PasswordPool; the limits
// (max_in_flight) bound how many wait there.
#ifndef CPCTRACK_SERVER_SIGN_IN_H_
#define CPCTRACK_SERVER_SIGN_IN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/sign_in_throttle.h"
#include "absl/functional/any_invocable.h"
#include "server/credentials.h"
#include "server/password_pool.h"
#include "server/reply.h"
#include "store/store.h"

namespace cpctrack::server {

// The one answer to every refused sign-in.
inline constexpr char kSignInRefused[] = "user name or password not accepted";

// The process's limits and the cost of the dummy hash (the cost of new
// passwords). Call once at start-up, before serving; later calls replace the
// throttle (its counts start again).
void ConfigureSignIn(const domain::SignInLimits& limits, PasswordHashing hashing);
domain::SignInThrottle& SignInThrottle();

// Argon2id verifications sign-in checks have started, dummies included: a
// name no user has is verified against a dummy hash of the configured cost,
// so it costs what a wrong password costs.
int64_t PasswordVerifications();
// Sign-ins checked and refused, and refused by a limit unchecked (metrics).
int64_t SignInFailures();
int64_t SignInRefusals();

// Checks `password` for `user_name`, attempted from `peer` (gRPC's peer text
// or an address; for a signature, who signs): first the limits, then one
// verification on `pool`. UNAUTHENTICATED kSignInRefused for a limit, an
// unknown name or a wrong password alike. When the password matches, `next`
// (on a pool thread, so it must capture copies) gets the account and says
// what the call answers. Writes nothing but, when a peer's report window has
// ended, its aggregate audit entry (queued, never waited for).
Reply CheckPassword(store::Store& store, PasswordPool& pool, absl::string_view user_name,
                    absl::string_view password, absl::string_view purpose, absl::Time now,
                    absl::string_view peer,
                    absl::AnyInvocable<Reply(store::UserAccount) &&> next);

// `reply`, with a refused password's answer (kSignInRefused) prefixed by
// `prefix` (which password: "admin_password: not accepted: "); every other
// answer unchanged.
Reply LabelRefusal(Reply reply, std::string prefix);

// The same check on this thread, blocking: for start-up (the console's
// acknowledgement of an audit break) and tests, never in a handler.
absl::StatusOr<store::UserAccount> CheckPasswordNow(store::Store& store,
                                                    absl::string_view user_name,
                                                    absl::string_view password,
                                                    absl::string_view purpose, absl::Time now,
                                                    absl::string_view peer);

// Appends one "user.login_failures" audit entry per finished report window
// (all open windows with `all`, e.g. at shutdown). Blocking: for cpcd's
// background thread and shutdown.
absl::Status FlushSignInReports(store::Store& store, absl::Time now, bool all);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SIGN_IN_H_
