// A cpcd with the test users, and stubs for signing in and managing users:
// the fixture of the sign-in and separation-of-duties tests.
#ifndef CPCTRACK_TESTS_E2E_AUTH_FIXTURE_H_
#define CPCTRACK_TESTS_E2E_AUTH_FIXTURE_H_

#include <memory>
#include <string>

#include "cpctrack/v1/auth.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {

class AuthTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auth_ = v1::AuthService::NewStub(channel_);
    users_ = v1::UserService::NewStub(channel_);
  }
  void TearDown() override {
    auth_.reset();
    users_.reset();
    ApiTest::TearDown();
  }

  // A sign-in; with `new_password`, the user's own new password too.
  grpc::Status Login(const std::string& user, const std::string& password,
                     v1::LoginResponse* response, const std::string& new_password = "") {
    v1::LoginRequest request;
    request.set_user_name(user);
    request.set_password(password);
    request.set_new_password(new_password);
    return auth_->Login(TokenContext("").get(), request, response);
  }

  grpc::Status ListPatients(const std::string& token) {
    v1::ListPatientsResponse response;
    return patients_->ListPatients(TokenContext(token).get(), v1::ListPatientsRequest(),
                                   &response);
  }

  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::UserService::Stub> users_;
};

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_AUTH_FIXTURE_H_
