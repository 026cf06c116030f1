#include "domain/readiness.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/plausibility.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "readiness_world.h"

namespace cpctrack::domain {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_world;  // NOLINT

using S = CriterionStatus;

Criterion Get(const Readiness& r, const std::string& name) {
  const Criterion* c = FindCriterion(r, name);
  if (c == nullptr) {
    ADD_FAILURE() << "no criterion named \"" << name << "\"";
    return {"<missing>", S::kPending, "", ""};
  }
  return *c;
}

std::vector<std::string> Names(const Readiness& r) {
  std::vector<std::string> names;
  for (const Criterion& c : r.criteria) names.push_back(c.name);
  return names;
}

std::vector<std::string> NotMet(const Readiness& r) {
  std::vector<std::string> names;
  for (const Criterion& c : r.criteria) {
    if (c.status != S::kMet) names.push_back(c.name);
  }
  return names;
}

// The world with QA's release signed on the record as it is.
World ReleasedWorld() {
  World w = ReleasableWorld();
  Release release;
  release.release_id = 3;
  release.signer = "qa-sato";
  release.signed_at = w.now - absl::Hours(2);
  release.record_hash = BatchRecordHash(w.Facts());
  w.release = release;
  w.batch.state = BatchState::kReleased;
  return w;
}

// --- The whole specification ----------------------------------------------

TEST(ReadinessTest, EveryCriterionMetWithAValidRelease) {
  World w = ReleasedWorld();
  const Readiness r = EvaluateReadiness(w.Facts());
  EXPECT_THAT(Names(r),
              ElementsAre("batch state", "open deviations", "sterility", "mycoplasma",
                          "endotoxin", "gram stain", "flow cytometry", "viability", "passage",
                          "cumulative population doublings", "dose per infusion",
                          "units cover the plan", "QA release"));
  EXPECT_THAT(NotMet(r), ::testing::IsEmpty());
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(r.infusions_planned, 3);
  EXPECT_EQ(r.infusions_covered, 3);
  EXPECT_FALSE(r.projection.has_value());  // not growing
  EXPECT_FALSE(r.results_due.has_value());
  EXPECT_THAT(Get(r, "QA release").value, HasSubstr("qa-sato"));
  EXPECT_THAT(Get(r, "QA release").value, HasSubstr("released for infusion"));
}

TEST(ReadinessTest, NotReadyUntilQaReleases) {
  World w = ReleasableWorld();
  const Readiness r = EvaluateReadiness(w.Facts());
  EXPECT_FALSE(r.ready);
  EXPECT_THAT(NotMet(r), ElementsAre("QA release"));
  EXPECT_EQ(Get(r, "QA release").status, S::kPending);
  EXPECT_THAT(Get(r, "QA release").value, HasSubstr("awaiting QA release"));
}

TEST(ReadinessTest, ForReleaseLeavesOutTheReleaseItself) {
  World w = ReleasableWorld();
  const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
  EXPECT_EQ(FindCriterion(r, "QA release"), nullptr);
  EXPECT_TRUE(r.ready);
}

// --- Batch state and deviations -------------------------------------------

TEST(ReadinessTest, QuarantinedRejectedOrDisposedBatchIsNeverReady) {
  for (BatchState s : {BatchState::kQuarantined, BatchState::kRejected, BatchState::kDisposed}) {
    World w = ReleasedWorld();
    w.batch.state = s;
    const Readiness r = EvaluateReadiness(w.Facts());
    EXPECT_FALSE(r.ready) << BatchStateName(s);
    EXPECT_THAT(NotMet(r), ElementsAre("batch state")) << BatchStateName(s);
    EXPECT_EQ(Get(r, "batch state").status, S::kNotMet);
    EXPECT_EQ(Get(r, "batch state").value, BatchStateName(s));
  }
}

TEST(ReadinessTest, GrowingBatchStatePending) {
  World w = ReleasableWorld();
  w.batch.state = BatchState::kInCulture;
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(Get(r, "batch state").status, S::kPending);
  EXPECT_THAT(Get(r, "batch state").value, HasSubstr("still growing"));
  EXPECT_FALSE(r.ready);
}

TEST(ReadinessTest, CryopreservedAndReleasedStatesMet) {
  for (BatchState s : {BatchState::kCryopreserved, BatchState::kReleased}) {
    World w = ReleasableWorld();
    w.batch.state = s;
    EXPECT_EQ(Get(EvaluateReadiness(w.Facts(), true), "batch state").status, S::kMet)
        << BatchStateName(s);
  }
}

TEST(ReadinessTest, AnOpenDeviationIsNeverReady) {
  World w = ReleasedWorld();
  Deviation open;
  open.deviation_id = 12;
  open.kind = DeviationKind::kExcursion;
  open.description = "LN2 tank alarm";
  open.state = DeviationState::kOpen;
  w.deviations.push_back(open);
  // Keep the release valid so that only the deviation stands in the way.
  w.release->record_hash = BatchRecordHash(w.Facts());
  const Readiness r = EvaluateReadiness(w.Facts());
  EXPECT_FALSE(r.ready);
  EXPECT_THAT(NotMet(r), ElementsAre("open deviations"));
  const Criterion c = Get(r, "open deviations");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_THAT(c.value, HasSubstr("12"));
  EXPECT_THAT(c.value, HasSubstr(std::string(DeviationKindName(DeviationKind::kExcursion))));
  EXPECT_THAT(c.value, Not(HasSubstr("5 (")));  // the closed one is not listed
}

TEST(ReadinessTest, ClosedDeviationsDoNotCount) {
  World w = ReleasableWorld();
  const Criterion c = Get(EvaluateReadiness(w.Facts(), true), "open deviations");
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_EQ(c.value, "none");
}

// --- Each required test ----------------------------------------------------

struct TestCase {
  QcTestType type;
  const char* criterion;
};

class RequiredTestCriterion : public ::testing::TestWithParam<TestCase> {};

INSTANTIATE_TEST_SUITE_P(
    Readiness, RequiredTestCriterion,
    ::testing::Values(TestCase{QcTestType::kSterility, "sterility"},
                      TestCase{QcTestType::kMycoplasma, "mycoplasma"},
                      TestCase{QcTestType::kEndotoxin, "endotoxin"},
                      TestCase{QcTestType::kGramStain, "gram stain"},
                      TestCase{QcTestType::kFlowCytometry, "flow cytometry"},
                      TestCase{QcTestType::kViability, "viability"}),
    [](const ::testing::TestParamInfo<TestCase>& info) {
      std::string name = info.param.criterion;
      std::replace(name.begin(), name.end(), ' ', '_');
      return name;
    });

TEST_P(RequiredTestCriterion, NotOrderedIsNotMetOnceTheCultureEnded) {
  World w = ReleasableWorld();
  std::erase_if(w.tests, [&](const QcTest& t) { return t.type == GetParam().type; });
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  EXPECT_THAT(NotMet(r), ElementsAre(GetParam().criterion));
  EXPECT_EQ(Get(r, GetParam().criterion).status, S::kNotMet);
  EXPECT_THAT(Get(r, GetParam().criterion).value, HasSubstr("not ordered"));
}

TEST_P(RequiredTestCriterion, NotOrderedIsPendingWhileGrowing) {
  World w = ReleasableWorld();
  w.batch.state = BatchState::kInCulture;
  std::erase_if(w.tests, [&](const QcTest& t) { return t.type == GetParam().type; });
  EXPECT_EQ(Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion).status, S::kPending);
}

