// A positive after release (issue 13 items 2 and 3): the follow-up names
// every infused unit, closes only with QA's and the physician's signatures,
// and keeps the patient's later infusions NOT READY while open.
#include "domain/followup.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/plausibility.h"
#include "domain/quarantine.h"
#include "domain/readiness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "readiness_world.h"

namespace cpctrack::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing_world;  // NOLINT

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 10, 0, 0), kUtc);

StepContext Ctx(const std::string& actor, absl::Time now = kNow) {
  return StepContext{now, kUtc, actor};
}

struct Finding {
  Batch batch;
  QcSample sample;
  QcTest test;
  std::vector<InfusionOnRecord> infused;
  BatchEffects effects;
};

Finding SterilityPositiveAfterInfusion() {
  Finding f{.batch = Batch{.batch_id = *Din::Create("A9999", 26, 18)}};
  f.batch.patient_id = "TKY-0042";
  f.batch.state = BatchState::kReleased;
  f.sample = SampleAt(3, SamplePoint::kFinalProduct, kNow - absl::Hours(24 * 3));
  f.test = PendingTest(7, 3, QcTestType::kSterility, f.sample.drawn_at);
  f.infused = {{11, "A9999260000018-01", "TKY-0042", kNow - absl::Hours(24 * 2), 70, "PB3250001"}};
  f.effects.unit_changes = {{"A9999260000018-02", UnitEventKind::kQuarantined, UnitState::kStored,
                             UnitState::kQuarantined}};
  return f;
}

std::optional<FollowUp> Decide(const Finding& f, bool released, const QcValue& value) {
  return DecideFollowUp(f.batch, released, f.sample, f.test, value, f.infused, f.effects,
                        Ctx("tanaka"));
}

const QcValue kGrowth = DetectionResult{Detection::kPositive, "S. aureus"};

TEST(FollowUpTest, APositiveAfterInfusionNamesTheUnitPatientTimeAndPlan) {
  const Finding f = SterilityPositiveAfterInfusion();
  std::optional<FollowUp> up = Decide(f, true, kGrowth);
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->patient_id, "TKY-0042");
  EXPECT_EQ(up->qc_test_id, 7);
  EXPECT_THAT(up->held_unit_ids, ElementsAre("A9999260000018-02"));
  EXPECT_EQ(DescribeFollowUp(*up),
            absl::StrCat("STERILITY test 7 POSITIVE (S. aureus) (sample 3, FINAL_PRODUCT) on "
                         "batch ", f.batch.batch_id.compact(),
                         "; A9999260000018-01 infused into TKY-0042 on ",
                         FormatUtc(kNow - absl::Hours(48)),
                         " (plan PB3250001); held: A9999260000018-02"));
  EXPECT_TRUE(up->Open());
}

TEST(FollowUpTest, AGramStainSeeingOrganismsAfterReleaseIsAFollowUpToo) {
  Finding f = SterilityPositiveAfterInfusion();
  f.test.type = QcTestType::kGramStain;
  f.infused.clear();
  std::optional<FollowUp> up =
      Decide(f, true, GramStainResult{GramFinding::kOrganismsSeen, "cocci"});
  ASSERT_TRUE(up.has_value());
  EXPECT_THAT(DescribeFollowUp(*up), HasSubstr("released, no unit infused yet"));
}

TEST(FollowUpTest, NoFollowUpBeforeReleaseOrForANegative) {
  Finding f = SterilityPositiveAfterInfusion();
  EXPECT_FALSE(Decide(f, true, DetectionResult{Detection::kNegative, ""}).has_value());
  f.infused.clear();
  EXPECT_FALSE(Decide(f, false, kGrowth).has_value());
  EXPECT_FALSE(Decide(f, true, EndotoxinResult{9}).has_value());
}

FollowUp Opened() { return *Decide(SterilityPositiveAfterInfusion(), true, kGrowth); }

