#include "server/auth_service.h"

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/audit.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/credentials.h"
#include "server/password_pool.h"

namespace cpctrack::server {
namespace {

std::string UserResource(absl::string_view user_name) { return absl::StrCat("users/", user_name); }

// The audit trail's view of a user: never the password hash.
std::string UserJson(const domain::User& user) {
  return absl::StrCat("{\"user_name\":", domain::JsonString(user.name),
                      ",\"full_name\":", domain::JsonString(user.full_name), ",\"roles\":[",
                      absl::StrJoin(user.roles, ",",
                                    [](std::string* out, domain::Role role) {
                                      absl::StrAppend(out, "\"", domain::RoleName(role), "\"");
                                    }),
                      "],\"disabled\":", user.disabled ? "true" : "false", "}");
}

absl::StatusOr<std::vector<domain::Role>> RolesFromProto(
    const google::protobuf::RepeatedField<int>& roles) {
  std::vector<domain::Role> out;
  for (int role : roles) {
    if (role < static_cast<int>(domain::Role::kTechnician) ||
        role > static_cast<int>(domain::Role::kPhysician)) {
      return absl::InvalidArgumentError(absl::StrCat("roles: ", role, " is not a role"));
    }
    out.push_back(static_cast<domain::Role>(role));
  }
  RETURN_IF_ERROR(domain::ValidateRoles(out));
  return out;
}

// A change must leave someone able to manage users.
absl::Status KeepAnAdministrator(store::Transaction& tx) {
  ASSIGN_OR_RETURN(int admins, tx.CountAdministrators());
  if (admins == 0) {
    return absl::FailedPreconditionError(
        "this would leave no enabled administrator; make another administrator first");
  }
  return absl::OkStatus();
}

// One administrator's change to one user, in `tx`: `change` updates the
// stored user and `user`; the change must leave an administrator, and is
// audited with the user before and after.
absl::Status ChangeUser(store::Transaction& tx, absl::string_view admin,
                        absl::string_view user_name, domain::AuditAction action,
                        absl::string_view reason, absl::string_view request_id,
                        absl::FunctionRef<absl::Status(domain::User&)> change, v1::User* response) {
  ASSIGN_OR_RETURN(store::UserAccount before, tx.GetUser(user_name));
  domain::User after = before.user;
  RETURN_IF_ERROR(change(after));
  RETURN_IF_ERROR(KeepAnAdministrator(tx));
  RETURN_IF_ERROR(AppendAudit(tx, absl::Now(), admin, action, UserResource(after.name),
                              UserJson(before.user), UserJson(after), reason, request_id));
  ToProto(after, response);
  return absl::OkStatus();
}

// A session for `account`, after its password was checked; with `new_hash`
// the owner's new password replaces the old one and their other sessions end,
// in the same transaction.
Reply OpenSession(store::Store& store, store::UserAccount account, std::string new_hash,
                  absl::Time now, absl::Time expires, std::string peer,
                  v1::LoginResponse* response) {
  const std::string token = NewSessionToken();
  const store::SessionRow session{account.user.name, now, expires};
  const std::string name = account.user.name;
  return Write(store,
               [=](store::Transaction& tx) -> absl::Status {
                 if (!new_hash.empty()) {
                   RETURN_IF_ERROR(tx.SetPasswordHash(name, new_hash, name));
                   RETURN_IF_ERROR(tx.RevokeSessionsOf(name));
                   RETURN_IF_ERROR(AppendAudit(
                       tx, now, name, domain::AuditAction::kUserChangePassword, UserResource(name),
                       "", "", "password changed by its owner; other sessions ended", ""));
                 }
                 RETURN_IF_ERROR(tx.InsertSession(TokenHash(token), session));
                 return AppendAudit(tx, now, name, domain::AuditAction::kUserLogin,
                                    UserResource(name), "", "", peer, "");
               })
      .Then([=]() -> Reply {
        response->set_token(token);
        ToProto(session.expires_at, response->mutable_expire_time());
        ToProto(account.user, response->mutable_user());
        return absl::OkStatus();
      });
}

}  // namespace

absl::Status BootstrapAdministrator(store::Store& store, const domain::User& user,
                                    absl::string_view password, PasswordHashing hashing) {
  RETURN_IF_ERROR(domain::ValidateNewUser(user));
  RETURN_IF_ERROR(domain::ValidatePassword(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, hashing));
  return store.Write([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(int admins, tx.CountAdministrators());
    if (admins > 0) {
      return absl::FailedPreconditionError(
          "an administrator exists already: administrators create further users "
          "(`cpc user create`)");
    }
    // Typed by the administrator themself at the server: their own password.
    RETURN_IF_ERROR(tx.InsertUser(user, hash, user.name));
    return AppendAudit(tx, user.created_at, user.created_by, domain::AuditAction::kUserCreate,
                       UserResource(user.name), "", UserJson(user), "bootstrap administrator", "");
  });
}

grpc::ServerUnaryReactor* AuthService::Login(grpc::CallbackServerContext* ctx,
                                             const v1::LoginRequest* request,
                                             v1::LoginResponse* response) {
  return Respond(ctx, [&]() -> Reply {
    const absl::Time now = absl::Now();
    // The password first: a refusal says nothing about the account.
    return CheckPassword(
        store_, *config_.password_pool, request->user_name(), request->password(), "login", now,
        ctx->peer(), [=, this](store::UserAccount account) -> Reply {
          if (account.user.disabled) {
            return absl::UnauthenticatedError(
                absl::StrCat("user ", account.user.name, " is disabled"));
          }
          // A password someone else set opens no session until its owner
          // replaces it.
          RETURN_IF_ERROR(domain::ValidatePasswordChangeAtLogin(
              account.user.name, account.password_set_by, request->password(),
              request->new_password()));
          const std::string peer = ctx->peer();
          if (request->new_password().empty()) {
            return OpenSession(store_, std::move(account), "", now,
                               now + config_.session_lifetime, peer, response);
          }
          return config_.password_pool->AfterHash(
              request->new_password(), config_.password_hashing,
              [=, this](std::string new_hash) -> Reply {
                return OpenSession(store_, account, new_hash, now,
                                   now + config_.session_lifetime, peer, response);
              });
        });
  });
}

grpc::ServerUnaryReactor* AuthService::Logout(grpc::CallbackServerContext* ctx,
                                              const v1::LogoutRequest* request,
                                              v1::LogoutResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    auto it = ctx->client_metadata().find(kAuthorizationMetadataKey);
    if (it == ctx->client_metadata().end()) return absl::UnauthenticatedError("no session");
    const std::string token =
        BearerToken(absl::string_view(it->second.data(), it->second.size()));
    return Write(store_, [=](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.RevokeSession(TokenHash(token)));
      return AppendAudit(tx, absl::Now(), user, domain::AuditAction::kUserLogout,
                         UserResource(user), "", "", "", "");
    });
  });
}