TEST_P(RequiredTestCriterion, PendingWithItsDueDate) {
  World w = ReleasableWorld();
  QcTest* t = w.Test(GetParam().type);
  t->results.clear();
  t->reviews.clear();
  absl::Duration turnaround;
  for (const RequiredTest& req : w.product.required_tests) {
    if (req.type == GetParam().type) turnaround = req.min_incubation;
  }
  const absl::Time due = t->started_at + turnaround;
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  const Criterion c = Get(r, GetParam().criterion);
  EXPECT_EQ(c.status, S::kPending);
  EXPECT_THAT(c.value, HasSubstr("pending"));
  EXPECT_THAT(c.value, HasSubstr(FormatUtc(due)));
  ASSERT_TRUE(r.results_due.has_value());
  EXPECT_EQ(*r.results_due, due);
}

TEST_P(RequiredTestCriterion, ResultedAwaitsReview) {
  World w = ReleasableWorld();
  w.Test(GetParam().type)->reviews.clear();
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(Get(r, GetParam().criterion).status, S::kPending);
  EXPECT_THAT(Get(r, GetParam().criterion).value, HasSubstr("awaiting review"));
  EXPECT_FALSE(r.results_due.has_value());
}

TEST_P(RequiredTestCriterion, ReviewedWithinSpecificationIsMet) {
  World w = ReleasableWorld();
  const Criterion c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_THAT(c.value, HasSubstr(absl::StrCat("test ", TestIdOf(GetParam().type))));
}

TEST_P(RequiredTestCriterion, InvalidatedTestIsReplacedByItsRetest) {
  World w = ReleasableWorld();
  QcTest* original = w.Test(GetParam().type);
  original->invalidation = QcInvalidation{original->started_at + absl::Hours(3), "suzuki",
                                          "sample leaked in transport"};
  QcTest retest = PendingTest(300, kFinalProductSample, GetParam().type,
                              original->started_at + absl::Hours(4));
  retest.retest_of = original->test_id;
  w.tests.push_back(retest);

  // Retest pending: the invalidated (reviewed, in-spec) test does not count.
  Criterion c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
  EXPECT_EQ(c.status, S::kPending);
  EXPECT_THAT(c.value, HasSubstr("test 300 pending"));

  // Retest reviewed within specification: met on the retest.
  AddResult(w.tests.back(), InSpecValue(GetParam().type), 3000);
  AddReview(w.tests.back());
  c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_THAT(c.value, HasSubstr("test 300"));

  // Without a retest the invalidated test leaves the test not done.
  w.tests.pop_back();
  c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_THAT(c.value, HasSubstr("not ordered"));
}

TEST_P(RequiredTestCriterion, OnlyFinalHarvestAndFinalProductSamplesCount) {
  for (int64_t sample : {kPassageSample, kPostThawSample}) {
    World w = ReleasableWorld();
    w.Test(GetParam().type)->sample_id = sample;
    const Criterion c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
    EXPECT_EQ(c.status, S::kNotMet) << "sample " << sample;
    EXPECT_THAT(c.value, HasSubstr("not ordered")) << "sample " << sample;
  }
  World w = ReleasableWorld();
  w.Test(GetParam().type)->sample_id = kFinalHarvestSample;
  EXPECT_EQ(Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion).status, S::kMet);
}

TEST_P(RequiredTestCriterion, ACorrectedResultNeedsItsOwnReview) {
  World w = ReleasableWorld();
  QcTest* t = w.Test(GetParam().type);
  AddResult(*t, InSpecValue(GetParam().type), 9999);  // reviews name the earlier result
  const Criterion c = Get(EvaluateReadiness(w.Facts(), true), GetParam().criterion);
  EXPECT_EQ(c.status, S::kPending);
  EXPECT_THAT(c.value, HasSubstr("awaiting review"));
}

TEST(ReadinessTest, PositiveSterilityOrMycoplasmaIsNotMetEvenBeforeReview) {
  for (QcTestType type : {QcTestType::kSterility, QcTestType::kMycoplasma}) {
    World w = ReleasableWorld();
    QcTest* t = w.Test(type);
    t->results.clear();
    t->reviews.clear();
    AddResult(*t, DetectionResult{Detection::kPositive, "S. epidermidis"}, 55);
    const Readiness r = EvaluateReadiness(w.Facts(), true);
    const std::string name = type == QcTestType::kSterility ? "sterility" : "mycoplasma";
    EXPECT_FALSE(r.ready);
    EXPECT_EQ(Get(r, name).status, S::kNotMet) << name;
    EXPECT_THAT(Get(r, name).value, HasSubstr("POSITIVE")) << name;
    EXPECT_EQ(Get(r, name).limit, "NEGATIVE");
  }
}

