// Use under the physician's responsibility (issue 13 item 4): a batch whose
// only shortfalls are covered by deviations closed with the physician's signed
// request is releasable, and released, as non-conforming, naming them; a
// positive test or an uncovered shortfall still blocks.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/readiness.h"
#include "domain/release_steps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "readiness_world.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using namespace testing_world;  // NOLINT

StepContext Ctx(absl::Time now) { return StepContext{now, kUtc, "qa-sato"}; }

// The releasable world with viability 62 % (minimum 70 %) on its release test,
// and the deviation that result raised: open, or closed with `disposition`.
World LowViabilityWorld(std::optional<Disposition> disposition) {
  World w = ReleasableWorld();
  QcTest* viability = w.Test(QcTestType::kViability);
  viability->results.clear();
  viability->reviews.clear();
  AddResult(*viability, ViabilityResult{62}, 900);
  AddReview(*viability);
  Deviation d;
  d.deviation_id = 12;
  d.kind = DeviationKind::kOutOfSpecification;
  d.description = "VIABILITY test 106 out of specification: viability 62% is below 70%";
  d.opened_at = w.now - absl::Hours(3);
  d.opened_by = "tanaka";
  d.qc_test_id = viability->test_id;
  if (disposition.has_value()) {
    d.state = DeviationState::kClosed;
    d.closure = DeviationClosure{*disposition, "no other cells", w.now - absl::Hours(1),
                                 "qa-mori",
                                 *disposition == Disposition::kUseUnderPhysicianResponsibility
                                     ? "dr.ito"
                                     : ""};
  }
  w.deviations.push_back(d);
  return w;
}

TEST(NonConformingTest, AnOutOfSpecificationResultBlocksUntilThePhysiciansRequest) {
  for (std::optional<Disposition> disposition :
       {std::optional<Disposition>(), std::optional<Disposition>(Disposition::kContinue)}) {
    World w = LowViabilityWorld(disposition);
    const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
    EXPECT_FALSE(r.ready);
    EXPECT_THAT(r.non_conformities, IsEmpty());
    const Criterion* viability = FindCriterion(r, "viability");
    ASSERT_NE(viability, nullptr);
    EXPECT_EQ(viability->status, CriterionStatus::kNotMet);
    absl::Status status = DecideRelease(w.Facts(), Ctx(w.now)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(status.message()), HasSubstr("viability not met"));
  }
}

TEST(NonConformingTest, ReleasableAsNonConformingUnderThePhysiciansRequest) {
  World w = LowViabilityWorld(Disposition::kUseUnderPhysicianResponsibility);
  const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
  EXPECT_TRUE(r.ready);
  ASSERT_THAT(r.non_conformities, SizeIs(1));
  EXPECT_EQ(r.non_conformities[0].deviation_id, 12);
  EXPECT_EQ(r.non_conformities[0].physician, "dr.ito");
  EXPECT_EQ(NonConformingText(r.non_conformities),
            "NON-CONFORMING under deviation 12 (physician dr.ito's request)");

  const Criterion* viability = FindCriterion(r, "viability");
  ASSERT_NE(viability, nullptr);
  EXPECT_EQ(viability->status, CriterionStatus::kNonConforming);
  EXPECT_THAT(viability->value, HasSubstr("viability 62% is below the minimum 70%"));
  EXPECT_THAT(viability->value,
              HasSubstr("releasable as non-conforming under deviation 12 (physician dr.ito's "
                        "request)"));
  const Criterion* use = FindCriterion(r, "use under the physician's responsibility");
  ASSERT_NE(use, nullptr);
  EXPECT_EQ(use->status, CriterionStatus::kNonConforming);
  EXPECT_THAT(use->value, HasSubstr("deviation 12 (physician dr.ito's request): VIABILITY"));

  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->release.meaning,
            "released for infusion as NON-CONFORMING under deviation 12 (physician dr.ito's "
            "request)");
  w.release = release->release;
  w.batch.state = *release->effects.new_state;
  const Readiness after = EvaluateReadiness(w.Facts());
  EXPECT_TRUE(after.ready);
  EXPECT_THAT(FindCriterion(after, "QA release")->value, HasSubstr("as NON-CONFORMING"));
  EXPECT_EQ(StatusForPlannedDay(w.batch, after, absl::CivilDay(2026, 6, 1), kUtc),
            BoardStatus::kReady);
}