grpc::ServerUnaryReactor* UserService::CreateUser(grpc::CallbackServerContext* ctx,
                                                  const v1::CreateUserRequest* request,
                                                  v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string admin, CallerUser(caller));
    domain::User user;
    user.name = request->user().user_name();
    user.full_name = request->user().full_name();
    ASSIGN_OR_RETURN(user.roles, RolesFromProto(request->user().roles()));
    user.created_at = absl::Now();
    user.created_by = admin;
    RETURN_IF_ERROR(domain::ValidateNewUser(user));
    RETURN_IF_ERROR(domain::ValidatePassword(request->password()));
    return config_.password_pool->AfterHash(
        request->password(), config_.password_hashing, [=, this](std::string hash) -> Reply {
    return WriteOnce(store_, "CreateUser", admin, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       RETURN_IF_ERROR(tx.InsertUser(user, hash, admin));
                       RETURN_IF_ERROR(AppendAudit(
                           tx, user.created_at, admin, domain::AuditAction::kUserCreate,
                           UserResource(user.name), "", UserJson(user), "", request->request_id()));
                       ToProto(user, response);
                       return absl::OkStatus();
                     });
        });
  });
}

grpc::ServerUnaryReactor* UserService::ListUsers(grpc::CallbackServerContext* ctx,
                                                 const v1::ListUsersRequest* request,
                                                 v1::ListUsersResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::User> users, tx.ListUsers());
      for (const domain::User& user : users) ToProto(user, response->add_users());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* UserService::DisableUser(grpc::CallbackServerContext* ctx,
                                                   const v1::DisableUserRequest* request,
                                                   v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string admin, CallerUser(caller));
    RETURN_IF_ERROR(domain::CheckFreeText("reason", request->reason(), 1000, true));
    return WriteOnce(store_, "DisableUser", admin, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) {
                       return ChangeUser(
                           tx, admin, request->user_name(), domain::AuditAction::kUserDisable,
                           request->reason(), request->request_id(),
                           [&](domain::User& user) -> absl::Status {
                             user.disabled = true;
                             RETURN_IF_ERROR(tx.SetUserDisabled(user.name, true));
                             return tx.RevokeSessionsOf(user.name);
                           },
                           response);
                     });
  });
}

