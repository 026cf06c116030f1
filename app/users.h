// People: user accounts (creation, roles, disabling, passwords), their
// sessions and sign-in reports, and their qualifications. Proto-free and
// hash-free: a password arrives here already hashed (cpcd hashes on its
// password pool; the bench fill uses a hash nobody can sign in with).
#ifndef CPCTRACK_APP_USERS_H_
#define CPCTRACK_APP_USERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/write_context.h"
#include "domain/access.h"
#include "domain/qualification.h"
#include "domain/sign_in_throttle.h"
#include "store/store.h"

namespace cpctrack::app {

// "users/lab.tech1": a user's audit resource.
std::string UserResource(absl::string_view user_name);

// The audit trail's view of a user: never the password hash.
std::string UserJson(const domain::User& user);

struct NewUser {
  std::string user_name;
  std::string full_name;
  std::vector<domain::Role> roles;
  std::string password_hash;  // Argon2id (crypto_pwhash_str), made by the caller
};

// `ctx.user` (an administrator) creates the user at `ctx.now`; the password
// counts as set by them (its owner must replace it at the first sign-in).
// InvalidArgument for bad roles or names (domain::ValidateRoles,
// ValidateNewUser); AlreadyExists for a taken name.
absl::StatusOr<domain::User> CreateUser(store::Transaction& tx, const WriteContext& ctx,
                                        const NewUser& user);

// The first administrator, made at the server by `ctx.user` ("cpcd
// bootstrap-admin", `ctx.request_id` empty); the password, typed there by
// the administrator themself, is their own. FailedPrecondition once any
// administrator exists.
absl::StatusOr<domain::User> BootstrapAdministrator(store::Transaction& tx,
                                                    const WriteContext& ctx, const NewUser& user);

// `ctx.user` disables `user_name` for `reason` (required) and ends their
// sessions. FailedPrecondition when that would leave no enabled administrator.
absl::StatusOr<domain::User> DisableUser(store::Transaction& tx, const WriteContext& ctx,
                                         absl::string_view user_name, absl::string_view reason);

// `ctx.user` gives `user_name` exactly `roles`, for `reason` (optional).
// PermissionDenied for their own roles; FailedPrecondition when that would
// leave no enabled administrator.
absl::StatusOr<domain::User> SetUserRoles(store::Transaction& tx, const WriteContext& ctx,
                                          absl::string_view user_name,
                                          const std::vector<domain::Role>& roles,
                                          absl::string_view reason);

// `ctx.user` (an administrator, whose own password the caller checked) sets
// `user_name`'s password to `password_hash` and ends their sessions.
absl::StatusOr<domain::User> ResetPassword(store::Transaction& tx, const WriteContext& ctx,
                                           absl::string_view user_name,
                                           absl::string_view password_hash);

struct NewSession {
  std::string token_hash;  // of the bearer token handed to the user
  absl::Time expires_at;
  std::string peer;  // where from: the audit entry's reason
  // Not empty: the owner's new password replaces the old one (one someone
  // else set) and their other sessions end, first.
  std::string new_password_hash;
};

// `ctx.user` signs in at `ctx.now` (their password checked by the caller).
absl::Status OpenSession(store::Transaction& tx, const WriteContext& ctx,
                         const NewSession& session);

// `ctx.user` signs out: the session whose token hashes to `token_hash` ends.
absl::Status EndSession(store::Transaction& tx, const WriteContext& ctx,
                        absl::string_view token_hash);

// One "user.login_failures" entry per report, at `ctx.now` under actor
// `ctx.user` (cpcd's "-").
absl::Status RecordSignInFailures(store::Transaction& tx, const WriteContext& ctx,
                                  const std::vector<domain::SignInFailureReport>& reports);

struct NewQualification {
  std::string user_name;
  domain::Procedure procedure = domain::Procedure::kUnspecified;
  std::optional<absl::CivilDay> qualified_on;  // none: `ctx.now`'s day in `ctx.zone`
  absl::CivilDay expires_on;
  std::string evidence;  // the training record
};

// `ctx.user` records that `q.user_name` is qualified for a procedure.
// InvalidArgument per domain::ValidateQualification; NotFound for an unknown
// user. The result has its ID.
absl::StatusOr<domain::Qualification> RecordQualification(store::Transaction& tx,
                                                          const WriteContext& ctx,
                                                          const NewQualification& q);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_USERS_H_
