#include "server/auth_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/users.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
#include "server/api_mapping.h"
#include "server/credentials.h"
#include "server/password_pool.h"

namespace cpctrack::server {
namespace {

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
  return out;
}

// Who writes at sign-in: the user themself, under no request ID.
app::WriteContext SignInContext(const ServerConfig& config, absl::Time now,
                                absl::string_view user) {
  app::WriteContext ctx;
  ctx.now = now;
  ctx.zone = config.time_zone;
  ctx.user = std::string(user);
  return ctx;
}

// A session for `account`, after its password was checked; with `new_hash`
// the owner's new password replaces the old one and their other sessions end,
// in the same transaction.
Reply OpenSession(store::Store& store, const ServerConfig& config, store::UserAccount account,
                  std::string new_hash, absl::Time now, absl::Time expires, std::string peer,
                  v1::LoginResponse* response) {
  const std::string token = NewSessionToken();
  const app::WriteContext write = SignInContext(config, now, account.user.name);
  const app::NewSession session{TokenHash(token), expires, std::move(peer), std::move(new_hash)};
  return Write(store,
               [=](store::Transaction& tx) { return app::OpenSession(tx, write, session); })
      .Then([=]() -> Reply {
        response->set_token(token);
        ToProto(expires, response->mutable_expire_time());
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
  app::WriteContext write;
  write.now = user.created_at;
  write.user = user.created_by;
  return store.Write([&](store::Transaction& tx) -> absl::Status {
    return app::BootstrapAdministrator(tx, write, {user.name, user.full_name, user.roles, hash})
        .status();
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
            return OpenSession(store_, config_, std::move(account), "", now,
                               now + config_.session_lifetime, peer, response);
          }
          return config_.password_pool->AfterHash(
              request->new_password(), config_.password_hashing,
              [=, this](std::string new_hash) -> Reply {
                return OpenSession(store_, config_, account, new_hash, now,
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
    const app::WriteContext write = SignInContext(config_, absl::Now(), user);
    return Write(store_, [=](store::Transaction& tx) {
      return app::EndSession(tx, write, TokenHash(token));
    });
  });
}

grpc::ServerUnaryReactor* UserService::CreateUser(grpc::CallbackServerContext* ctx,
                                                  const v1::CreateUserRequest* request,
                                                  v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    app::NewUser user{request->user().user_name(), request->user().full_name(), {}, ""};
    ASSIGN_OR_RETURN(user.roles, RolesFromProto(request->user().roles()));
    // Refused before the password costs a hash; app::CreateUser checks again.
    RETURN_IF_ERROR(domain::ValidateRoles(user.roles));
    RETURN_IF_ERROR(domain::ValidateNewUser(
        {user.user_name, user.full_name, user.roles, false, write.now, write.user}));
    RETURN_IF_ERROR(domain::ValidatePassword(request->password()));
    return config_.password_pool->AfterHash(
        request->password(), config_.password_hashing, [=, this](std::string hash) -> Reply {
          return WriteOnce(store_, "CreateUser", write.user, *request, request->request_id(),
                           response, [=](store::Transaction& tx) mutable -> absl::Status {
                             user.password_hash = hash;
                             ASSIGN_OR_RETURN(domain::User created,
                                              app::CreateUser(tx, write, user));
                             ToProto(created, response);
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    // Refused before it is queued; app::DisableUser checks again.
    RETURN_IF_ERROR(domain::CheckFreeText("reason", request->reason(), 1000, true));
    return WriteOnce(store_, "DisableUser", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::User user,
                                        app::DisableUser(tx, write, request->user_name(),
                                                         request->reason()));
                       ToProto(user, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UserService::SetUserRoles(grpc::CallbackServerContext* ctx,
                                                    const v1::SetUserRolesRequest* request,
                                                    v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    // Separation of duties first: no one changes their own roles.
    RETURN_IF_ERROR(domain::ValidateRoleChange(write.user, request->user_name()));
    // Refused before it is queued; app::SetUserRoles checks again.
    RETURN_IF_ERROR(domain::CheckFreeText("reason", request->reason(), 1000, false));
    ASSIGN_OR_RETURN(std::vector<domain::Role> roles, RolesFromProto(request->roles()));
    RETURN_IF_ERROR(domain::ValidateRoles(roles));
    return WriteOnce(store_, "SetUserRoles", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::User user,
                                        app::SetUserRoles(tx, write, request->user_name(), roles,
                                                          request->reason()));
                       ToProto(user, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UserService::ResetPassword(grpc::CallbackServerContext* ctx,
                                                     const v1::ResetPasswordRequest* request,
                                                     v1::User* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    const std::string admin = write.user;
    // Refused before any password costs a hash; app::ResetPassword checks again.
    RETURN_IF_ERROR(domain::ValidatePasswordReset(admin, request->user_name()));
    RETURN_IF_ERROR(domain::ValidatePassword(request->password()));
    // The administrator proves it is them, now, like a signature.
    if (request->admin_password().empty()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "admin_password: required: a password reset needs your own password (", admin, ")"));
    }
    PasswordPool* pool = config_.password_pool;
    Reply checked = CheckPassword(
        store_, *pool, admin, request->admin_password(), "password reset", write.now, ctx->peer(),
        [=, this](store::UserAccount) -> Reply {
          return pool->AfterHash(
              request->password(), config_.password_hashing, [=, this](std::string hash) -> Reply {
                // Stamped once both hashes are done, as the write is queued.
                app::WriteContext after = write;
                after.now = absl::Now();
                return WriteOnce(store_, "ResetPassword", admin, *request, request->request_id(),
                                 response, [=](store::Transaction& tx) -> absl::Status {
                                   ASSIGN_OR_RETURN(
                                       domain::User user,
                                       app::ResetPassword(tx, after, request->user_name(), hash));
                                   ToProto(user, response);
                                   return absl::OkStatus();
                                 });
              });
        });
    return LabelRefusal(std::move(checked), "admin_password: not accepted: ");
  });
}

}  // namespace cpctrack::server
