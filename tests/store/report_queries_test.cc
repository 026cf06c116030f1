// The reads the periodic report loads: the batches under a plan number (the
// plan in force decides), every release, every state change.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/store/test_db.h"

namespace cpctrack::store::testing {
namespace {

using ::testing::ElementsAre;

class ReportQueriesTest : public StoreTest {
 protected:
  void Plan(const domain::Batch& batch, const std::string& number, int minutes) {
    domain::TreatmentPlan plan{.patient_id = batch.patient_id,
                               .batch_id = batch.batch_id.compact(),
                               .plan_number = number,
                               .fixed_cells = 1e8,
                               .created_at = T(minutes),
                               .created_by = "sched.mori"};
    plan.infusions.push_back({.sequence = 1, .planned_day = absl::CivilDay(2026, 3, 1)});
    MustWrite([&](Transaction& tx) { return tx.InsertPlan(plan); });
  }
};

TEST_F(ReportQueriesTest, BatchesUnderPlanFollowThePlanInForce) {
  SeedReferenceData();
  const domain::Batch a = AddBatch(1, "P-001");
  const domain::Batch b = AddBatch(2, "P-001");
  const domain::Batch c = AddBatch(3, "P-001");
  Plan(a, "TP-1", 1);
  Plan(b, "TP-1", 2);
  Plan(b, "TP-2", 3);  // b's plan in force is now TP-2
  Plan(c, "TP-2", 4);
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    EXPECT_THAT(*tx.BatchesUnderPlan("TP-1"), ElementsAre(a.batch_id.compact()));
    EXPECT_THAT(*tx.BatchesUnderPlan("TP-2"),
                ElementsAre(b.batch_id.compact(), c.batch_id.compact()));
    EXPECT_TRUE(tx.BatchesUnderPlan("TP-9")->empty());
    return absl::OkStatus();
  }));
}

TEST_F(ReportQueriesTest, EveryReleaseAndStateChangeInOrder) {
  SeedReferenceData();
  const domain::Batch a = AddBatch(1, "P-001", domain::BatchState::kCryopreserved);
  domain::Release first{.signer = "qa.tanaka", .signed_at = T(10),
                        .record_hash = std::string(64, 'a')};
  domain::Release second{.signer = "qa.mori", .signed_at = T(20),
                         .record_hash = std::string(64, 'b')};
  MustWrite([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertRelease(a.batch_id, first); !s.ok()) return s;
    if (absl::Status s = tx.InsertRelease(a.batch_id, second); !s.ok()) return s;
    if (absl::Status s = tx.InsertStateChange(a.batch_id, domain::BatchState::kCryopreserved,
                                              domain::BatchState::kReleased, T(10), "qa.tanaka",
                                              "released");
        !s.ok()) {
      return s;
    }
    return tx.InsertStateChange(a.batch_id, domain::BatchState::kReleased,
                                domain::BatchState::kDisposed, T(30), "qa.mori", "expired");
  });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    const std::vector<domain::Release> releases = *tx.LoadReleases(a.batch_id);
    EXPECT_EQ(releases.size(), 2u);
    EXPECT_EQ(releases[0].signer, "qa.tanaka");
    EXPECT_EQ(releases[1].signed_at, T(20));
    EXPECT_EQ((*tx.LatestRelease(a.batch_id))->signer, "qa.mori");
    const std::vector<domain::BatchStateChange> changes = *tx.LoadStateChanges(a.batch_id);
    EXPECT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[1].from, domain::BatchState::kReleased);
    EXPECT_EQ(changes[1].to, domain::BatchState::kDisposed);
    EXPECT_EQ(changes[1].at, T(30));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::store::testing
