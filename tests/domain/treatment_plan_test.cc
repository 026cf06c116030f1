#include "domain/treatment_plan.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::TimeZone kJst = absl::FixedTimeZone(9 * 3600);
// 2026-05-10 16:00 UTC is already 2026-05-11 in Japan.
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 5, 10, 16, 0, 0), kUtc);

PlannedInfusion On(absl::CivilDay day) { return {0, 0, day}; }

class TreatmentPlanTest : public ::testing::Test {
 protected:
  TreatmentPlanTest() {
    patient_.patient_id = "PT-0042";
    patient_.body_weight_kg = 62.5;
    batch_.patient_id = "PT-0042";
    batch_.state = BatchState::kInCulture;
    plan_.plan_number = "PB3250001";
    plan_.fixed_cells = 50'000'000;
    plan_.infusions = {On(absl::CivilDay(2026, 6, 1)), On(absl::CivilDay(2026, 7, 1))};
  }

  absl::StatusOr<TreatmentPlan> Decide(absl::TimeZone zone = kUtc) {
    return DecideCreatePlan(patient_, batch_, plan_, StepContext{kNow, zone, "dr-kato"});
  }

  Patient patient_;
  Batch batch_{.batch_id = *Din::Create("A9999", 26, 18)};
  TreatmentPlan plan_;
};

TEST_F(TreatmentPlanTest, CreatedForThePatientsOwnBatch) {
  plan_.patient_id = "ignored";
  plan_.batch_id = "ignored";
  absl::StatusOr<TreatmentPlan> plan = Decide();
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->patient_id, "PT-0042");
  EXPECT_EQ(plan->batch_id, batch_.batch_id.compact());
  EXPECT_EQ(plan->plan_number, "PB3250001");
  EXPECT_EQ(plan->created_at, kNow);
  EXPECT_EQ(plan->created_by, "dr-kato");
  ASSERT_EQ(plan->infusions.size(), 2u);
}

TEST_F(TreatmentPlanTest, BatchOfAnotherPatientRefused) {
  batch_.patient_id = "PT-0999";
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("batch_id"));
  EXPECT_THAT(s.message(), HasSubstr("PT-0999"));
  EXPECT_THAT(s.message(), HasSubstr("PT-0042"));
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
}

TEST_F(TreatmentPlanTest, RejectedOrDisposedBatchRefused) {
  for (BatchState s : {BatchState::kRejected, BatchState::kDisposed}) {
    batch_.state = s;
    absl::Status status = Decide().status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("batch_id"));
    EXPECT_THAT(status.message(), HasSubstr(std::string(BatchStateName(s))));
  }
}

TEST_F(TreatmentPlanTest, PlanNumberRequired) {
  plan_.plan_number = "";
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("plan_number"));
}

TEST_F(TreatmentPlanTest, InfusionsSortedByDateAndNumberedFromOne) {
  plan_.infusions = {On(absl::CivilDay(2026, 8, 3)), On(absl::CivilDay(2026, 5, 20)),
                     On(absl::CivilDay(2026, 6, 15))};
  plan_.infusions[0].sequence = 9;  // whatever the caller sent
  absl::StatusOr<TreatmentPlan> plan = Decide();
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->infusions.size(), 3u);
  EXPECT_EQ(plan->infusions[0].planned_day, absl::CivilDay(2026, 5, 20));
  EXPECT_EQ(plan->infusions[1].planned_day, absl::CivilDay(2026, 6, 15));
  EXPECT_EQ(plan->infusions[2].planned_day, absl::CivilDay(2026, 8, 3));
  EXPECT_EQ(plan->infusions[0].sequence, 1);
  EXPECT_EQ(plan->infusions[1].sequence, 2);
  EXPECT_EQ(plan->infusions[2].sequence, 3);
}

TEST_F(TreatmentPlanTest, PastDatesRefused) {
  plan_.infusions.push_back(On(absl::CivilDay(2026, 5, 9)));
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("planned_infusions"));
  EXPECT_THAT(s.message(), HasSubstr("2026-05-09"));
  EXPECT_THAT(s.message(), HasSubstr("in the past"));
}

TEST_F(TreatmentPlanTest, TodayInTheFacilitysZoneIsNotPast) {
  // 2026-05-10 is today in UTC but yesterday in Japan.
  plan_.infusions = {On(absl::CivilDay(2026, 5, 10))};
  EXPECT_TRUE(Decide(kUtc).ok());
  absl::Status s = Decide(kJst).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("2026-05-10 is in the past"));
  plan_.infusions = {On(absl::CivilDay(2026, 5, 11))};
  EXPECT_TRUE(Decide(kJst).ok());
}

TEST_F(TreatmentPlanTest, DuplicateDatesRefused) {
  plan_.infusions = {On(absl::CivilDay(2026, 6, 1)), On(absl::CivilDay(2026, 7, 1)),
                     On(absl::CivilDay(2026, 6, 1))};
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("planned_infusions"));
  EXPECT_THAT(s.message(), HasSubstr("2026-06-01 is given twice"));
}

TEST_F(TreatmentPlanTest, OneToTwentyPlannedInfusions) {
  plan_.infusions.clear();
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("planned_infusions"));

  for (int i = 0; i < kMaxPlannedInfusions; ++i) {
    plan_.infusions.push_back(On(absl::CivilDay(2026, 6, 1) + 7 * i));
  }
  EXPECT_TRUE(Decide().ok());
  plan_.infusions.push_back(On(absl::CivilDay(2027, 6, 1)));
  s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("planned_infusions"));
  EXPECT_THAT(s.message(), HasSubstr("21"));
}

TEST_F(TreatmentPlanTest, ExactlyOneDoseKind) {
  plan_.cells_per_kg = 2'000'000;  // and fixed_cells
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("dose"));
  EXPECT_THAT(s.message(), HasSubstr("not both or neither"));

  plan_.cells_per_kg.reset();
  plan_.fixed_cells.reset();
  s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("not both or neither"));
}

TEST_F(TreatmentPlanTest, PerKgDoseNeedsAPlausibleWeight) {
  plan_.fixed_cells.reset();
  plan_.cells_per_kg = 2'000'000;
  patient_.body_weight_kg = 0;
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("body_weight_kg"));
}

TEST(TreatmentPlanDoseTest, PerKgAtThePatientsWeight) {
  TreatmentPlan plan;
  plan.cells_per_kg = 2'000'000;
  plan.infusions = {On(absl::CivilDay(2026, 6, 1)), On(absl::CivilDay(2026, 7, 1)),
                    On(absl::CivilDay(2026, 8, 1))};
  Patient patient;
  patient.body_weight_kg = 61.5;
  absl::StatusOr<DoseNeed> need = PlanDose(plan, patient);
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->cells_per_infusion, 123'000'000);
  EXPECT_EQ(need->infusions, 3);
  EXPECT_EQ(need->total_cells, 369'000'000);
}

TEST(TreatmentPlanDoseTest, FixedDoseIgnoresTheWeight) {
  TreatmentPlan plan;
  plan.fixed_cells = 100'000'000;
  plan.infusions = {On(absl::CivilDay(2026, 6, 1)), On(absl::CivilDay(2026, 7, 1))};
  Patient patient;
  patient.body_weight_kg = 80;
  absl::StatusOr<DoseNeed> need = PlanDose(plan, patient);
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->cells_per_infusion, 100'000'000);
  EXPECT_EQ(need->total_cells, 200'000'000);
}

}  // namespace
}  // namespace cpctrack::domain