TEST(ReadinessTest, OutOfSpecificationResultsAreNotMetEvenWhenReviewed) {
  struct Case {
    QcTestType type;
    QcValue value;
    const char* name;
    const char* why;
  };
  FlowResult low_cd73 = std::get<FlowResult>(InSpecValue(QcTestType::kFlowCytometry));
  low_cd73.markers[0].percent_positive = 79;  // CD73, IFATS/ISCT 2013: >= 80 %
  const std::vector<Case> cases = {
      {QcTestType::kEndotoxin, EndotoxinResult{2.5}, "endotoxin", "above the limit"},
      {QcTestType::kGramStain, GramStainResult{GramFinding::kOrganismsSeen, "Gram-positive cocci"},
       "gram stain", "ORGANISMS_SEEN"},
      {QcTestType::kFlowCytometry, low_cd73, "flow cytometry", "CD73 79% is below 80%"},
      {QcTestType::kViability, ViabilityResult{60}, "viability", "60"},
  };
  for (const Case& k : cases) {
    World w = ReleasableWorld();
    QcTest* t = w.Test(k.type);
    AddResult(*t, k.value, 77);
    AddReview(*t);
    const Readiness r = EvaluateReadiness(w.Facts(), true);
    EXPECT_FALSE(r.ready) << k.name;
    EXPECT_THAT(NotMet(r), ElementsAre(k.name));
    EXPECT_EQ(Get(r, k.name).status, S::kNotMet) << k.name;
    EXPECT_THAT(Get(r, k.name).value, HasSubstr(k.why)) << k.name;
  }
}

TEST(ReadinessTest, TheLatestReleaseTestOfATypeIsTheOneThatCounts) {
  World w = ReleasableWorld();
  // A second endotoxin test on the final harvest, ordered later, still pending.
  w.tests.push_back(PendingTest(400, kFinalHarvestSample, QcTestType::kEndotoxin,
                                w.now - absl::Hours(2)));
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(Get(r, "endotoxin").status, S::kPending);
  EXPECT_THAT(Get(r, "endotoxin").value, HasSubstr("test 400"));
  ASSERT_TRUE(r.results_due.has_value());
  EXPECT_EQ(*r.results_due, w.now + absl::Hours(22));
}

TEST(ReadinessTest, ResultsDueIsTheLatestOfThePendingTests) {
  World w = ReleasableWorld();
  for (QcTestType type : {QcTestType::kSterility, QcTestType::kMycoplasma}) {
    w.Test(type)->results.clear();
    w.Test(type)->reviews.clear();
  }
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  ASSERT_TRUE(r.results_due.has_value());
  EXPECT_EQ(*r.results_due, w.Test(QcTestType::kSterility)->started_at + absl::Hours(14 * 24));
}

TEST(ReadinessTest, OnlyTheProductsRequiredTestsAreCriteria) {
  World w = ReleasableWorld();
  w.product.required_tests = {{QcTestType::kSterility, "BacT/ALERT", absl::Hours(24 * 7)}};
  std::erase_if(w.tests, [](const QcTest& t) { return t.type != QcTestType::kSterility; });
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(FindCriterion(r, "endotoxin"), nullptr);
  EXPECT_NE(FindCriterion(r, "sterility"), nullptr);
}

// --- Culture limits ----------------------------------------------------------

TEST(ReadinessTest, PassageLimit) {
  World w = ReleasableWorld();
  Criterion c = Get(EvaluateReadiness(w.Facts(), true), "passage");
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_EQ(c.value, "P2");
  EXPECT_EQ(c.limit, "<= P5");

  w.product.max_passage = 2;  // at the limit
  EXPECT_EQ(Get(EvaluateReadiness(w.Facts(), true), "passage").status, S::kMet);

  w.product.max_passage = 1;
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  c = Get(r, "passage");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(c.value, "P2");
  EXPECT_EQ(c.limit, "<= P1");
  EXPECT_FALSE(r.ready);
}

TEST(ReadinessTest, CumulativePopulationDoublingsLimit) {
  World w = ReleasableWorld();
  // (100 + 75) h / 30 h = 5.83 doublings.
  Criterion c = Get(EvaluateReadiness(w.Facts(), true), "cumulative population doublings");
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_EQ(c.value, "5.83");
  EXPECT_EQ(c.limit, "<= 30");

  w.product.max_cumulative_population_doublings = 5.5;
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  c = Get(r, "cumulative population doublings");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(c.value, "5.83");
  EXPECT_EQ(c.limit, "<= 5.5");
  EXPECT_FALSE(r.ready);
}

TEST(ReadinessTest, CorrectedPassageCountsAreTheOnesJudged) {
  World w = ReleasableWorld();
  w.product.max_cumulative_population_doublings = 6;
  // P2's harvest corrected from 11.3e6 to 20e6: PD 3.33 + log2(10) = 6.66.
  w.records.push_back(Rec(4, PassageAt(2, kP2At, 20'000'000, kReseededAtP2), /*corrects=*/3));
  const Criterion c =
      Get(EvaluateReadiness(w.Facts(), true), "cumulative population doublings");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(c.value, "6.66");
}

// --- Plan, dose and units ------------------------------------------------------

TEST(ReadinessTest, NoPlanIsPending) {
  World w = ReleasableWorld();
  w.has_plan = false;
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  EXPECT_THAT(NotMet(r), ElementsAre("treatment plan"));
  EXPECT_EQ(Get(r, "treatment plan").status, S::kPending);
  EXPECT_THAT(Get(r, "treatment plan").value, HasSubstr("none on record"));
  EXPECT_EQ(FindCriterion(r, "units cover the plan"), nullptr);
}

TEST(ReadinessTest, DosePerInfusionBelowTheProductMinimum) {
  World w = ReleasableWorld();
  w.plan.fixed_cells = 5'000'000;  // product minimum: 1e7
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  const Criterion c = Get(r, "dose per infusion");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_THAT(c.value, HasSubstr("5e+06"));
  EXPECT_THAT(c.limit, HasSubstr("1e+07"));
  EXPECT_THAT(NotMet(r), ElementsAre("dose per infusion"));

  w.plan.fixed_cells = 10'000'000;  // exactly the minimum
  EXPECT_EQ(Get(EvaluateReadiness(w.Facts(), true), "dose per infusion").status, S::kMet);
}

