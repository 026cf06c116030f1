// Transaction: the audit trail and stored request answers.
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::AuditEntry;
using ::testing::ElementsAre;
using testing::StoreTest;
using testing::T;

AuditEntry Entry(absl::string_view resource, int minutes) {
  return AuditEntry{.at = T(minutes),
                    .actor = "tech.ito",
                    .action = "batch.record_passage",
                    .resource = std::string(resource),
                    .old_value = "{\"state\":\"REGISTERED\"}",
                    .new_value = "{\"state\":\"IN_CULTURE\",\"note\":\"\\u00e9\"}",
                    .reason = "",
                    .request_id = "req-1"};
}

class AuditQueriesTest : public StoreTest {
 protected:
  std::vector<AuditEntry> ForPrefix(absl::string_view prefix) {
    std::vector<AuditEntry> out;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<AuditEntry>> got = tx.AuditForResourcePrefix(prefix);
      if (!got.ok()) return got.status();
      out = *std::move(got);
      return absl::OkStatus();
    }));
    return out;
  }
  static std::vector<std::string> Resources(const std::vector<AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const AuditEntry& e : entries) out.push_back(e.resource);
    return out;
  }
};

TEST_F(AuditQueriesTest, EntryRoundTripsWithItsSequence) {
  AuditEntry entry = Entry("patients/P-001", 1);
  entry.reason = "weight corrected: scale recalibrated";
  MustWrite([&](Transaction& tx) { return tx.AppendAudit(entry); });
  EXPECT_GT(entry.sequence, 0);
  const std::vector<AuditEntry> got = ForPrefix("patients/P-001");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].sequence, entry.sequence);
  EXPECT_EQ(got[0].at, entry.at);
  EXPECT_EQ(got[0].actor, entry.actor);
  EXPECT_EQ(got[0].action, entry.action);
  EXPECT_EQ(got[0].resource, entry.resource);
  EXPECT_EQ(got[0].old_value, entry.old_value);
  EXPECT_EQ(got[0].new_value, entry.new_value);
  EXPECT_EQ(got[0].reason, entry.reason);
  EXPECT_EQ(got[0].request_id, entry.request_id);
}

TEST_F(AuditQueriesTest, PrefixMatchesOnlyResourcesThatStartWithIt) {
  const std::vector<std::string> resources = {
      "batches/A999926000001K",
      "batches/A999926000001K/records/1",
      "batches/A999926000002X",           // a neighbour, same length
      "batches/A999926000001",            // shorter than the prefix
      "batches/A999926000001K/records/2",
      "batchesX/A999926000001K",          // shares a shorter prefix only
      "patients/P-001",
      "batches/A999926000001Kz",          // longer, still starts with the prefix
      "Batches/A999926000001K",           // case differs
  };
  MustWrite([&](Transaction& tx) -> absl::Status {
    int minute = 0;
    for (const std::string& r : resources) {
      AuditEntry e = Entry(r, minute++);
      if (absl::Status s = tx.AppendAudit(e); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  EXPECT_THAT(Resources(ForPrefix("batches/A999926000001K")),
              ElementsAre("batches/A999926000001K", "batches/A999926000001K/records/1",
                          "batches/A999926000001K/records/2", "batches/A999926000001Kz"));
  EXPECT_THAT(Resources(ForPrefix("batches/A999926000001K/")),
              ElementsAre("batches/A999926000001K/records/1",
                          "batches/A999926000001K/records/2"));
  EXPECT_THAT(Resources(ForPrefix("patients/")), ElementsAre("patients/P-001"));
  EXPECT_THAT(Resources(ForPrefix("equipment/")), ::testing::IsEmpty());
  // Everything, in sequence (write) order.
  EXPECT_EQ(Resources(ForPrefix("")), resources);
  EXPECT_EQ(Resources(ForPrefix(absl::string_view())), resources);
}

TEST_F(AuditQueriesTest, SequenceGrowsInWriteOrder) {
  AuditEntry a = Entry("patients/P-1", 5);
  AuditEntry b = Entry("patients/P-1", 1);  // earlier clock, later write
  MustWrite([&](Transaction& tx) { return tx.AppendAudit(a); });
  MustWrite([&](Transaction& tx) { return tx.AppendAudit(b); });
  EXPECT_GT(b.sequence, a.sequence);
  const std::vector<AuditEntry> got = ForPrefix("patients/P-1");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].sequence, a.sequence);
  EXPECT_EQ(got[1].sequence, b.sequence);
}

TEST_F(StoreTest, RequestRoundTripsBinaryResponseBytes) {
  const std::string bytes("\x0a\x05P-001\x00\x12\x00\xff\xfe", 12);
  ASSERT_EQ(bytes.size(), 12u);
  MustWrite([&](Transaction& tx) {
    return tx.SaveRequest("req-42", "CreatePatient", StoredResponse{"fp-1", bytes}, T(0));
  });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredResponse>> found = tx.FindRequest("req-42");
    if (!found.ok()) return found.status();
    EXPECT_TRUE(found->has_value());
    if (!found->has_value()) return absl::OkStatus();
    EXPECT_EQ((*found)->fingerprint, "fp-1");
    EXPECT_EQ((*found)->response, bytes);
    EXPECT_EQ((*found)->response.size(), 12u);
    absl::StatusOr<std::optional<StoredResponse>> missing = tx.FindRequest("req-43");
    EXPECT_TRUE(missing.ok() && !missing->has_value());
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, RequestWithEmptyResponseRoundTrips) {
  MustWrite([&](Transaction& tx) {
    return tx.SaveRequest("req-empty", "SetEquipmentStatus", StoredResponse{"fp", ""}, T(0));
  });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredResponse>> found = tx.FindRequest("req-empty");
    if (!found.ok()) return found.status();
    EXPECT_TRUE(found->has_value() && (*found)->response.empty());
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, SameRequestIdCannotBeSavedTwice) {
  MustWrite([&](Transaction& tx) {
    return tx.SaveRequest("req-1", "m", StoredResponse{"fp", "a"}, T(0));
  });
  const absl::Status status = store_->Write([&](Transaction& tx) {
    return tx.SaveRequest("req-1", "m", StoredResponse{"fp", "b"}, T(1));
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

}  // namespace
}  // namespace cpctrack::store
