#include "app/users.h"

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/audit.h"
#include "domain/audit.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

// A change must leave someone able to manage users.
absl::Status KeepAnAdministrator(store::Transaction& tx) {
  ASSIGN_OR_RETURN(int admins, tx.CountAdministrators());
  if (admins == 0) {
    return absl::FailedPreconditionError(
        "this would leave no enabled administrator; make another administrator first");
  }
  return absl::OkStatus();
}

// One administrator's change to one user: `change` updates the stored user
// and `user`; the change must leave an administrator, and is audited with
// the user before and after.
absl::StatusOr<domain::User> ChangeUser(store::Transaction& tx, const WriteContext& ctx,
                                        absl::string_view user_name, domain::AuditAction action,
                                        absl::string_view reason,
                                        absl::FunctionRef<absl::Status(domain::User&)> change) {
  ASSIGN_OR_RETURN(store::UserAccount before, tx.GetUser(user_name));
  domain::User after = before.user;
  RETURN_IF_ERROR(change(after));
  RETURN_IF_ERROR(KeepAnAdministrator(tx));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, action, UserResource(after.name),
                              UserJson(before.user), UserJson(after), reason, ctx.request_id));
  return after;
}

domain::User UserOf(const WriteContext& ctx, const NewUser& user) {
  return domain::User{user.user_name, user.full_name, user.roles, false, ctx.now, ctx.user};
}

}  // namespace

std::string UserResource(absl::string_view user_name) { return absl::StrCat("users/", user_name); }

std::string UserJson(const domain::User& user) {
  return absl::StrCat("{\"user_name\":", domain::JsonString(user.name),
                      ",\"full_name\":", domain::JsonString(user.full_name), ",\"roles\":[",
                      absl::StrJoin(user.roles, ",",
                                    [](std::string* out, domain::Role role) {
                                      absl::StrAppend(out, "\"", domain::RoleName(role), "\"");
                                    }),
                      "],\"disabled\":", user.disabled ? "true" : "false", "}");
}

absl::StatusOr<domain::User> CreateUser(store::Transaction& tx, const WriteContext& ctx,
                                        const NewUser& request) {
  const domain::User user = UserOf(ctx, request);
  RETURN_IF_ERROR(domain::ValidateRoles(user.roles));
  RETURN_IF_ERROR(domain::ValidateNewUser(user));
  RETURN_IF_ERROR(tx.InsertUser(user, request.password_hash, ctx.user));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kUserCreate,
                              UserResource(user.name), "", UserJson(user), "", ctx.request_id));
  return user;
}

absl::StatusOr<domain::User> BootstrapAdministrator(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    const NewUser& request) {
  const domain::User user = UserOf(ctx, request);
  RETURN_IF_ERROR(domain::ValidateNewUser(user));
  ASSIGN_OR_RETURN(int admins, tx.CountAdministrators());
  if (admins > 0) {
    return absl::FailedPreconditionError(
        "an administrator exists already: administrators create further users "
        "(`cpc user create`)");
  }
  // Typed by the administrator themself at the server: their own password.
  RETURN_IF_ERROR(tx.InsertUser(user, request.password_hash, user.name));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kUserCreate,
                              UserResource(user.name), "", UserJson(user),
                              "bootstrap administrator", ctx.request_id));
  return user;
}

absl::StatusOr<domain::User> DisableUser(store::Transaction& tx, const WriteContext& ctx,
                                         absl::string_view user_name, absl::string_view reason) {
  RETURN_IF_ERROR(domain::CheckFreeText("reason", reason, 1000, true));
  return ChangeUser(tx, ctx, user_name, domain::AuditAction::kUserDisable, reason,
                    [&](domain::User& user) -> absl::Status {
                      user.disabled = true;
                      RETURN_IF_ERROR(tx.SetUserDisabled(user.name, true));
                      return tx.RevokeSessionsOf(user.name);
                    });
}