TEST(ReadinessTest, PerKgDoseAtThePatientsWeight) {
  World w = ReleasableWorld();
  w.plan.fixed_cells.reset();
  w.plan.cells_per_kg = 500'000;  // x 60 kg = 3e7 per infusion: more than a vial holds
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_THAT(Get(r, "dose per infusion").value, HasSubstr("3e+07"));
  EXPECT_EQ(Get(r, "dose per infusion").status, S::kMet);
  // Two vials (2 x 21e6) per infusion: four vials cover two of three.
  EXPECT_EQ(r.infusions_covered, 2);
  EXPECT_EQ(Get(r, "units cover the plan").status, S::kNotMet);
}

TEST(ReadinessTest, InvalidPlanDoseIsNotMet) {
  World w = ReleasableWorld();
  w.plan.cells_per_kg = 1'000'000;  // both dose kinds
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(Get(r, "dose").status, S::kNotMet);
  EXPECT_THAT(Get(r, "dose").value, HasSubstr("not both or neither"));
}

TEST(ReadinessTest, UnitsCoverThePlanAtTheSpecificationsPostThawViability) {
  World w = ReleasableWorld();
  // 30e6 x 70 % = 21e6 >= 20e6: one vial per infusion.
  Readiness r = EvaluateReadiness(w.Facts(), true);
  Criterion c = Get(r, "units cover the plan");
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_THAT(c.value, HasSubstr("3 of 3"));
  EXPECT_THAT(c.value, HasSubstr("70% post-thaw viability assumed"));

  // 30e6 x 60 % = 18e6 < 20e6: two vials per infusion, and a vial is never
  // split: 4 vials (72e6 viable, more than 3 x 20e6) cover only 2 infusions.
  w.product.qc.min_post_thaw_viability_percent = 60;
  r = EvaluateReadiness(w.Facts(), true);
  c = Get(r, "units cover the plan");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(r.infusions_covered, 2);
  EXPECT_THAT(c.value, HasSubstr("2 of 3"));
  EXPECT_FALSE(r.ready);
}

TEST(ReadinessTest, UnitsCoverThePlanAtTheViabilityMeasuredOnAThawedUnit) {
  World w = ReleasableWorld();
  w.product.qc.min_post_thaw_viability_percent = 60;  // would not cover (see above)
  Unit& thawed = w.units[3];
  thawed.state = UnitState::kThawed;
  thawed.position.reset();
  thawed.thaw = ThawResult{w.now - absl::Hours(1), 30'000'000, 24'000'000, 80};
  // 30e6 x 80 % = 24e6 per vial: one each.
  Readiness r = EvaluateReadiness(w.Facts(), true);
  Criterion c = Get(r, "units cover the plan");
  EXPECT_EQ(c.status, S::kMet);
  EXPECT_THAT(c.value, HasSubstr("80% post-thaw viability measured on " + thawed.unit_id));

  // Measured lower than the specification's minimum: the measurement wins.
  w.product.qc.min_post_thaw_viability_percent = 70;
  w.units[3].thaw = ThawResult{w.now - absl::Hours(1), 30'000'000, 18'000'000, 60};
  r = EvaluateReadiness(w.Facts(), true);
  c = Get(r, "units cover the plan");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(r.infusions_covered, 2);
  EXPECT_THAT(c.value, HasSubstr("60% post-thaw viability measured"));
}

TEST(ReadinessTest, OnlyUsableUnitsOfThePatientCount) {
  for (UnitState s : {UnitState::kInfused, UnitState::kDisposed, UnitState::kQuarantined}) {
    World w = ReleasableWorld();
    w.units[0].state = s;
    w.units[1].state = s;
    const Readiness r = EvaluateReadiness(w.Facts(), true);
    EXPECT_EQ(r.infusions_covered, 2) << UnitStateName(s);
    EXPECT_EQ(Get(r, "units cover the plan").status, S::kNotMet) << UnitStateName(s);
  }
  World w = ReleasableWorld();
  w.units[0].patient_id = "PT-0999";  // chain of identity: never counted
  w.units[1].patient_id = "PT-0999";
  EXPECT_EQ(EvaluateReadiness(w.Facts(), true).infusions_covered, 2);
}

TEST(ReadinessTest, InfusionsGivenAreNoLongerPlanned) {
  World w = ReleasableWorld();
  w.units.resize(1);
  w.infusions_given = {70, 71};
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(r.infusions_planned, 1);
  EXPECT_EQ(r.infusions_covered, 1);
  EXPECT_EQ(Get(r, "units cover the plan").status, S::kMet);
  EXPECT_THAT(Get(r, "units cover the plan").value, HasSubstr("1 of 1"));
}

// --- Fresh product ------------------------------------------------------------

TEST(ReadinessTest, FreshUnitInDateCoversThePlanAtItsViableCells) {
  World w = FreshWorld();
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_TRUE(r.ready) << ::testing::PrintToString(NotMet(r));
  EXPECT_EQ(Get(r, "batch state").status, S::kMet);
  const Criterion shelf = Get(r, "fresh product shelf life");
  EXPECT_EQ(shelf.status, S::kMet);
  EXPECT_EQ(shelf.value, w.units[0].unit_id + " expires " +
                             FormatUtc(w.now + absl::Hours(46)));
  EXPECT_EQ(shelf.limit, "in date: 48 h from formulation, at 2-8 °C");
  const Criterion cover = Get(r, "units cover the plan");
  EXPECT_EQ(cover.status, S::kMet);
  EXPECT_THAT(cover.value, HasSubstr("1 of 1"));
  // 30e6 viable in the bag, no thaw loss (at 70 % it would still cover 20e6,
  // so test with a dose only the whole bag meets).
  EXPECT_THAT(cover.value, HasSubstr("fresh units at the viable cells formulated"));
  EXPECT_THAT(cover.value, Not(HasSubstr("post-thaw")));
  w.plan.fixed_cells = 30'000'000;
  EXPECT_TRUE(EvaluateReadiness(w.Facts(), true).ready);
  w.plan.fixed_cells = 30'000'001;
  EXPECT_EQ(EvaluateReadiness(w.Facts(), true).infusions_covered, 0);
}