grpc::ServerUnaryReactor* UserService::SetUserRoles(grpc::CallbackServerContext* ctx,
                                                    const v1::SetUserRolesRequest* request,
                                                    v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string admin, CallerUser(caller));
    RETURN_IF_ERROR(domain::ValidateRoleChange(admin, request->user_name()));
    RETURN_IF_ERROR(domain::CheckFreeText("reason", request->reason(), 1000, false));
    ASSIGN_OR_RETURN(std::vector<domain::Role> roles, RolesFromProto(request->roles()));
    return WriteOnce(store_, "SetUserRoles", admin, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) {
                       return ChangeUser(
                           tx, admin, request->user_name(), domain::AuditAction::kUserSetRoles,
                           request->reason(), request->request_id(),
                           [&](domain::User& user) {
                             user.roles = roles;
                             return tx.SetUserRoles(user.name, roles);
                           },
                           response);
                     });
  });
}

grpc::ServerUnaryReactor* UserService::ResetPassword(grpc::CallbackServerContext* ctx,
                                                     const v1::ResetPasswordRequest* request,
                                                     v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string admin, CallerUser(caller));
    RETURN_IF_ERROR(domain::ValidatePasswordReset(admin, request->user_name()));
    RETURN_IF_ERROR(domain::ValidatePassword(request->password()));
    // The administrator proves it is them, now, like a signature.
    if (request->admin_password().empty()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "admin_password: required: a password reset needs your own password (", admin, ")"));
    }
    PasswordPool* pool = config_.password_pool;
    Reply checked = CheckPassword(
        store_, *pool, admin, request->admin_password(), "password reset", absl::Now(), ctx->peer(),
        [=, this](store::UserAccount) -> Reply {
          return pool->AfterHash(
              request->password(), config_.password_hashing, [=, this](std::string hash) -> Reply {
                return WriteOnce(
                    store_, "ResetPassword", admin, *request, request->request_id(), response,
                    [=](store::Transaction& tx) {
                      return ChangeUser(
                          tx, admin, request->user_name(), domain::AuditAction::kUserResetPassword,
                          "password reset; sessions ended", request->request_id(),
                          [&](domain::User& user) -> absl::Status {
                            RETURN_IF_ERROR(tx.SetPasswordHash(user.name, hash, admin));
                            return tx.RevokeSessionsOf(user.name);
                          },
                          response);
                    });
              });
        });
    return LabelRefusal(std::move(checked), "admin_password: not accepted: ");
  });
}

}  // namespace cpctrack::server
