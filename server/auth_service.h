// AuthService (login, logout) and UserService (administrators manage users),
// and the first administrator, made by `cpcd bootstrap-admin`.
#ifndef CPCTRACK_SERVER_AUTH_SERVICE_H_
#define CPCTRACK_SERVER_AUTH_SERVICE_H_

#include "cpctrack/v1/auth.grpc.pb.h"
#include "server/call_support.h"
#include "store/store.h"

namespace cpctrack::server {

// Creates the first administrator. FailedPrecondition if an enabled
// administrator exists already: later users are made by administrators.
absl::Status BootstrapAdministrator(store::Store& store, const domain::User& user,
                                    absl::string_view password, PasswordHashing hashing);

class AuthService final : public v1::AuthService::CallbackService, private CallHandler {
 public:
  AuthService(store::Store& store, const ServerConfig& config) : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* ctx,
                                  const v1::LoginRequest* request,
                                  v1::LoginResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* ctx,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

class UserService final : public v1::UserService::CallbackService, private CallHandler {
 public:
  UserService(store::Store& store, const ServerConfig& config) : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreateUser(grpc::CallbackServerContext* ctx,
                                       const v1::CreateUserRequest* request,
                                       v1::User* response) override;
  grpc::ServerUnaryReactor* ListUsers(grpc::CallbackServerContext* ctx,
                                      const v1::ListUsersRequest* request,
                                      v1::ListUsersResponse* response) override;
  grpc::ServerUnaryReactor* DisableUser(grpc::CallbackServerContext* ctx,
                                        const v1::DisableUserRequest* request,
                                        v1::User* response) override;
  grpc::ServerUnaryReactor* SetUserRoles(grpc::CallbackServerContext* ctx,
                                         const v1::SetUserRolesRequest* request,
                                         v1::User* response) override;
  grpc::ServerUnaryReactor* ResetPassword(grpc::CallbackServerContext* ctx,
                                          const v1::ResetPasswordRequest* request,
                                          v1::User* response) override;
  // qualifications.cc
  grpc::ServerUnaryReactor* RecordQualification(grpc::CallbackServerContext* ctx,
                                                const v1::RecordQualificationRequest* request,
                                                v1::Qualification* response) override;
  grpc::ServerUnaryReactor* ListQualifications(grpc::CallbackServerContext* ctx,
                                               const v1::ListQualificationsRequest* request,
                                               v1::ListQualificationsResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_AUTH_SERVICE_H_
