// Sign-in end to end: login, expiry, disabled users, throttled failures,
// what is stored (hashes only), bootstrap, electronic signatures, and the
// CLI's login with its 0600 session file.
#include <sqlite3.h>
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/auth.grpc.pb.h"
#include "server/credentials.h"
#include "server/signatures.h"
#include "tests/e2e/api_fixture.h"
#include "tests/e2e/auth_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

// Every value of column 0 of `sql` on the database file, as text.
std::vector<std::string> Query(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = sqlite3_column_blob(stmt, 0);
        rows.emplace_back(static_cast<const char*>(text), sqlite3_column_bytes(stmt, 0));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}


TEST_F(AuthTest, LoginGivesATokenWithAnExpiryAndTheUsersRoles) {
  v1::LoginResponse response;
  const grpc::Status status = Login("qa.mori", TestPassword("qa.mori"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(response.token().size(), 43u);  // 32 random bytes, base64url
  EXPECT_GT(response.expire_time().seconds(), absl::ToUnixSeconds(absl::Now()));
  EXPECT_EQ(response.user().full_name(), "Mori Aoi");
  EXPECT_THAT(response.user().roles(),
              ::testing::ElementsAre(v1::ROLE_REVIEWER, v1::ROLE_SCHEDULER));
  EXPECT_TRUE(ListPatients(response.token()).ok());

  // Logged out: the token is refused from then on.
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(TokenContext(response.token()).get(), v1::LogoutRequest(), &out).ok());
  EXPECT_GRPC_ERROR(ListPatients(response.token()), grpc::StatusCode::UNAUTHENTICATED, "ended");
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  v1::LoginResponse response;
  EXPECT_GRPC_ERROR(Login("qa.mori", "not her password", &response),
                    grpc::StatusCode::UNAUTHENTICATED, "not accepted");
  EXPECT_GRPC_ERROR(Login("nobody.here", "whatever123", &response),
                    grpc::StatusCode::UNAUTHENTICATED, "not accepted");
}

TEST_F(AuthTest, OnlyHashesOfPasswordsAndTokensAreStored) {
  v1::LoginResponse response;
  ASSERT_TRUE(Login("tech.sato", TestPassword("tech.sato"), &response).ok());
  for (const std::string& hash : Query(db_path(), "SELECT password_hash FROM users")) {
    EXPECT_TRUE(absl::StartsWith(hash, "$argon2id$")) << hash;
  }
  const std::vector<std::string> tokens = Query(db_path(), "SELECT token_sha256 FROM sessions");
  ASSERT_FALSE(tokens.empty());
  for (const std::string& stored : tokens) {
    EXPECT_EQ(stored.size(), 32u);
    EXPECT_NE(stored, response.token());
  }
  // Nothing in the database holds a password in clear.
  for (const std::string& fingerprint : Query(db_path(), "SELECT fingerprint FROM requests")) {
    EXPECT_FALSE(absl::StrContains(fingerprint, "2611")) << fingerprint;
  }
}

TEST_F(AuthTest, RepeatedFailuresMakeTheNameWaitAndAreAuditedInAggregate) {
  v1::LoginResponse response;
  for (int attempt = 0; attempt < 12; ++attempt) {
    // Checked or refused by a limit, the answer is the same.
    EXPECT_GRPC_ERROR(Login("sched.abe", "wrong password", &response),
                      grpc::StatusCode::UNAUTHENTICATED, "user name or password not accepted");
  }
  // Reports are written by the end of their window, or at shutdown.
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  EXPECT_TRUE(Query(db_path(), "SELECT 1 FROM audit_log WHERE action = 'user.login_failed'")
                  .empty())
      << "no row per attempt";
  const std::vector<std::string> reports = Query(
      db_path(), "SELECT new_value FROM audit_log WHERE action = 'user.login_failures' AND "
                 "resource = 'peers/127.0.0.1'");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_THAT(reports[0], HasSubstr("\"peer\":\"127.0.0.1\""));
  EXPECT_THAT(reports[0], HasSubstr("\"by_user\":{\"sched.abe\":"));
  // After three failures further attempts waited: some were never checked.
  EXPECT_THAT(reports[0], ::testing::Not(HasSubstr("\"refused_by_limits\":0,")));
  server_->Restart();
  Connect();
}

TEST_F(AuthTest, ADisabledUserIsRefusedAndTheirSessionsEnd) {
  v1::LoginResponse mori;
  ASSERT_TRUE(Login("qa.mori", TestPassword("qa.mori"), &mori).ok());
  v1::DisableUserRequest disable;
  disable.set_request_id(NewRequestId());
  disable.set_user_name("qa.mori");
  disable.set_reason("left the company");
  v1::User disabled;
  ASSERT_TRUE(users_->DisableUser(Context(kAdmin).get(), disable, &disabled).ok());
  EXPECT_TRUE(disabled.disabled());
  EXPECT_EQ(ListPatients(mori.token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::LoginResponse again;
  EXPECT_GRPC_ERROR(Login("qa.mori", TestPassword("qa.mori"), &again),
                    grpc::StatusCode::UNAUTHENTICATED, "disabled");

  // The last administrator cannot be disabled.
  disable.set_request_id(NewRequestId());
  disable.set_user_name(kAdmin);
  EXPECT_GRPC_ERROR(users_->DisableUser(Context(kAdmin).get(), disable, &disabled),
                    grpc::StatusCode::FAILED_PRECONDITION, "no enabled administrator");
}

TEST_F(AuthTest, AWrongRoleIsDeniedNamingThePermission) {
  v1::CreateUserRequest request;
  request.set_request_id(NewRequestId());
  request.mutable_user()->set_user_name("x.y");
  request.mutable_user()->set_full_name("X Y");
  request.mutable_user()->add_roles(v1::ROLE_ADMINISTRATOR);
  request.set_password("long enough password");
  v1::User user;
  EXPECT_GRPC_ERROR(users_->CreateUser(Context("auditor.ito").get(), request, &user),
                    grpc::StatusCode::PERMISSION_DENIED, "users.manage");
}

TEST_F(AuthTest, TheFirstAdministratorIsMadeOnceByBootstrap) {
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  const CliResult again = RunProgram(
      {CPCD_PATH, "bootstrap-admin", "--db", db_path(), "--admin_user", "admin.two",
       "--admin_full_name", "Two", "--password_hashing", "fast-for-tests"},
      {}, "another password\n");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("administrator exists already"));
  server_->Restart();
  Connect();
}

TEST_F(AuthTest, ASessionExpires) {
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  ServerProcess short_lived(dir_->path() + "/short.db",
                            {.extra_flags = {"--session_lifetime=1s"}});
  auto channel = grpc::CreateChannel(short_lived.address(), grpc::InsecureChannelCredentials());
  auto auth = v1::AuthService::NewStub(channel);
  auto patients = v1::PatientService::NewStub(channel);
  v1::LoginRequest request;
  request.set_user_name("tech.sato");
  request.set_password(TestPassword("tech.sato"));
  v1::LoginResponse login;
  ASSERT_TRUE(auth->Login(TokenContext("").get(), request, &login).ok());
  // Wait until the reported expiry has passed (no timing is asserted).
  const absl::Time expiry = absl::FromUnixSeconds(login.expire_time().seconds());
  while (absl::Now() < expiry + absl::Seconds(1)) absl::SleepFor(absl::Milliseconds(200));
  v1::ListPatientsResponse list;
  EXPECT_GRPC_ERROR(patients->ListPatients(TokenContext(login.token()).get(),
                                           v1::ListPatientsRequest(), &list),
                    grpc::StatusCode::UNAUTHENTICATED, "expired");
  auth.reset();
  patients.reset();
  channel.reset();
  EXPECT_EQ(short_lived.Stop(), 0);
  server_.reset();
}

TEST_F(AuthTest, TheUserInRecordsComesFromTheSessionNotTheRequest) {
  RegisterBasics();
  const std::string id = CreateBatch();
  const v1::RecordResponse received = Receive(id);
  EXPECT_EQ(received.record().recorded_by(), "tech.sato");
  const std::vector<std::string> actors = Query(
      db_path(), absl::StrCat("SELECT DISTINCT actor FROM audit_log WHERE resource LIKE 'batches/",
                              id, "%'"));
  EXPECT_EQ(actors, std::vector<std::string>{"tech.sato"});
}

}  // namespace
}  // namespace cpctrack::testing
