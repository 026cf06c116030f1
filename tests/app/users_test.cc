// The application layer's writes of people on a real SQLite file: users,
// sessions and qualifications are stored with their audit entries, and a
// refusal writes nothing.
#include "app/users.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

constexpr char kHash[] = "$argon2id$v=19$m=8,t=1,p=1$no-login";
constexpr char kNewHash[] = "$argon2id$v=19$m=8,t=1,p=1$new";

class UsersTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    const domain::User admin{"admin", "Ada Admin", {domain::Role::kAdministrator}, false, T(0),
                             "setup"};
    MustWrite([&](store::Transaction& tx) { return tx.InsertUser(admin, kHash, "setup"); });
  }

  absl::StatusOr<store::UserAccount> Account(absl::string_view name) {
    absl::StatusOr<store::UserAccount> account;
    CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) {
      account = tx.GetUser(name);
      return absl::OkStatus();
    }));
    return account;
  }
};

TEST_F(UsersTest, CreateUserStoresTheUserAndTheHashGivenWithItsAuditEntry) {
  absl::StatusOr<domain::User> created;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    created = CreateUser(tx, Context(T(5), "admin", "req-1"),
                         {"tech.ito", "Ito Sora", {domain::Role::kTechnician}, kHash});
    return created.status();
  }));
  EXPECT_EQ(created->created_at, T(5));
  EXPECT_EQ(created->created_by, "admin");
  absl::StatusOr<store::UserAccount> account = Account("tech.ito");
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->password_hash, kHash);
  EXPECT_EQ(account->password_set_by, "admin");  // the owner must replace it
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kUserCreate));
  EXPECT_EQ(audit[0].actor, "admin");
  EXPECT_EQ(audit[0].resource, "users/tech.ito");
  EXPECT_EQ(audit[0].new_value, UserJson(*created));
  EXPECT_EQ(audit[0].new_value.find("argon2"), std::string::npos);
  EXPECT_EQ(audit[0].request_id, "req-1");
  EXPECT_EQ(audit[0].at, T(5));
}

TEST_F(UsersTest, NoOneGrantsThemselfARoleAndNothingIsWritten) {
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return SetUserRoles(tx, Context(T(5), "admin", "req-1"), "admin",
                        {domain::Role::kAdministrator, domain::Role::kReviewer}, "")
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  EXPECT_TRUE(Audit().empty());
  EXPECT_EQ(Account("admin")->user.roles, std::vector{domain::Role::kAdministrator});
}

TEST_F(UsersTest, DisablingTheLastAdministratorIsRefusedAndNothingIsWritten) {
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    return CreateUser(tx, Context(T(5), "admin", "req-1"),
                      {"root2", "Second Admin", {domain::Role::kAdministrator}, kHash})
        .status();
  }));
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    return DisableUser(tx, Context(T(6), "root2", "req-2"), "admin", "left the lab").status();
  }));
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return DisableUser(tx, Context(T(7), "admin", "req-3"), "root2", "test").status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_FALSE(Account("root2")->user.disabled);
  EXPECT_TRUE(Account("admin")->user.disabled);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);  // the creation and the first disabling only
  EXPECT_EQ(audit[1].action, Name(domain::AuditAction::kUserDisable));
  EXPECT_EQ(audit[1].reason, "left the lab");
}

TEST_F(UsersTest, ASessionWithANewPasswordReplacesTheOldOneFirst) {
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    return OpenSession(tx, Context(T(9), "admin", ""),
                       {"token-sha", T(9) + absl::Hours(8), "ipv4:127.0.0.1:5000", kNewHash});
  }));
  EXPECT_EQ(Account("admin")->password_hash, kNewHash);
  EXPECT_EQ(Account("admin")->password_set_by, "admin");
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kUserChangePassword));
  EXPECT_EQ(audit[1].action, Name(domain::AuditAction::kUserLogin));
  EXPECT_EQ(audit[1].reason, "ipv4:127.0.0.1:5000");
}

TEST_F(UsersTest, RecordQualificationStoresItOnTheDayGivenWithItsAuditEntry) {
  absl::StatusOr<domain::Qualification> q;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    q = RecordQualification(tx, Context(T(5), "qa.tanaka", "req-q"),
                            {"admin", domain::Procedure::kPassage, absl::CivilDay(2025, 6, 1),
                             absl::CivilDay(2027, 6, 1), "TR-17"});
    return q.status();
  }));
  EXPECT_NE(q->qualification_id, 0);
  EXPECT_EQ(q->recorded_by, "qa.tanaka");
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kUserQualify));
  EXPECT_EQ(audit[0].resource,
            absl::StrCat("users/admin/qualifications/", q->qualification_id));
  EXPECT_EQ(audit[0].reason, "TR-17");
}

TEST_F(UsersTest, AQualificationOfAnUnknownUserIsRefusedAndNothingIsWritten) {
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return RecordQualification(tx, Context(T(5), "qa.tanaka", "req-q"),
                               {"nobody", domain::Procedure::kPassage, std::nullopt,
                                absl::CivilDay(2027, 6, 1), "TR-17"})
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound) << refused;
  EXPECT_TRUE(Audit().empty());
}

}  // namespace
}  // namespace cpctrack::app