TEST(NonConformingTest, TheRequestCoversOnlyTheResultThatRaisedItsDeviation) {
  World w = LowViabilityWorld(Disposition::kUseUnderPhysicianResponsibility);
  // Endotoxin out of specification too, with no deviation closed for it.
  QcTest* endotoxin = w.Test(QcTestType::kEndotoxin);
  endotoxin->results.clear();
  endotoxin->reviews.clear();
  AddResult(*endotoxin, EndotoxinResult{9}, 901);
  AddReview(*endotoxin);
  const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(FindCriterion(r, "viability")->status, CriterionStatus::kNonConforming);
  EXPECT_EQ(FindCriterion(r, "endotoxin")->status, CriterionStatus::kNotMet);
  absl::Status status = DecideRelease(w.Facts(), Ctx(w.now)).status();
  EXPECT_THAT(std::string(status.message()), HasSubstr("endotoxin not met"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("viability not met")));
}

TEST(NonConformingTest, APositiveTestStillBlocksANonConformingBatch) {
  World w = LowViabilityWorld(Disposition::kUseUnderPhysicianResponsibility);
  QcTest* sterility = w.Test(QcTestType::kSterility);
  sterility->results.clear();
  sterility->reviews.clear();
  AddResult(*sterility, DetectionResult{Detection::kPositive, "S. aureus"}, 902);
  EXPECT_FALSE(EvaluateReadiness(w.Facts(), /*for_release=*/true).ready);
  EXPECT_EQ(FindCriterion(EvaluateReadiness(w.Facts(), true), "sterility")->status,
            CriterionStatus::kNotMet);
}

TEST(NonConformingTest, ThePassageLimitIsCoveredByItsOwnDeviation) {
  World w = ReleasableWorld();
  w.product.max_passage = 1;  // the batch is at P2
  EXPECT_EQ(FindCriterion(EvaluateReadiness(w.Facts(), true), "passage")->status,
            CriterionStatus::kNotMet);
  Deviation d;
  d.deviation_id = 14;
  d.kind = DeviationKind::kPassageLimit;
  d.description = "passage P2 beyond the limit P1";
  d.state = DeviationState::kClosed;
  d.closure = DeviationClosure{Disposition::kUseUnderPhysicianResponsibility, "needed",
                               w.now - absl::Hours(1), "qa-mori", "dr.ito"};
  w.deviations.push_back(d);
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(FindCriterion(r, "passage")->status, CriterionStatus::kNonConforming);
  EXPECT_TRUE(r.ready);
}

TEST(NonConformingTest, NonConformitiesListOnlyPhysicianUse) {
  World w = LowViabilityWorld(Disposition::kUseUnderPhysicianResponsibility);
  EXPECT_THAT(NonConformities(w.deviations), SizeIs(1));  // the closed CONTINUE is not one
  EXPECT_EQ(NonConformingText({}), "");
  EXPECT_EQ(NonConformingText({{12, "a", "dr.ito"}, {14, "b", "dr.abe"}}),
            "NON-CONFORMING under deviation 12 (physician dr.ito's request), deviation 14 "
            "(physician dr.abe's request)");
}

TEST(NonConformingTest, ThePhysiciansRequestIsPartOfTheRecordHash) {
  World w = LowViabilityWorld(Disposition::kUseUnderPhysicianResponsibility);
  const std::string with = BatchRecordHash(w.Facts());
  w.deviations.back().closure->physician = "dr.abe";
  EXPECT_NE(BatchRecordHash(w.Facts()), with);
}

}  // namespace
}  // namespace cpctrack::domain
