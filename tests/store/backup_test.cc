// Backups of a database file without a server (the copy under cpcd's write
// load is tested end to end in tests/e2e/lab_tools_test.cc).
#include "store/backup.h"

#include <sys/stat.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/audit_chain.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("backup_test_", ::testing::UnitTest::GetInstance()->random_seed(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A database at the latest schema whose audit trail has these sequences,
  // each linked into the hash chain as cpcd links it.
  std::string MakeDatabase(std::initializer_list<int> sequences) {
    const std::string path = (dir_ / "live.db").string();
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    EXPECT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE(Migrate(**db).ok());
    for (int sequence : sequences) {
      EXPECT_TRUE((*db)->Exec(absl::StrCat(
                                  "INSERT INTO audit_log VALUES (", sequence,
                                  ", 0, 'tech', 'x', 'r', '', '{}', '', 'req-", sequence, "')"))
                      .ok());
      cpctrack::domain::AuditEntry entry{.sequence = sequence,
                                         .at = absl::UnixEpoch(),
                                         .actor = "tech",
                                         .action = "x",
                                         .resource = "r",
                                         .new_value = "{}",
                                         .request_id = absl::StrCat("req-", sequence)};
      EXPECT_TRUE(LinkAuditEntry(**db, entry).ok());
    }
    db_ = *std::move(db);  // kept open, as cpcd keeps it
    return path;
  }

  std::string Out() const { return (dir_ / "copy.db").string(); }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(BackupTest, CopyOfAGoodDatabasePassesEveryCheck) {
  const std::string live = MakeDatabase({1, 2, 3});
  absl::StatusOr<BackupSummary> summary = BackupDatabase(live, Out());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->schema_version, LatestSchemaVersion());
  EXPECT_EQ(summary->last_audit_sequence, 3);
  EXPECT_GT(summary->pages, 0);
  EXPECT_FALSE(std::filesystem::exists(Out() + "-wal")) << "one self-contained file";

  absl::StatusOr<std::vector<BackupCheck>> checks = VerifyBackup(Out());
  ASSERT_TRUE(checks.ok()) << checks.status();
  ASSERT_EQ(checks->size(), 5u);
  for (const BackupCheck& check : *checks) EXPECT_TRUE(check.ok) << check.name << check.detail;
  EXPECT_EQ((*checks)[3].detail, "3 entries, sequence 1-3 without gaps");
  EXPECT_EQ((*checks)[4].name, "audit chain");
  EXPECT_THAT((*checks)[4].detail, ::testing::StartsWith("3 entries, head 3:"));
}

TEST_F(BackupTest, TheCopyIsReadableByItsOwnerOnly) {
  const std::string live = MakeDatabase({1, 2});
  const mode_t saved = umask(022);  // a usual umask would make it world-readable
  const absl::StatusOr<BackupSummary> summary = BackupDatabase(live, Out());
  umask(saved);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(std::filesystem::status(Out()).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(BackupTest, AnEntryChangedInTheCopyFailsTheChain) {
  const std::string live = MakeDatabase({1, 2, 3});
  ASSERT_TRUE(BackupDatabase(live, Out()).ok());
  {
    absl::StatusOr<std::unique_ptr<Database>> copy = Database::Open(Out());
    ASSERT_TRUE(copy.ok()) << copy.status();
    ASSERT_TRUE((*copy)->Exec("DROP TRIGGER audit_log_no_update;"
                              "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2;"
                              "PRAGMA journal_mode = DELETE")
                    .ok());
  }
  absl::StatusOr<std::vector<BackupCheck>> checks = VerifyBackup(Out());
  ASSERT_TRUE(checks.ok()) << checks.status();
  EXPECT_TRUE((*checks)[3].ok);  // the sequence alone cannot tell
  EXPECT_FALSE((*checks)[4].ok);
  EXPECT_THAT((*checks)[4].detail, ::testing::HasSubstr("entry 2 was changed"));
}

TEST_F(BackupTest, AGapInTheAuditTrailFailsVerification) {
  const std::string live = MakeDatabase({1, 2, 4, 5});
  ASSERT_TRUE(BackupDatabase(live, Out()).ok());
  absl::StatusOr<std::vector<BackupCheck>> checks = VerifyBackup(Out());
  ASSERT_TRUE(checks.ok()) << checks.status();
  EXPECT_FALSE((*checks)[3].ok);
  EXPECT_EQ((*checks)[3].detail, "4 entries up to sequence 5: entry 3 is missing");
}

TEST_F(BackupTest, NeverOverwritesAFile) {
  const std::string live = MakeDatabase({});
  ASSERT_TRUE(BackupDatabase(live, Out()).ok());
  EXPECT_EQ(BackupDatabase(live, Out()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BackupTest, DamagedFileFailsIntegrity) {
  const std::string path = (dir_ / "junk.db").string();
  MakeDatabase({1});
  db_.reset();
  ASSERT_TRUE(BackupDatabase((dir_ / "live.db").string(), path).ok());
  {
    // Overwrite the middle of page 2 onwards with garbage, keeping the header.
    FILE* f = std::fopen(path.c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, 4096 + 100, SEEK_SET);
    for (int i = 0; i < 8000; ++i) std::fputc(0x5a, f);
    std::fclose(f);
  }
  absl::StatusOr<std::vector<BackupCheck>> checks = VerifyBackup(path);
  if (checks.ok()) {
    EXPECT_FALSE((*checks)[0].ok) << (*checks)[0].detail;
  } else {
    EXPECT_THAT(checks.status().message(), HasSubstr("malformed"));
  }
  EXPECT_EQ(VerifyBackup((dir_ / "none.db").string()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cpctrack::store
