// Release bases and sample points per required test (issue 13 item 1): the
// ready-made fresh product is released on a 72 h interim reading of an
// in-process sterility culture, the final-product culture followed after.
#include "domain/release_tests.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/plausibility.h"
#include "domain/product.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "readiness_world.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using namespace testing_world;  // NOLINT

using S = CriterionStatus;

constexpr int64_t kFollowUpTest = 201;

InterimReading NoGrowthAt(const QcTest& test, absl::Duration after, int64_t id) {
  InterimReading r;
  r.reading_id = id;
  r.read_at = test.started_at + after;
  r.note = "no growth";
  r.performed_by = "tanaka";
  r.recorded_at = r.read_at;
  return r;
}

// The fresh world under ADSC-FRESH: the sterility culture of the last passage
// read "no growth" at 72 h, the final-product culture incubating, identity on
// the final harvest; everything else reviewed within specification.
World FreshReleaseWorld() {
  World w = FreshWorld();
  w.product = FreshProduct();
  w.batch.product_code = w.product.product_code;
  w.batch.product_version = w.product.version;
  w.Test(QcTestType::kFlowCytometry)->sample_id = kFinalHarvestSample;
  QcTest* sterility = w.Test(QcTestType::kSterility);
  *sterility = PendingTest(TestIdOf(QcTestType::kSterility), kPassageSample,
                           QcTestType::kSterility, kP1At);
  sterility->interim_readings.push_back(NoGrowthAt(*sterility, absl::Hours(72), 1));
  w.tests.push_back(PendingTest(kFollowUpTest, kFinalProductSample, QcTestType::kSterility,
                                w.samples[0].drawn_at));
  return w;
}

Criterion Get(const Readiness& r, const std::string& name) {
  const Criterion* c = FindCriterion(r, name);
  if (c == nullptr) {
    ADD_FAILURE() << "no criterion named \"" << name << "\"";
    return {"<missing>", S::kPending, "", ""};
  }
  return *c;
}

TEST(FreshProductTest, IsValidAndReleasesSterilityOnAnInterimReadingOfAPassageSample) {
  const Product p = FreshProduct();
  EXPECT_TRUE(ValidateProduct(p).ok()) << ValidateProduct(p);
  EXPECT_EQ(p.product_code, "ADSC-FRESH");
  const RequiredTest* sterility = FindRequiredTest(p, QcTestType::kSterility);
  ASSERT_NE(sterility, nullptr);
  EXPECT_EQ(sterility->basis, ReleaseBasis::kInterimReading);
  EXPECT_EQ(sterility->min_interim, absl::Hours(72));
  EXPECT_EQ(ReleasePoints(*sterility), std::vector<SamplePoint>{SamplePoint::kPassage});
  EXPECT_EQ(FollowUpPoints(*sterility), std::vector<SamplePoint>{SamplePoint::kFinalProduct});
  // Everything released on the final product must exist within the bag's life.
  for (QcTestType type : {QcTestType::kGramStain, QcTestType::kEndotoxin, QcTestType::kMycoplasma}) {
    const RequiredTest* t = FindRequiredTest(p, type);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(ReleasePoints(*t), std::vector<SamplePoint>{SamplePoint::kFinalProduct});
    EXPECT_LT(t->min_incubation, p.fresh_shelf_life) << QcTestTypeName(type);
  }
}

TEST(ReleaseBasisTest, DefaultsAreTheFinalResultOnTheFinalHarvestOrProduct) {
  const RequiredTest t{QcTestType::kSterility, "USP <71> culture", absl::Hours(336)};
  EXPECT_EQ(ReleasePoints(t),
            (std::vector<SamplePoint>{SamplePoint::kFinalHarvest, SamplePoint::kFinalProduct}));
  EXPECT_TRUE(FollowUpPoints(t).empty());
}

TEST(ReleaseBasisTest, ValidationNamesTheFieldAndTheRule) {
  Product p = DefaultProduct();
  RequiredTest* endotoxin = &p.required_tests[2];
  ASSERT_EQ(endotoxin->type, QcTestType::kEndotoxin);
  endotoxin->basis = ReleaseBasis::kInterimReading;
  endotoxin->min_interim = absl::Hours(1);
  EXPECT_THAT(std::string(ValidateProduct(p).message()),
              HasSubstr("required_tests[ENDOTOXIN].basis: INTERIM_READING is for a culture"));

  p = DefaultProduct();
  p.required_tests[0].basis = ReleaseBasis::kInterimReading;
  p.required_tests[0].min_interim = absl::Hours(14 * 24);
  EXPECT_THAT(std::string(ValidateProduct(p).message()),
              HasSubstr("required_tests[STERILITY].min_interim_hours: 336 must be above 0 and "
                        "below the minimum incubation (336 h)"));

  p = DefaultProduct();
  p.required_tests[0].follow_up_points = {SamplePoint::kFinalProduct};
  EXPECT_THAT(std::string(ValidateProduct(p).message()), HasSubstr("need basis INTERIM_READING"));

  p = DefaultProduct();
  p.required_tests[0].sample_points = {SamplePoint::kPassage, SamplePoint::kPassage};
  EXPECT_THAT(std::string(ValidateProduct(p).message()),
              HasSubstr("required_tests[STERILITY].sample_points: PASSAGE is given twice"));
}

