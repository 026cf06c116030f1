// Writes about the audit trail itself, on a real SQLite file.
#include "app/audit_records.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"
#include "tests/store/test_db.h"

namespace cpctrack::app {
namespace {

using store::testing::T;
using testing::AuditEntries;

class AuditRecordsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    AddBatch(1, "P-001");
  }
};

TEST_F(AuditRecordsTest, AnExportIsRecordedAsTheLastEntryItLists) {
  const WriteContext ctx{.now = T(5), .user = "auditor.kato"};
  absl::StatusOr<int64_t> sequence;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    sequence = RecordAuditExport(tx, ctx, "{\"batch_id\":\"\"}");
    return sequence.status();
  });
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  const std::vector<domain::AuditEntry> audit = AuditEntries(*store_);
  ASSERT_FALSE(audit.empty());
  const domain::AuditEntry& entry = audit.back();
  EXPECT_EQ(entry.sequence, *sequence);
  EXPECT_EQ(entry.action, "audit.export");
  EXPECT_EQ(entry.actor, "auditor.kato");
  EXPECT_EQ(entry.resource, "audit");
  EXPECT_EQ(entry.new_value, "{\"batch_id\":\"\"}");
  EXPECT_EQ(entry.at, T(5));
}

TEST_F(AuditRecordsTest, AnIntactChainHasNoBreakToAcknowledgeAndNothingIsWritten) {
  const size_t before = AuditEntries(*store_).size();
  const WriteContext ctx{.now = T(5), .user = "admin.sato"};
  absl::StatusOr<std::vector<domain::AuditBreak>> acknowledged;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    acknowledged = AcknowledgeAuditBreaks(tx, ctx, "checked after the restore");
    return acknowledged.status();
  });
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status();
  EXPECT_TRUE(acknowledged->empty());
  EXPECT_EQ(AuditEntries(*store_).size(), before);
}

}  // namespace
}  // namespace cpctrack::app