TEST(ReadinessTest, ExpiredFreshProductIsNeverReady) {
  World w = FreshWorld();
  const absl::Time expires = *w.units[0].expires_at;
  w.now = expires - absl::Seconds(1);
  EXPECT_TRUE(EvaluateReadiness(w.Facts(), true).ready);

  w.now = expires;
  Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  const Criterion shelf = Get(r, "fresh product shelf life");
  EXPECT_EQ(shelf.status, S::kNotMet);
  EXPECT_THAT(shelf.value, HasSubstr("expired " + FormatUtc(expires) + " (dispose of it)"));
  // Its planned day has passed but the infusion is still to be given: the
  // bag must be in date now, so it covers nothing.
  EXPECT_EQ(r.infusions_covered, 0);
  EXPECT_THAT(NotMet(r), ElementsAre("units cover the plan", "fresh product shelf life"));
  EXPECT_THAT(Get(r, "units cover the plan").value,
              HasSubstr(w.units[0].unit_id + " (fresh) expired " + FormatUtc(expires)));

  // Disposed of, it no longer holds the batch back, but it no longer covers
  // the infusion either.
  w.units[0].state = UnitState::kDisposed;
  r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(FindCriterion(r, "fresh product shelf life"), nullptr);
  EXPECT_THAT(NotMet(r), ElementsAre("units cover the plan"));
}

TEST(ReadinessTest, FreshUnitExpiringBeforeThePlannedDayEndsDoesNotCoverIt) {
  World w = FreshWorld();
  // Formulated 2026-04-28 14:00 UTC, expires 2026-04-30 14:00 UTC.
  const absl::CivilDay today = absl::ToCivilDay(w.now, kUtc);
  w.plan.infusions[0].planned_day = today + 1;
  EXPECT_TRUE(EvaluateReadiness(w.Facts(), true).ready);

  // The time of day is not planned: on the day it expires it is not counted.
  w.plan.infusions[0].planned_day = today + 2;
  Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(Get(r, "fresh product shelf life").status, S::kMet);  // in date now
  const Criterion cover = Get(r, "units cover the plan");
  EXPECT_EQ(cover.status, S::kNotMet);
  EXPECT_THAT(cover.value, HasSubstr("0 of 1"));
  EXPECT_THAT(cover.value,
              HasSubstr(w.units[0].unit_id + " (fresh) expires " +
                        FormatUtc(*w.units[0].expires_at) +
                        ", before the end of the planned day of infusion 1 (" +
                        FormatDate(today + 2) + ")"));

  // The facility's day: at UTC+12 the planned day ends at 12:00 UTC, before the expiry.
  w.zone = absl::FixedTimeZone(12 * 3600);
  EXPECT_TRUE(EvaluateReadiness(w.Facts(), true).ready);
}

TEST(ReadinessTest, FreshUnitsServeTheEarliestInfusionsAndFrozenUnitsTheRest) {
  World w = FreshWorld();
  w.batch.state = BatchState::kCryopreserved;
  const absl::CivilDay today = absl::ToCivilDay(w.now, kUtc);
  // A bag for today; two vials (21e6 each after a thaw at 70 %) for later.
  w.units.push_back(StoredUnit(w.batch, 2, 30'000'000));
  w.units.push_back(StoredUnit(w.batch, 3, 30'000'000));
  w.plan.infusions = {{70, 1, today}, {71, 2, today + 28}, {72, 3, today + 56}};
  Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_TRUE(r.ready) << ::testing::PrintToString(NotMet(r));
  EXPECT_EQ(r.infusions_covered, 3);
  EXPECT_THAT(Get(r, "units cover the plan").value,
              HasSubstr("70% post-thaw viability assumed (specification minimum); fresh units "
                        "at the viable cells formulated"));

  // The bag given, the vials cover the rest.
  w.units[0].state = UnitState::kInfused;
  w.infusions_given = {70};
  r = EvaluateReadiness(w.Facts(), true);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(r.infusions_planned, 2);
  EXPECT_EQ(FindCriterion(r, "fresh product shelf life"), nullptr);

  // Had the bag been meant for a day it does not last to, the vials take the
  // first two infusions and the third is not covered.
  w = FreshWorld();
  w.batch.state = BatchState::kCryopreserved;
  w.units.push_back(StoredUnit(w.batch, 2, 30'000'000));
  w.units.push_back(StoredUnit(w.batch, 3, 30'000'000));
  w.plan.infusions = {{70, 1, today + 3}, {71, 2, today + 28}, {72, 3, today + 56}};
  r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(r.infusions_covered, 2);
  EXPECT_THAT(Get(r, "units cover the plan").value, HasSubstr("2 of 3"));
}

TEST(ReadinessTest, FreshUnitsOfAnotherPatientOrNotHeldDoNotCount) {
  for (UnitState s : {UnitState::kInfused, UnitState::kDisposed, UnitState::kQuarantined}) {
    World w = FreshWorld();
    w.units[0].state = s;
    EXPECT_EQ(EvaluateReadiness(w.Facts(), true).infusions_covered, 0) << UnitStateName(s);
  }
  World w = FreshWorld();
  w.units[0].patient_id = "PT-0999";
  EXPECT_EQ(EvaluateReadiness(w.Facts(), true).infusions_covered, 0);
}

TEST(ReadinessTest, FrozenUnitsHaveNoFreshShelfLife) {
  World w = ReleasableWorld();
  w.now = kP2At + absl::Hours(24 * 365);
  EXPECT_EQ(FindCriterion(EvaluateReadiness(w.Facts(), true), "fresh product shelf life"),
            nullptr);
}

