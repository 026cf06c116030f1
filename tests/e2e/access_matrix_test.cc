// Every RPC of the cpctrack.v1 API, called as every role and without a
// session, against the declared table (server/access_control.cc) and the
// role matrix (domain/access.cc). It enumerates the API from the .proto
// files, so a new RPC is covered (and must be declared) without editing it.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/access.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "server/access_control.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

using server::Access;
using server::FindMethodRule;

// "/cpctrack.v1.QcService/ReviewResult" for every method of every service
// of every .proto file of the API.
std::vector<const google::protobuf::MethodDescriptor*> ApiMethods() {
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  for (const auto& entry : std::filesystem::directory_iterator(CPCTRACK_PROTO_DIR)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = absl::StrCat("cpctrack/v1/", entry.path().filename().string());
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not linked into the API library";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        methods.push_back(file->service(s)->method(m));
      }
    }
  }
  return methods;
}

std::string FullName(const google::protobuf::MethodDescriptor* method) {
  return absl::StrCat("/", method->service()->full_name(), "/", method->name());
}

class AccessMatrixTest : public ApiTest {
 protected:
  // The matrix signs in one user per role, and again for every Logout, all
  // from one peer within a second: the sign-in limits (tested on their own in
  // sign_in_test.cc) are raised so that they are not what this test meets.
  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    server_ = std::make_unique<ServerProcess>(
        db_path(), ProcessOptions{.extra_flags = {"--sign_in_attempts_per_second=1000"}});
    Connect();
  }

  // Calls `method` with an empty request (nothing is written: every write
  // needs a request ID) and the given token.
  grpc::Status CallEmpty(const google::protobuf::MethodDescriptor* method,
                         const std::string& token) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            method->input_type());
    std::string bytes = prototype->SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::GenericStub stub(channel_);
    std::promise<grpc::Status> done;
    auto ctx = TokenContext(token);
    stub.UnaryCall(ctx.get(), FullName(method), grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }
};

TEST_F(AccessMatrixTest, EveryApiMethodHasExactlyOneDeclaredRule) {
  const auto methods = ApiMethods();
  ASSERT_GT(methods.size(), 50u);
  std::set<std::string> api;
  for (const auto* method : methods) {
    api.insert(FullName(method));
    EXPECT_NE(FindMethodRule(FullName(method)), nullptr)
        << FullName(method) << " has no rule in server/access_control.cc";
  }
  std::set<std::string> declared;
  for (const server::MethodRule& rule : server::MethodRules()) {
    EXPECT_TRUE(declared.insert(std::string(rule.method)).second) << rule.method << " twice";
    if (absl::StartsWith(rule.method, "/cpctrack.")) {
      EXPECT_TRUE(api.count(std::string(rule.method))) << rule.method << " is not in the API";
    }
  }
}

TEST_F(AccessMatrixTest, EveryRpcAsEveryRoleIsAllowedOrDeniedAsDeclared) {
  std::map<domain::Role, std::string> users;
  std::map<domain::Role, std::string> tokens;
  for (domain::Role role : domain::AllRoles()) {
    const std::string name = absl::StrCat("only.", domain::RoleName(role));
    CreateUser(channel_, {name, absl::StrCat("Only ", domain::RoleName(role)),
                          {static_cast<v1::Role>(role)}});
    users[role] = name;
    tokens[role] = LoginToken(channel_, name);
  }
  int checked = 0;
  for (const auto* method : ApiMethods()) {
    const server::MethodRule* rule = FindMethodRule(FullName(method));
    ASSERT_NE(rule, nullptr) << FullName(method);
    for (const auto& [role, user] : users) {
      // Logout (allowed to all) ends the session it is sent with: a fresh one.
      const bool ends_session = FullName(method) == "/cpctrack.v1.AuthService/Logout";
      const grpc::Status status =
          CallEmpty(method, ends_session ? LoginToken(channel_, user) : tokens[role]);
      const bool allowed = rule->access != Access::kPermission ||
                           domain::RoleGrants(role, rule->permission);
      const bool denied = status.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
                          absl::StrContains(status.error_message(), "needs permission");
      EXPECT_EQ(denied, !allowed) << FullName(method) << " as " << domain::RoleName(role)
                                  << ": " << status.error_message();
      if (denied) {
        EXPECT_TRUE(absl::StrContains(status.error_message(),
                                      domain::PermissionName(rule->permission)))
            << status.error_message();
      }
      ++checked;
    }
    const grpc::Status anonymous = CallEmpty(method, "");
    const bool refused = anonymous.error_code() == grpc::StatusCode::UNAUTHENTICATED &&
                         absl::StrContains(anonymous.error_message(), "needs a session");
    EXPECT_EQ(refused, rule->access != Access::kPublic)
        << FullName(method) << " without a session: " << anonymous.error_message();
  }
  EXPECT_EQ(checked, static_cast<int>(ApiMethods().size() * users.size()));
}

}  // namespace
}  // namespace cpctrack::testing
