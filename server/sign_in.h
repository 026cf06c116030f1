// Checking a password (a login, a signature, an administrator's reset) so
// that sign-in cannot be used against cpcd: the limits of
// domain/sign_in_throttle.h are checked before any hash or write, a name no
// user has costs one Argon2id verification like any other (a dummy hash),
// every refusal gets the same answer, and failures are audited as one entry
// per peer and window. Callable from wherever hashing runs (a hashing pool).
#ifndef CPCTRACK_SERVER_SIGN_IN_H_
#define CPCTRACK_SERVER_SIGN_IN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/sign_in_throttle.h"
#include "server/credentials.h"
#include "store/store.h"

namespace cpctrack::server {

// The one answer to every refused sign-in.
inline constexpr char kSignInRefused[] = "user name or password not accepted";

// The process's limits and the cost of the dummy hash (the cost of new
// passwords). Call once at start-up, before serving; later calls replace the
// throttle (its counts start again).
void ConfigureSignIn(const domain::SignInLimits& limits, PasswordHashing hashing);
domain::SignInThrottle& SignInThrottle();

// Verifies `password` against `stored_hash`, or against a dummy hash of the
// configured cost when `stored_hash` is empty (a name no user has), so both
// cost one Argon2id verification. False for the dummy.
bool VerifyPasswordOrDummy(absl::string_view stored_hash, absl::string_view password);
// Argon2id verifications this process has run, dummies included.
int64_t PasswordVerifications();
// Sign-ins checked and refused, and refused by a limit unchecked (metrics).
int64_t SignInFailures();
int64_t SignInRefusals();

// Checks `password` for `user_name`, attempted from `peer` (gRPC's peer text
// or an address; "" for a caller already signed in, e.g. a signature): first
// the limits, then one verification. UNAUTHENTICATED kSignInRefused for a
// limit, an unknown name or a wrong password alike. Writes nothing but, when
// a peer's report window has ended, its aggregate audit entry.
absl::StatusOr<store::UserAccount> CheckPassword(store::Store& store, absl::string_view user_name,
                                                 absl::string_view password,
                                                 absl::string_view purpose, absl::Time now,
                                                 absl::string_view peer = "");

// Appends one "user.login_failures" audit entry per finished report window
// (all open windows with `all`, e.g. at shutdown).
absl::Status FlushSignInReports(store::Store& store, absl::Time now, bool all);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SIGN_IN_H_