TEST(ReadinessBoardTest, FreshUnitExpiringBeforeThePlannedDayIsNotReadyOnTheBoard) {
  World w = FreshWorld();
  const absl::CivilDay later = absl::ToCivilDay(w.now, kUtc) + 3;
  w.plan.infusions[0].planned_day = later;
  const Readiness r = EvaluateReadiness(w.Facts());
  EXPECT_EQ(StatusForPlannedDay(w.batch, r, later, kUtc), BoardStatus::kNotReady);
  // Expired: not ready whatever the day.
  w.now = *w.units[0].expires_at + absl::Minutes(1);
  w.plan.infusions[0].planned_day = absl::ToCivilDay(w.now, kUtc);
  const Readiness expired = EvaluateReadiness(w.Facts());
  EXPECT_FALSE(expired.ready);
  EXPECT_EQ(StatusForPlannedDay(w.batch, expired, absl::ToCivilDay(w.now, kUtc), kUtc),
            BoardStatus::kNotReady);
}

// --- QA release bound to the record --------------------------------------------

TEST(ReadinessTest, ReleaseRevokedByACorrectionAppendedAfterIt) {
  World w = ReleasedWorld();
  ASSERT_TRUE(EvaluateReadiness(w.Facts()).ready);
  // The same count, re-entered as a correction: the record still changed.
  w.records.push_back(Rec(4, std::get<Passage>(w.records[2].data), /*corrects=*/3));
  const Readiness r = EvaluateReadiness(w.Facts());
  EXPECT_FALSE(r.ready);
  EXPECT_THAT(NotMet(r), ElementsAre("QA release"));
  const Criterion c = Get(r, "QA release");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_THAT(c.value, HasSubstr("revoked"));
  EXPECT_THAT(c.value, HasSubstr("qa-sato"));
  EXPECT_THAT(c.value, HasSubstr("sign again"));
}

// --- The record hash -------------------------------------------------------------

class ReadinessRecordHashTest : public ::testing::Test {
 protected:
  std::string Hash() { return BatchRecordHash(w_.Facts()); }

  World w_ = ReleasableWorld();
};

TEST_F(ReadinessRecordHashTest, StableForTheSameFacts) {
  const std::string h = Hash();
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  EXPECT_EQ(Hash(), h);
  World again = ReleasableWorld();
  EXPECT_EQ(BatchRecordHash(again.Facts()), h);
  // Time moves on, a plan changes: neither is part of the batch record.
  w_.now += absl::Hours(100);
  w_.plan.fixed_cells = 12'000'000;
  w_.infusions_given = {70};
  EXPECT_EQ(Hash(), h);
}

