// Separation of duties for administrators, end to end: no one changes their
// own roles, whoever manages users never signs, and a password someone else
// set opens nothing until its owner has replaced it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cpctrack/v1/auth.grpc.pb.h"
#include "tests/e2e/auth_fixture.h"

namespace cpctrack::testing {
namespace {

class SeparationOfDutiesTest : public AuthTest {
 protected:
  grpc::Status SetRoles(const std::string& admin, const std::string& user,
                        std::vector<v1::Role> roles) {
    v1::SetUserRolesRequest request;
    request.set_request_id(NewRequestId());
    request.set_user_name(user);
    for (v1::Role role : roles) request.add_roles(role);
    request.set_reason("QA rota");
    v1::User out;
    return users_->SetUserRoles(Context(admin).get(), request, &out);
  }

  grpc::Status Reset(const std::string& user, const std::string& admin_password,
                     const std::string& password) {
    v1::ResetPasswordRequest request;
    request.set_request_id(NewRequestId());
    request.set_user_name(user);
    request.set_password(password);
    request.set_admin_password(admin_password);
    v1::User out;
    return users_->ResetPassword(Context(kAdmin).get(), request, &out);
  }
};

TEST_F(SeparationOfDutiesTest, AnAdministratorCannotGrantThemselvesTheReviewerRole) {
  EXPECT_GRPC_ERROR(SetRoles(kAdmin, kAdmin, {v1::ROLE_ADMINISTRATOR, v1::ROLE_REVIEWER}),
                    grpc::StatusCode::PERMISSION_DENIED, "no one changes their own roles");
  // Nor can another administrator make a signing administrator.
  CreateUser(channel_, {"admin.ono", "Ono Mio", {v1::ROLE_ADMINISTRATOR}});
  EXPECT_GRPC_ERROR(SetRoles("admin.ono", kAdmin, {v1::ROLE_ADMINISTRATOR, v1::ROLE_REVIEWER}),
                    grpc::StatusCode::INVALID_ARGUMENT, "separation of duties");
  EXPECT_GRPC_ERROR(SetRoles("admin.ono", "qa.mori", {v1::ROLE_REVIEWER, v1::ROLE_ADMINISTRATOR}),
                    grpc::StatusCode::INVALID_ARGUMENT, "separation of duties");
  // The administrator still cannot sign or record production.
  v1::LoginResponse admin;
  ASSERT_TRUE(Login(kAdmin, TestPassword(kAdmin), &admin).ok());
  EXPECT_THAT(admin.user().roles(), ::testing::ElementsAre(v1::ROLE_ADMINISTRATOR));
}

TEST_F(SeparationOfDutiesTest, AResetPasswordDoesNotOpenTheReviewersAccount) {
  const std::string mori_token = LoginToken(channel_, "qa.mori");
  // The reset needs the administrator's own password, now.
  EXPECT_GRPC_ERROR(Reset("qa.mori", "", "chosen-by-admin-1"), grpc::StatusCode::UNAUTHENTICATED,
                    "admin_password");
  EXPECT_GRPC_ERROR(Reset("qa.mori", "not my password", "chosen-by-admin-1"),
                    grpc::StatusCode::UNAUTHENTICATED, "admin_password");
  ASSERT_TRUE(Reset("qa.mori", TestPassword(kAdmin), "chosen-by-admin-1").ok());
  v1::ListPatientsResponse patients;
  EXPECT_EQ(patients_->ListPatients(TokenContext(mori_token).get(), {}, &patients).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The password the administrator chose opens no session: no signature,
  // no read, nothing until the owner chooses their own.
  v1::LoginResponse session;
  EXPECT_GRPC_ERROR(Login("qa.mori", "chosen-by-admin-1", &session),
                    grpc::StatusCode::FAILED_PRECONDITION, "was set by admin.kato");
  EXPECT_TRUE(session.token().empty());
  ASSERT_TRUE(Login("qa.mori", "chosen-by-admin-1", &session, "only-mori-knows-1").ok());
  EXPECT_TRUE(patients_->ListPatients(TokenContext(session.token()).get(), {}, &patients).ok());
  // From now on her own password, and only hers, opens the account.
  v1::LoginResponse again;
  EXPECT_EQ(Login("qa.mori", "chosen-by-admin-1", &again).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login("qa.mori", "only-mori-knows-1", &again).ok());

  // An administrator does not reset their own password: they change it.
  EXPECT_GRPC_ERROR(Reset(kAdmin, TestPassword(kAdmin), "something-else-1"),
                    grpc::StatusCode::PERMISSION_DENIED, "--change-password");
}

TEST_F(SeparationOfDutiesTest, EveryoneCanChangeTheirOwnPassword) {
  const std::string old_token = LoginToken(channel_, "auditor.ito");
  v1::LoginResponse session;
  ASSERT_TRUE(Login("auditor.ito", TestPassword("auditor.ito"), &session, "auditor-ito-new-1").ok());
  v1::ListPatientsResponse patients;
  EXPECT_EQ(patients_->ListPatients(TokenContext(old_token).get(), {}, &patients).error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "a password change ends the other sessions";
  EXPECT_TRUE(patients_->ListPatients(TokenContext(session.token()).get(), {}, &patients).ok());
  EXPECT_EQ(Login("auditor.ito", TestPassword("auditor.ito"), &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace cpctrack::testing