absl::StatusOr<domain::User> SetUserRoles(store::Transaction& tx, const WriteContext& ctx,
                                          absl::string_view user_name,
                                          const std::vector<domain::Role>& roles,
                                          absl::string_view reason) {
  RETURN_IF_ERROR(domain::ValidateRoleChange(ctx.user, user_name));
  RETURN_IF_ERROR(domain::CheckFreeText("reason", reason, 1000, false));
  RETURN_IF_ERROR(domain::ValidateRoles(roles));
  return ChangeUser(tx, ctx, user_name, domain::AuditAction::kUserSetRoles, reason,
                    [&](domain::User& user) {
                      user.roles = roles;
                      return tx.SetUserRoles(user.name, roles);
                    });
}

absl::StatusOr<domain::User> ResetPassword(store::Transaction& tx, const WriteContext& ctx,
                                           absl::string_view user_name,
                                           absl::string_view password_hash) {
  RETURN_IF_ERROR(domain::ValidatePasswordReset(ctx.user, user_name));
  return ChangeUser(tx, ctx, user_name, domain::AuditAction::kUserResetPassword,
                    "password reset; sessions ended", [&](domain::User& user) -> absl::Status {
                      RETURN_IF_ERROR(tx.SetPasswordHash(user.name, password_hash, ctx.user));
                      return tx.RevokeSessionsOf(user.name);
                    });
}

absl::Status OpenSession(store::Transaction& tx, const WriteContext& ctx,
                         const NewSession& session) {
  const std::string& name = ctx.user;
  if (!session.new_password_hash.empty()) {
    RETURN_IF_ERROR(tx.SetPasswordHash(name, session.new_password_hash, name));
    RETURN_IF_ERROR(tx.RevokeSessionsOf(name));
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, name, domain::AuditAction::kUserChangePassword,
                                UserResource(name), "", "",
                                "password changed by its owner; other sessions ended",
                                ctx.request_id));
  }
  RETURN_IF_ERROR(
      tx.InsertSession(session.token_hash, store::SessionRow{name, ctx.now, session.expires_at}));
  return AppendAudit(tx, ctx.now, name, domain::AuditAction::kUserLogin, UserResource(name), "",
                     "", session.peer, ctx.request_id);
}

absl::Status EndSession(store::Transaction& tx, const WriteContext& ctx,
                        absl::string_view token_hash) {
  RETURN_IF_ERROR(tx.RevokeSession(token_hash));
  return AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kUserLogout,
                     UserResource(ctx.user), "", "", "", ctx.request_id);
}

absl::Status RecordSignInFailures(store::Transaction& tx, const WriteContext& ctx,
                                  const std::vector<domain::SignInFailureReport>& reports) {
  for (const domain::SignInFailureReport& r : reports) {
    domain::JsonObject users;
    for (const auto& [name, count] : r.by_user) users.Add(name, count);
    domain::JsonObject value;
    value.Add("peer", r.peer)
        .Add("first", r.first)
        .Add("last", r.last)
        .Add("failures", r.failures)
        .Add("refused_by_limits", r.refused)
        .Add("unknown_names", r.unknown_names)
        .AddRaw("by_user", users.Build());
    RETURN_IF_ERROR(AppendAudit(
        tx, ctx.now, ctx.user, domain::AuditAction::kUserLoginFailures,
        absl::StrCat("peers/", r.peer), "", value.Build(),
        absl::StrCat(r.failures, " failed and ", r.refused, " refused sign-ins from ", r.peer),
        ctx.request_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::Qualification> RecordQualification(store::Transaction& tx,
                                                          const WriteContext& ctx,
                                                          const NewQualification& request) {
  const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.zone);
  domain::Qualification q;
  q.user_name = request.user_name;
  q.procedure = request.procedure;
  q.qualified_on = request.qualified_on.value_or(today);
  q.expires_on = request.expires_on;
  q.evidence = request.evidence;
  q.recorded_at = ctx.now;
  q.recorded_by = ctx.user;
  RETURN_IF_ERROR(domain::ValidateQualification(q, today));
  RETURN_IF_ERROR(tx.GetUser(q.user_name).status());
  RETURN_IF_ERROR(tx.InsertQualification(q));
  RETURN_IF_ERROR(AppendAudit(
      tx, ctx.now, ctx.user, domain::AuditAction::kUserQualify,
      absl::StrCat("users/", q.user_name, "/qualifications/", q.qualification_id), "",
      domain::ToJson(q), q.evidence, ctx.request_id));
  return q;
}

}  // namespace cpctrack::app
