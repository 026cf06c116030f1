// Transaction: users, roles, sessions, login failures and signatures.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::Role;
using testing::StoreTest;
using testing::T;

constexpr char kHash[] = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";

domain::User Tanaka() {
  return {.name = "qa.tanaka",
          .full_name = "Tanaka Yui",
          .roles = {Role::kReviewer, Role::kTechnician},
          .created_at = T(1),
          .created_by = "admin.kato"};
}

class UserQueriesTest : public StoreTest {};

TEST_F(UserQueriesTest, AUserKeepsRolesAndCanBeDisabledAndGivenNewRoles) {
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) { return tx.InsertUser(Tanaka(), kHash, "admin.kato"); }));
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertUser(Tanaka(), kHash, "admin.kato"); }).code(),
            absl::StatusCode::kAlreadyExists);
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<UserAccount> account = tx.GetUser("qa.tanaka");
    if (!account.ok()) return account.status();
    EXPECT_EQ(account->user.full_name, "Tanaka Yui");
    EXPECT_EQ(account->password_hash, kHash);
    EXPECT_THAT(account->user.roles, ::testing::ElementsAre(Role::kTechnician, Role::kReviewer));
    EXPECT_FALSE(account->user.disabled);
    EXPECT_EQ(account->failed_logins, 0);
    if (absl::Status s = tx.SetUserRoles("qa.tanaka", {Role::kAuditor}); !s.ok()) return s;
    if (absl::Status s = tx.SetLoginFailures("qa.tanaka", 4, T(9)); !s.ok()) return s;
    return tx.SetUserDisabled("qa.tanaka", true);
  }));
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<UserAccount> account = tx.GetUser("qa.tanaka");
    if (!account.ok()) return account.status();
    EXPECT_THAT(account->user.roles, ::testing::ElementsAre(Role::kAuditor));
    EXPECT_TRUE(account->user.disabled);
    EXPECT_EQ(account->failed_logins, 4);
    EXPECT_EQ(account->next_login_at, T(9));
    EXPECT_EQ(tx.GetUser("nobody").status().code(), absl::StatusCode::kNotFound);
    return absl::OkStatus();
  }));
}

TEST_F(UserQueriesTest, OnlyEnabledAdministratorsCount) {
  domain::User admin = Tanaka();
  admin.name = "admin.kato";
  admin.roles = {Role::kAdministrator};
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertUser(Tanaka(), kHash, "admin.kato"); !s.ok()) return s;
    return tx.InsertUser(admin, kHash, "admin.kato");
  }));
  auto count = [&] {
    int n = -1;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<int> c = tx.CountAdministrators();
      if (c.ok()) n = *c;
      return c.status();
    }));
    return n;
  };
  EXPECT_EQ(count(), 1);
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) { return tx.SetUserDisabled("admin.kato", true); }));
  EXPECT_EQ(count(), 0);
}

TEST_F(UserQueriesTest, SessionsAreFoundByTokenHashAndRevoked) {
  const std::string hash(32, '\x7f');
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertUser(Tanaka(), kHash, "admin.kato"); !s.ok()) return s;
    return tx.InsertSession(hash, SessionRow{"qa.tanaka", T(1), T(100)});
  }));
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<SessionRow>> found = tx.FindSession(hash);
    if (!found.ok()) return found.status();
    EXPECT_TRUE(found->has_value());
    EXPECT_EQ((*found)->user_name, "qa.tanaka");
    EXPECT_EQ((*found)->expires_at, T(100));
    EXPECT_FALSE((*found)->revoked);
    EXPECT_FALSE(tx.FindSession(std::string(32, 'x'))->has_value());
    return tx.RevokeSessionsOf("qa.tanaka");
  }));
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    EXPECT_TRUE((*tx.FindSession(hash))->revoked);
    return absl::OkStatus();
  }));
}

TEST_F(UserQueriesTest, ARecordIsSignedOncePerMeaningAndSignaturesAreAppendOnly) {
  domain::Signature signature{.signer = "qa.tanaka",
                              .full_name = "Tanaka Yui",
                              .meaning = domain::SignatureMeaning::kResultReviewed,
                              .signed_at = T(5),
                              .resource = "batches/A9999260000018/qc_tests/1/results/1",
                              .content_sha256 = std::string(64, 'a')};
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertUser(Tanaka(), kHash, "admin.kato"); !s.ok()) return s;
    return tx.InsertSignature(signature);
  }));
  EXPECT_GT(signature.signature_id, 0);
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertSignature(signature); }).code(),
            absl::StatusCode::kAlreadyExists);
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Signature>> found = tx.SignaturesFor(signature.resource);
    if (!found.ok()) return found.status();
    EXPECT_EQ(found->size(), 1u);
    EXPECT_EQ(found->at(0).full_name, "Tanaka Yui");
    EXPECT_EQ(found->at(0).signed_at, T(5));
    EXPECT_EQ(found->at(0).content_sha256, signature.content_sha256);
    return absl::OkStatus();
  }));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &raw), SQLITE_OK);
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(raw, "UPDATE signatures SET signer = 'mallory'", nullptr, nullptr, &error),
            SQLITE_OK);
  EXPECT_THAT(error ? std::string(error) : "", ::testing::HasSubstr("append-only"));
  sqlite3_free(error);
  sqlite3_close(raw);
}

}  // namespace
}  // namespace cpctrack::store

namespace cpctrack::store {
namespace {

TEST_F(UserQueriesTest, APasswordRemembersWhoSetIt) {
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertUser(Tanaka(), kHash, "admin.kato"); !s.ok()) return s;
    EXPECT_EQ(tx.GetUser("qa.tanaka")->password_set_by, "admin.kato");
    return tx.SetPasswordHash("qa.tanaka", kHash, "qa.tanaka");
  }));
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.GetUser("qa.tanaka")->password_set_by, "qa.tanaka");
    return absl::OkStatus();
  }));
}

// Users, roles and sessions change only by audited steps; what those steps
// never do, the file refuses too.
TEST_F(UserQueriesTest, UsersRolesAndSessionsCannotBeRewritten) {
  CPC_ASSERT_OK(store_->Write([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertUser(Tanaka(), kHash, "admin.kato"); !s.ok()) return s;
    return tx.InsertSession(std::string(32, 'k'), SessionRow{"qa.tanaka", T(1), T(100)});
  }));
  testing::RawConnection raw(db_path_);
  EXPECT_NE(raw.Exec("DELETE FROM users WHERE user_name = 'qa.tanaka'"), SQLITE_OK);
  EXPECT_NE(raw.Exec("UPDATE users SET created_by = 'someone' WHERE user_name = 'qa.tanaka'"),
            SQLITE_OK);
  EXPECT_NE(raw.Exec("UPDATE user_roles SET role = 5 WHERE user_name = 'qa.tanaka'"), SQLITE_OK);
  EXPECT_NE(raw.Exec("DELETE FROM sessions"), SQLITE_OK);
  EXPECT_NE(raw.Exec("UPDATE sessions SET expires_at = expires_at + 1000"), SQLITE_OK);
  EXPECT_EQ(raw.Exec("UPDATE sessions SET revoked = 1"), SQLITE_OK) << raw.last_error();
  EXPECT_NE(raw.Exec("UPDATE sessions SET revoked = 0"), SQLITE_OK);
}

}  // namespace
}  // namespace cpctrack::store
