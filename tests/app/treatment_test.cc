// The clinic's plan and bedside writes on a real SQLite file.
#include "app/treatment.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"
#include "tests/store/test_db.h"

namespace cpctrack::app {
namespace {

using store::testing::T;
using testing::AuditEntries;

class TreatmentTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    AddBatch(1, "P-001", domain::BatchState::kInCulture);
  }

  WriteContext Context(absl::string_view user, absl::string_view request_id) {
    return WriteContext{.now = T(10),
                        .zone = absl::UTCTimeZone(),
                        .user = std::string(user),
                        .full_name = std::string(user),
                        .request_id = std::string(request_id)};
  }

  NewPlan Plan(absl::string_view patient_id) {
    NewPlan plan{din_, std::string(patient_id), {}};
    plan.plan.plan_number = "JP-TP-<1>";
    plan.plan.fixed_cells = 15'000'000;
    plan.plan.infusions = {{0, 0, absl::CivilDay(2026, 2, 8)}, {0, 0, absl::CivilDay(2026, 2, 1)}};
    return plan;
  }

  const domain::Din din_ = store::testing::SampleDin(1);
};

TEST_F(TreatmentTest, CreatePlanStoresThePlanWithItsAuditEntry) {
  absl::StatusOr<PlanOutcome> out;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    out = CreatePlan(tx, Context("sched.mori", "req-plan"), Plan(""));
    return out.status();
  });
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_GT(out->plan.plan_id, 0);
  EXPECT_EQ(out->plan.patient_id, "P-001");
  EXPECT_EQ(out->plan.created_by, "sched.mori");
  EXPECT_EQ(out->plan.created_at, T(10));
  ASSERT_EQ(out->plan.infusions.size(), 2u);
  EXPECT_EQ(out->plan.infusions[0].planned_day, absl::CivilDay(2026, 2, 1));  // date order
  EXPECT_EQ(out->plan.infusions[0].sequence, 1);

  const std::vector<domain::AuditEntry> audit = AuditEntries(*store_);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "plan.create");
  EXPECT_EQ(audit[0].actor, "sched.mori");
  EXPECT_EQ(audit[0].request_id, "req-plan");
  const std::string compact = din_.compact();
  const std::string plan_id = std::to_string(out->plan.plan_id);
  EXPECT_EQ(audit[0].resource, "batches/" + compact + "/plans/" + plan_id);
  // The trail's own JSON, as every other entry (escaped where it is shown).
  EXPECT_EQ(audit[0].new_value,
            "{\"plan_id\":" + plan_id + ",\"patient_id\":\"P-001\",\"batch_id\":\"" + compact +
                "\",\"plan_number\":\"JP-TP-<1>\",\"fixed_cells\":15000000,"
                "\"cells_per_infusion\":15000000,\"infusions\":[{\"planned_infusion_id\":" +
                std::to_string(out->plan.infusions[0].infusion_id) +
                ",\"sequence\":1,\"planned_date\":\"2026-02-01\"},{\"planned_infusion_id\":" +
                std::to_string(out->plan.infusions[1].infusion_id) +
                ",\"sequence\":2,\"planned_date\":\"2026-02-08\"}],"
                "\"created_at\":\"2026-01-01T00:10:00.123457+00:00\",\"created_by\":\"sched.mori\"}");
}

TEST_F(TreatmentTest, APlanForAnotherPatientsBatchIsRefusedAndWritesNothing) {
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return CreatePlan(tx, Context("sched.mori", "req-plan"), Plan("P-002")).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(refused.message(), "plan.patient_id: batch " + din_.compact() +
                                   " belongs to patient P-001, not P-002");
  EXPECT_TRUE(AuditEntries(*store_).empty());
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<domain::TreatmentPlan>> plan = tx.PlanForBatch(din_);
    if (!plan.ok()) return plan.status();
    EXPECT_FALSE(plan->has_value());
    return absl::OkStatus();
  }));
}

TEST_F(TreatmentTest, ABedsideCheckBySomeoneNotQualifiedForInfusionsIsRefusedAndWritesNothing) {
  absl::StatusOr<PlanOutcome> plan;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    plan = CreatePlan(tx, Context("sched.mori", "req-plan"), Plan(""));
    return plan.status();
  });
  ASSERT_TRUE(plan.ok()) << plan.status();
  const BedsideScan scan{plan->plan.infusions[0].infusion_id, "W000000000000-01", "W000000000000-01",
                         "P-001", T(10)};
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return RecordBedsideCheck(tx, Context("nurse.abe", "req-check"), scan).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("nurse.abe"), std::string::npos) << refused;
  EXPECT_EQ(AuditEntries(*store_).size(), 1u);  // the plan's only
}

}  // namespace
}  // namespace cpctrack::app
