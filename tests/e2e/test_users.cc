#include "tests/e2e/test_users.h"

#include <atomic>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace cpctrack::testing {

const std::vector<TestUser>& TestUsers() {
  static const auto* users = new std::vector<TestUser>{
      {kAdmin, "Kato Ren", {v1::ROLE_ADMINISTRATOR}},
      {"tech.sato", "Sato Hana", {v1::ROLE_TECHNICIAN}, CultureProcedures()},
      {"qa.tanaka", "Tanaka Yui", {v1::ROLE_REVIEWER, v1::ROLE_TECHNICIAN},
       CultureProcedures()},
      {"qa.mori", "Mori Aoi", {v1::ROLE_REVIEWER, v1::ROLE_SCHEDULER}},
      {"sched.abe", "Abe Sora", {v1::ROLE_SCHEDULER}},
      {"auditor.ito", "Ito Ken", {v1::ROLE_AUDITOR}},
      {"auditor.mori", "Mori Jun", {v1::ROLE_AUDITOR}},
      {"sched.mori", "Mori Rin", {v1::ROLE_SCHEDULER}},
      {"tech.kato", "Kato Mei", {v1::ROLE_TECHNICIAN}, CultureProcedures()},
      // Records infusions at the bedside: a technician in this system's roles.
      {"nurse.abe", "Abe Nao", {v1::ROLE_TECHNICIAN}, {v1::PROCEDURE_INFUSION}},
      // The bedside's second person, who verifies unit and patient identity.
      {"nurse.ito", "Ito Saki", {v1::ROLE_TECHNICIAN}, {v1::PROCEDURE_INFUSION}},
      // The patients' physician at the clinic.
      {"dr.ito", "Ito Mao", {v1::ROLE_PHYSICIAN}},
  };
  return *users;
}

const std::vector<v1::Procedure>& CultureProcedures() {
  static const auto* procedures = new std::vector<v1::Procedure>{
      v1::PROCEDURE_ASEPTIC_PROCESSING, v1::PROCEDURE_PASSAGE, v1::PROCEDURE_FREEZING,
      v1::PROCEDURE_QC_TESTING};
  return *procedures;
}

std::string QualifiedOn() {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 365);
}

std::string QualificationExpiry() {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 365);
}

namespace {

// With the administrator's session of the caller: the fixtures sign in no
// more often than they did (cpcd limits sign-ins per second).
void QualifyAs(const std::string& admin_token, const std::shared_ptr<grpc::Channel>& channel,
               const std::string& user, const std::vector<v1::Procedure>& procedures) {
  static std::atomic<int> counter{0};
  auto stub = v1::UserService::NewStub(channel);
  for (v1::Procedure procedure : procedures) {
    v1::RecordQualificationRequest request;
    request.set_request_id(absl::StrCat("qualify-", user, "-", counter++));
    request.set_user_name(user);
    request.set_procedure(procedure);
    request.set_qualified_on(QualifiedOn());
    request.set_expires_on(QualificationExpiry());
    request.set_evidence(absl::StrCat("TR-", user));
    v1::Qualification recorded;
    const grpc::Status status =
        stub->RecordQualification(TokenContext(admin_token).get(), request, &recorded);
    // A cpcd from before qualifications (the bench's baseline build) has no
    // such call and requires none.
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) return;
    if (!status.ok()) {
      throw std::runtime_error(absl::StrCat("qualify ", user, ": ", status.error_message()));
    }
  }
}

}  // namespace

void Qualify(const std::shared_ptr<grpc::Channel>& channel, const std::string& user,
             const std::vector<v1::Procedure>& procedures) {
  QualifyAs(LoginToken(channel, kAdmin), channel, user, procedures);
}

std::string TestPassword(const std::string& user) { return absl::StrCat("pw-", user, "-2611"); }

std::string TestInitialPassword(const std::string& user) {
  return absl::StrCat("initial-", user, "-from-admin");
}

std::unique_ptr<grpc::ClientContext> TokenContext(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

std::string LoginToken(const std::shared_ptr<grpc::Channel>& channel, const std::string& user) {
  auto stub = v1::AuthService::NewStub(channel);
  v1::LoginRequest request;
  request.set_user_name(user);
  request.set_password(TestPassword(user));
  v1::LoginResponse response;
  const grpc::Status status = stub->Login(TokenContext("").get(), request, &response);
  if (!status.ok()) {
    throw std::runtime_error(absl::StrCat("login ", user, ": ", status.error_message()));
  }
  return response.token();
}

void CreateUser(const std::shared_ptr<grpc::Channel>& channel, const TestUser& user) {
  static std::atomic<int> counter{0};
  const std::string admin_token = LoginToken(channel, kAdmin);
  auto stub = v1::UserService::NewStub(channel);
  v1::CreateUserRequest request;
  request.set_request_id(absl::StrCat("create-user-", user.name, "-", counter++));
  request.mutable_user()->set_user_name(user.name);
  request.mutable_user()->set_full_name(user.full_name);
  for (v1::Role role : user.roles) request.mutable_user()->add_roles(role);
  request.set_password(TestInitialPassword(user.name));
  v1::User created;
  const grpc::Status status = stub->CreateUser(TokenContext(admin_token).get(), request, &created);
  if (!status.ok()) {
    throw std::runtime_error(absl::StrCat("create ", user.name, ": ", status.error_message()));
  }
  // The first sign-in: the user replaces the password the administrator knows.
  auto auth = v1::AuthService::NewStub(channel);
  v1::LoginRequest first;
  first.set_user_name(user.name);
  first.set_password(TestInitialPassword(user.name));
  first.set_new_password(TestPassword(user.name));
  v1::LoginResponse session;
  const grpc::Status changed = auth->Login(TokenContext("").get(), first, &session);
  if (!changed.ok()) {
    throw std::runtime_error(
        absl::StrCat("first login of ", user.name, ": ", changed.error_message()));
  }
  if (!user.procedures.empty()) QualifyAs(admin_token, channel, user.name, user.procedures);
}

void CreateTestUsers(const std::shared_ptr<grpc::Channel>& channel) {
  for (const TestUser& user : TestUsers()) {
    if (user.name != kAdmin) CreateUser(channel, user);
  }
}

}  // namespace cpctrack::testing