TEST(ReleaseBasisTest, FreshBagIsReadyOnTheInterimReadingWithTheFinalCultureFollowed) {
  World w = FreshReleaseWorld();
  const Readiness r = EvaluateReadiness(w.Facts(), /*for_release=*/true);
  const Criterion sterility = Get(r, "sterility");
  EXPECT_EQ(sterility.status, S::kMet) << sterility.value;
  EXPECT_THAT(sterility.value, HasSubstr("no growth at 3 days (interim reading 1 of test 101, "
                                         "PASSAGE); final result due"));
  EXPECT_THAT(sterility.limit, HasSubstr("no growth at >= 3 days (interim), on PASSAGE"));
  const Criterion followed = Get(r, "sterility (followed after release)");
  EXPECT_EQ(followed.status, S::kMet);
  const absl::Time due = w.samples[0].drawn_at + absl::Hours(14 * 24);
  EXPECT_EQ(followed.value, absl::StrCat("followed after release: test 201 result due ",
                                         FormatUtc(due)));
  EXPECT_TRUE(r.ready) << sterility.value;
}

TEST(ReleaseBasisTest, AnInterimReadingBeforeTheMinimumDoesNotRelease) {
  World w = FreshReleaseWorld();
  QcTest* sterility = w.Test(QcTestType::kSterility);
  sterility->interim_readings = {NoGrowthAt(*sterility, absl::Hours(72) - absl::Minutes(1), 1)};
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  const Criterion c = Get(r, "sterility");
  EXPECT_EQ(c.status, S::kPending);
  EXPECT_EQ(c.value, absl::StrCat("test 101 incubating, interim reading due ",
                                  FormatUtc(kP1At + absl::Hours(72))));
  EXPECT_FALSE(r.ready);
  ASSERT_TRUE(r.results_due.has_value());
  EXPECT_EQ(*r.results_due, kP1At + absl::Hours(72));
}

TEST(ReleaseBasisTest, AFollowUpCultureNotOrderedKeepsTheBatchFromRelease) {
  World w = FreshReleaseWorld();
  w.tests.pop_back();
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  const Criterion c = Get(r, "sterility (followed after release)");
  EXPECT_EQ(c.status, S::kNotMet);
  EXPECT_EQ(c.value, "not ordered at FINAL_PRODUCT");
  EXPECT_FALSE(r.ready);
}

TEST(ReleaseBasisTest, TheFollowedResultArrivingAfterReleaseDoesNotRevokeIt) {
  World w = FreshReleaseWorld();
  const std::string signed_hash = BatchRecordHash(w.Facts());
  AddResult(w.tests.back(), DetectionResult{Detection::kNegative, ""}, 2010);
  EXPECT_EQ(BatchRecordHash(w.Facts()), signed_hash);
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  const Criterion followed = Get(r, "sterility (followed after release)");
  EXPECT_EQ(followed.status, S::kMet);
  EXPECT_EQ(followed.value, "NEGATIVE (test 201), awaiting review");
  // A result of the test the release rests on is part of the record.
  AddResult(*w.Test(QcTestType::kSterility), DetectionResult{Detection::kNegative, ""}, 1010);
  EXPECT_NE(BatchRecordHash(w.Facts()), signed_hash);
}

TEST(ReleaseBasisTest, AnInProcessSampleDoesNotCountUnderTheDefaultProduct) {
  World w = FreshReleaseWorld();
  w.product = DefaultProduct();
  w.tests.pop_back();  // no final-product sterility culture
  const Readiness r = EvaluateReadiness(w.Facts(), true);
  EXPECT_EQ(Get(r, "sterility").value, "not ordered at FINAL_HARVEST, FINAL_PRODUCT");
  EXPECT_EQ(FindCriterion(r, "sterility (followed after release)"), nullptr);
}

TEST(ReleaseBasisTest, TheBoardWaitsForTheInterimReadingNotTheFinalCulture) {
  World w = FreshReleaseWorld();
  QcTest* sterility = w.Test(QcTestType::kSterility);
  sterility->interim_readings.clear();
  const Readiness r = EvaluateReadiness(w.Facts());
  ASSERT_EQ(r.tests_ahead.size(), 1u);
  EXPECT_EQ(r.tests_ahead[0].result_at, kP1At + absl::Hours(72));
  EXPECT_THAT(r.tests_ahead[0].basis, HasSubstr("+ 3 days (interim reading)"));
}

}  // namespace
}  // namespace cpctrack::domain