TEST(FollowUpTest, ClosesOnlyWithQaAssessmentThenThePhysiciansAcknowledgement) {
  FollowUp up = Opened();
  absl::StatusOr<FollowUpAcknowledgement> early =
      DecideAcknowledgement(up, "informed", std::nullopt, Ctx("dr-ito"));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(early.status().message()), HasSubstr("has no QA assessment yet"));

  absl::StatusOr<FollowUpAssessment> a =
      DecideAssessment(up, "culture contaminated at filling", false, Ctx("qa-sato"));
  ASSERT_TRUE(a.ok()) << a.status();
  up.assessment = *a;
  EXPECT_TRUE(up.Open());
  EXPECT_EQ(DecideAssessment(up, "again", false, Ctx("qa-sato")).status().code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(DecideAcknowledgement(up, "informed", std::nullopt, Ctx("qa-sato")).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<FollowUpAcknowledgement> k =
      DecideAcknowledgement(up, "patient examined, afebrile", std::nullopt, Ctx("dr-ito"));
  ASSERT_TRUE(k.ok()) << k.status();
  up.acknowledgement = *k;
  EXPECT_FALSE(up.Open());
}

TEST(FollowUpTest, ASuspectedAdverseEventNeedsTheReportDate) {
  FollowUp up = Opened();
  up.assessment = *DecideAssessment(up, "fever reported", true, Ctx("qa-sato"));
  absl::StatusOr<FollowUpAcknowledgement> none =
      DecideAcknowledgement(up, "informed", std::nullopt, Ctx("dr-ito"));
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("report_filed_on: required"));
  absl::StatusOr<FollowUpAcknowledgement> future =
      DecideAcknowledgement(up, "informed", absl::CivilDay(2026, 12, 4), Ctx("dr-ito"));
  EXPECT_THAT(std::string(future.status().message()),
              HasSubstr("report_filed_on: 2026-12-04 must be between 2026-12-03"));
  absl::StatusOr<FollowUpAcknowledgement> filed =
      DecideAcknowledgement(up, "informed", absl::CivilDay(2026, 12, 3), Ctx("dr-ito"));
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->report_filed_on, absl::CivilDay(2026, 12, 3));
}

TEST(FollowUpTest, DeadlinesAreDueFromTheOpeningAndOverdueOnlyWhileOpen) {
  FollowUp up = Opened();
  const std::vector<absl::Duration> settings = {absl::Hours(7 * 24), absl::Hours(15 * 24)};
  std::vector<DeadlineStatus> d = FollowUpDeadlines(up, settings, kNow + absl::Hours(8 * 24));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].name, "report within 7 days");
  EXPECT_EQ(d[0].due_at, kNow + absl::Hours(7 * 24));
  EXPECT_TRUE(d[0].overdue);
  EXPECT_FALSE(d[1].overdue);
  up.assessment = FollowUpAssessment{"x", false, kNow, "qa-sato"};
  up.acknowledgement = FollowUpAcknowledgement{"y", std::nullopt, kNow, "dr-ito"};
  EXPECT_FALSE(FollowUpDeadlines(up, settings, kNow + absl::Hours(30 * 24))[0].overdue);
}

TEST(FollowUpTest, AnOpenFollowUpMakesThePatientsNextInfusionNotReady) {
  World w = ReleasableWorld();
  FollowUp up = Opened();
  up.follow_up_id = 4;
  w.batch.state = BatchState::kQuarantined;
  ReadinessFacts facts = w.Facts();
  facts.follow_ups = {up};
  const Readiness r = EvaluateReadiness(facts);
  const Criterion* c = FindCriterion(r, "follow-up after release");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, CriterionStatus::kNotMet);
  EXPECT_THAT(c->value, HasSubstr("follow-up 4: STERILITY test 7 POSITIVE"));
  EXPECT_EQ(StatusForPlannedDay(w.batch, r, absl::CivilDay(2026, 6, 29), kUtc),
            BoardStatus::kNotReady);
  // Closed, the quarantine alone puts the next infusion at risk again.
  facts.follow_ups[0].assessment = FollowUpAssessment{"x", false, kNow, "qa-sato"};
  facts.follow_ups[0].acknowledgement = FollowUpAcknowledgement{"y", std::nullopt, kNow, "dr-ito"};
  const Readiness closed = EvaluateReadiness(facts);
  EXPECT_EQ(FindCriterion(closed, "follow-up after release")->status, CriterionStatus::kMet);
  EXPECT_EQ(StatusForPlannedDay(w.batch, closed, absl::CivilDay(2026, 6, 29), kUtc),
            BoardStatus::kAtRisk);
}

TEST(FollowUpTest, ThePhysicianReadsAcknowledgesAndRequestsAndSignsNothingElse) {
  EXPECT_TRUE(IsSigningRole(Role::kPhysician));
  EXPECT_TRUE(IsSigningRole(Role::kReviewer));
  EXPECT_FALSE(IsSigningRole(Role::kAdministrator));
  for (Permission p : AllPermissions()) {
    EXPECT_EQ(RoleGrants(Role::kPhysician, p),
              p == Permission::kReadRecords || p == Permission::kAcknowledgeFollowUps ||
                  p == Permission::kRequestPhysicianUse)
        << PermissionName(p);
  }
  EXPECT_EQ(*ParseRole("physician"), Role::kPhysician);
}

}  // namespace
}  // namespace cpctrack::domain