TEST_F(ReadinessRecordHashTest, ChangedByACorrection) {
  const std::string before = Hash();
  w_.records.push_back(Rec(4, PassageAt(2, kP2At, 12'000'000, kReseededAtP2), 3));
  EXPECT_NE(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, ChangedByANewRecord) {
  const std::string before = Hash();
  w_.records.push_back(Rec(4, Observation{kP2At + absl::Hours(1), 40, "spindle"}));
  EXPECT_NE(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, ChangedByANewReleaseTestResult) {
  w_.tests.push_back(PendingTest(400, kFinalHarvestSample, QcTestType::kEndotoxin,
                                 w_.now - absl::Hours(30)));
  const std::string pending = Hash();
  AddResult(w_.tests.back(), EndotoxinResult{0.1}, 4000);
  const std::string resulted = Hash();
  EXPECT_NE(resulted, pending);
  AddReview(w_.tests.back());
  const std::string reviewed = Hash();
  EXPECT_NE(reviewed, resulted);
  AddResult(w_.tests.back(), EndotoxinResult{0.15}, 4001);  // a corrected result
  EXPECT_NE(Hash(), reviewed);
}

TEST_F(ReadinessRecordHashTest, ChangedByAnInvalidation) {
  const std::string before = Hash();
  w_.Test(QcTestType::kViability)->invalidation =
      QcInvalidation{w_.now, "suzuki", "counter not calibrated"};
  EXPECT_NE(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, ChangedByADeviationAndItsClosure) {
  const std::string before = Hash();
  Deviation d;
  d.deviation_id = 12;
  d.kind = DeviationKind::kExcursion;
  d.description = "LN2 tank alarm";
  w_.deviations.push_back(d);
  const std::string opened = Hash();
  EXPECT_NE(opened, before);
  w_.deviations.back().state = DeviationState::kClosed;
  w_.deviations.back().closure =
      DeviationClosure{Disposition::kContinue, "vapour stayed below -150 C", w_.now, "qa-sato"};
  EXPECT_NE(Hash(), opened);
}

TEST_F(ReadinessRecordHashTest, ChangedByTheDispositionOfAClosedDeviation) {
  const std::string before = Hash();  // closed with CONTINUE
  w_.deviations[0].closure->disposition = Disposition::kUseUnderPhysicianResponsibility;
  EXPECT_NE(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, NotChangedByAThawOrAMoveOfAUnit) {
  const std::string before = Hash();
  w_.units[0].position = Position{"BOX-2", 3, 4};
  EXPECT_EQ(Hash(), before) << "move";
  w_.units[1].state = UnitState::kThawed;
  w_.units[1].position.reset();
  w_.units[1].thaw = ThawResult{w_.now, 30'000'000, 27'000'000, 90};
  EXPECT_EQ(Hash(), before) << "thaw";
  w_.units[2].state = UnitState::kInfused;
  EXPECT_EQ(Hash(), before) << "infused";
}

TEST_F(ReadinessRecordHashTest, ChangedByAUnitFrozenDifferently) {
  const std::string before = Hash();
  w_.units[0].cells = 29'000'000;
  EXPECT_NE(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, ChangedByAFreshUnitsFormulationOrExpiry) {
  w_ = FreshWorld();
  const std::string before = Hash();
  w_.units[0].expires_at = *w_.units[0].expires_at + absl::Hours(1);
  EXPECT_NE(Hash(), before);
  w_ = FreshWorld();
  w_.units[0].frozen_at -= absl::Hours(1);
  EXPECT_NE(Hash(), before);
  // Not by what happens to it afterwards.
  w_ = FreshWorld();
  w_.units[0].state = UnitState::kInfused;
  EXPECT_EQ(Hash(), before);
}

TEST_F(ReadinessRecordHashTest, NotChangedByPostThawOrInProcessTests) {
  const std::string before = Hash();
  QcTest post_thaw = PendingTest(500, kPostThawSample, QcTestType::kViability, w_.now);
  AddResult(post_thaw, ViabilityResult{88}, 5000);
  AddReview(post_thaw);
  w_.tests.push_back(post_thaw);
  EXPECT_EQ(Hash(), before) << "post-thaw";
  QcTest in_process = PendingTest(501, kPassageSample, QcTestType::kSterility, kP1At);
  AddResult(in_process, DetectionResult{Detection::kNegative, ""}, 5010);
  w_.tests.push_back(in_process);
  EXPECT_EQ(Hash(), before) << "in process";
}

TEST_F(ReadinessRecordHashTest, ChangedByTheBatchIdentity) {
  const std::string before = Hash();
  w_.batch.patient_id = "PT-0999";
  EXPECT_NE(Hash(), before);
}

// --- Projection on a synthetic growth curve ---------------------------------------

// The batch still in culture: P2's 3e6 re-seeded cells grow at the 30 h
// doubling time measured over P1 and P2.
World GrowingWorld() {
  World w = ReleasableWorld();
  w.batch.state = BatchState::kInCulture;
  w.units.clear();
  w.tests.clear();
  w.now = kP2At + absl::Hours(5);
  return w;
}

constexpr absl::Duration kTolerance = absl::Hours(1);

TEST(ProjectionReadinessTest, ProjectedDateAtTheKnownDoublingTime) {
  World w = GrowingWorld();  // 3 infusions of 20e6: target 6e7
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  EXPECT_EQ(r.projection->target_cells, 60'000'000);
  ASSERT_TRUE(r.projection->ready_at.has_value()) << r.projection->basis;
  // Exact: 3e6 cells at P2 need log2(6e7 / 3e6) = 4.32 doublings of 30 h.
  const absl::Time exact =
      kP2At + absl::Seconds(kDoublingHours * 3600 * std::log2(60e6 / 3e6));
  EXPECT_LE(absl::AbsDuration(*r.projection->ready_at - exact), kTolerance)
      << absl::FormatTime(*r.projection->ready_at) << " vs " << absl::FormatTime(exact);
  EXPECT_THAT(r.projection->basis, HasSubstr("doubling time 30.0 h"));
  EXPECT_THAT(r.projection->basis, HasSubstr("P1, P2"));
  // Not yet enough cells: pending, not failed.
  EXPECT_EQ(Get(r, "viable cells for the plan").status, S::kPending);
  EXPECT_FALSE(r.ready);
}

TEST(ProjectionReadinessTest, ProjectedDateForADifferentDoublingTime) {
  // The same shape at 40 h: counts recomputed so the exact answer changes.
  World w = GrowingWorld();
  auto grown = [](int64_t seeded, double hours) {
    return std::llround(static_cast<double>(seeded) * std::exp2(hours / 40));
  };
  w.records = {Rec(1, SeedAt(kT0, kSeeded)),
               Rec(2, PassageAt(1, kP1At, grown(kSeeded, 100), kReseededAtP1)),
               Rec(3, PassageAt(2, kP2At, grown(kReseededAtP1, 75), kReseededAtP2))};
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  ASSERT_TRUE(r.projection->ready_at.has_value()) << r.projection->basis;
  const absl::Time exact = kP2At + absl::Seconds(40.0 * 3600 * std::log2(60e6 / 3e6));
  EXPECT_LE(absl::AbsDuration(*r.projection->ready_at - exact), kTolerance);
}

TEST(ProjectionReadinessTest, TargetWithoutAPlanIsTheProductsMinimumDose) {
  World w = GrowingWorld();
  w.has_plan = false;
  w.product.min_viable_cells_per_dose = 48'000'000;
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  EXPECT_EQ(r.projection->target_cells, 48'000'000);
  ASSERT_TRUE(r.projection->ready_at.has_value());
  // 3e6 -> 4.8e7 is exactly 4 doublings: 120 h.
  EXPECT_LE(absl::AbsDuration(*r.projection->ready_at - (kP2At + absl::Hours(120))), kTolerance);
}

TEST(ProjectionReadinessTest, NotEnoughDataWithoutAPassageThatGrew) {
  World w = GrowingWorld();
  w.records.resize(1);  // P0 seeding only
  Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  EXPECT_FALSE(r.projection->ready_at.has_value());
  EXPECT_THAT(r.projection->basis, HasSubstr("not enough data"));

  // A passage in which the cells did not grow does not help.
  w.records.push_back(Rec(2, PassageAt(1, kP1At, 900'000, 500'000)));
  r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  EXPECT_FALSE(r.projection->ready_at.has_value());
  EXPECT_THAT(r.projection->basis, HasSubstr("not enough data"));
}

TEST(ProjectionReadinessTest, AlreadyReached) {
  World w = GrowingWorld();
  w.plan.infusions.resize(1);
  w.plan.fixed_cells = 10'000'000;  // P2 harvested 11.3e6 viable cells
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value());
  ASSERT_TRUE(r.projection->ready_at.has_value());
  EXPECT_EQ(*r.projection->ready_at, kP2At);
  EXPECT_THAT(r.projection->basis, HasSubstr("already reach"));
  EXPECT_EQ(Get(r, "viable cells for the plan").status, S::kMet);
}

TEST(ProjectionReadinessTest, NoProjectionOnceTheCultureEnded) {
  World w = ReleasableWorld();
  EXPECT_FALSE(EvaluateReadiness(w.Facts()).projection.has_value());
}

// --- The scheduler's board ---------------------------------------------------------

const absl::CivilDay kDay(2026, 6, 1);

Readiness NotReadyReadiness() {
  Readiness r;
  r.ready = false;
  r.criteria.push_back({"QA release", S::kPending, "awaiting QA release", ""});
  return r;
}

Batch BatchIn(BatchState s) {
  Batch b{.batch_id = *Din::Create("A9999", 26, 18)};
  b.state = s;
  return b;
}

TEST(ReadinessBoardTest, ReadyWhenReady) {
  Readiness r;
  r.ready = true;
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kReleased), r, kDay, kUtc),
            BoardStatus::kReady);
  EXPECT_EQ(BoardStatusName(BoardStatus::kReady), "READY");
}

TEST(ReadinessBoardTest, NotReadyWithNothingThatPutsTheDayAtRisk) {
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kCryopreserved), NotReadyReadiness(), kDay,
                                kUtc),
            BoardStatus::kNotReady);
  EXPECT_EQ(BoardStatusName(BoardStatus::kNotReady), "NOT READY");
}

TEST(ReadinessBoardTest, QuarantinedIsAtRisk) {
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kQuarantined), NotReadyReadiness(), kDay,
                                kUtc),
            BoardStatus::kAtRisk);
  EXPECT_EQ(BoardStatusName(BoardStatus::kAtRisk), "AT RISK");
}

TEST(ReadinessBoardTest, ProjectionAfterTheDayIsAtRisk) {
  Readiness r = NotReadyReadiness();
  r.projection = Projection{60'000'000, absl::FromCivil(kDay + 1, kUtc) + absl::Hours(3), ""};
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kInCulture), r, kDay, kUtc),
            BoardStatus::kAtRisk);
  r.projection->ready_at = absl::FromCivil(kDay, kUtc) - absl::Hours(30);
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kInCulture), r, kDay, kUtc),
            BoardStatus::kNotReady);
  r.projection->ready_at.reset();  // cannot project: at risk
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kInCulture), r, kDay, kUtc),
            BoardStatus::kAtRisk);
}

TEST(ReadinessBoardTest, PendingResultDueAfterTheDayStartsIsAtRisk) {
  Readiness r = NotReadyReadiness();
  r.results_due = absl::FromCivil(kDay, kUtc) + absl::Hours(10);
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kCryopreserved), r, kDay, kUtc),
            BoardStatus::kAtRisk);
  r.results_due = absl::FromCivil(kDay, kUtc) - absl::Hours(10);
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kCryopreserved), r, kDay, kUtc),
            BoardStatus::kNotReady);
}

TEST(ReadinessBoardTest, EachTestAheadNamesWhenItsResultCanExist) {
  // Growing, projected 2026-04-14 01:40 UTC; nothing ordered yet.
  World w = GrowingWorld();
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value() && r.projection->ready_at.has_value());
  const absl::Time harvest = *r.projection->ready_at;
  std::vector<std::string> reasons = TestsAheadReasons(r, absl::CivilDay(2026, 4, 20), kUtc);
  ASSERT_THAT(reasons, SizeIs(1));  // the others are read before the 20th
  EXPECT_THAT(reasons[0], HasSubstr("sterility: result cannot exist before " +
                                    FormatUtc(harvest + absl::Hours(14 * 24))));
  EXPECT_THAT(reasons[0], HasSubstr("projected harvest " + FormatUtc(harvest) + " + 14 days"));
  EXPECT_THAT(reasons[0], HasSubstr("2026-04-20"));
  // The day after the harvest, mycoplasma, endotoxin (24 h) and flow (48 h) are ahead too.
  reasons = TestsAheadReasons(r, absl::CivilDay(2026, 4, 15), kUtc);
  EXPECT_THAT(reasons, SizeIs(4));
  // A validated rapid method shortens the wait.
  w.product.required_tests = {{QcTestType::kSterility, "BacT/ALERT", absl::Hours(5 * 24)}};
  const Readiness rapid = EvaluateReadiness(w.Facts());
  EXPECT_THAT(TestsAheadReasons(rapid, absl::CivilDay(2026, 4, 20), kUtc), IsEmpty());
  EXPECT_EQ(StatusForPlannedDay(w.batch, rapid, absl::CivilDay(2026, 4, 20), kUtc),
            BoardStatus::kNotReady);
}

TEST(ReadinessBoardTest, TheFacilityZoneDecidesTheDay) {
  // Due 2026-05-31 16:00 UTC = 2026-06-01 01:00 in Japan (UTC+9).
  const absl::TimeZone jst = absl::FixedTimeZone(9 * 3600);
  Readiness r = NotReadyReadiness();
  r.results_due = absl::FromCivil(absl::CivilSecond(2026, 5, 31, 16, 0, 0), kUtc);
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kCryopreserved), r, kDay, jst),
            BoardStatus::kAtRisk);
  EXPECT_EQ(StatusForPlannedDay(BatchIn(BatchState::kCryopreserved), r, kDay, kUtc),
            BoardStatus::kNotReady);
}

TEST(ReadinessBoardTest, FromTheEvaluator) {
  // Growing, projected 129.7 h after P2 (2026-04-14 01:40 UTC).
  World w = GrowingWorld();
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_TRUE(r.projection.has_value() && r.projection->ready_at.has_value());
  EXPECT_EQ(StatusForPlannedDay(w.batch, r, absl::CivilDay(2026, 4, 13), kUtc),
            BoardStatus::kAtRisk);
  // Harvested as projected, its sterility culture still needs 14 days.
  EXPECT_EQ(StatusForPlannedDay(w.batch, r, absl::CivilDay(2026, 4, 15), kUtc),
            BoardStatus::kAtRisk);
  EXPECT_EQ(StatusForPlannedDay(w.batch, r, absl::CivilDay(2026, 4, 29), kUtc),
            BoardStatus::kNotReady);

  // Sterility inoculated at the final harvest is due 14 days later.
  World frozen = ReleasableWorld();
  QcTest* sterility = frozen.Test(QcTestType::kSterility);
  sterility->results.clear();
  sterility->reviews.clear();
  const absl::Time due = sterility->started_at + absl::Hours(14 * 24);
  const Readiness pending = EvaluateReadiness(frozen.Facts());
  const absl::CivilDay due_day = absl::ToCivilDay(due, kUtc);
  EXPECT_EQ(StatusForPlannedDay(frozen.batch, pending, due_day, kUtc), BoardStatus::kAtRisk);
  EXPECT_EQ(StatusForPlannedDay(frozen.batch, pending, due_day + 1, kUtc),
            BoardStatus::kNotReady);
}

}  // namespace
}  // namespace cpctrack::domain
