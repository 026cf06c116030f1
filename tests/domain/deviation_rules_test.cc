#include "domain/deviation_rules.h"

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kCollected =
    absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 0, 0), absl::UTCTimeZone());
const absl::Time kNow = kCollected + absl::Hours(24 * 60);

absl::Time At(absl::Duration after_collection) { return kCollected + after_collection; }

// A culture seeded with 1e6 cells 4 h after collection, then `passages`
// passages 72 h apart, each growing 1e6 -> 8e6 (3 PD) and re-seeding 1e6.
std::vector<RecordData> Culture(int passages) {
  std::vector<RecordData> records;
  TissueReceipt receipt;
  receipt.collection_time = kCollected;
  receipt.receipt_time = At(absl::Hours(2));
  receipt.transport_temperature_c = 4;
  records.emplace_back(receipt);
  Seeding seeding;
  seeding.seeding_time = At(absl::Hours(4));
  seeding.cells_seeded = 1'000'000;
  records.emplace_back(seeding);
  for (int i = 1; i <= passages; ++i) {
    Passage p;
    p.passage_number = i;
    p.passage_time = At(absl::Hours(4 + 72 * i));
    p.total_cells = 9'000'000;
    p.viable_cells = 8'000'000;
    p.cells_reseeded = 1'000'000;
    records.emplace_back(p);
  }
  return records;
}

std::vector<const RecordData*> Pointers(const std::vector<RecordData>& records) {
  std::vector<const RecordData*> out;
  for (const RecordData& r : records) out.push_back(&r);
  return out;
}

std::vector<Deviation> Raise(const std::vector<RecordData>& before,
                             const std::vector<RecordData>& after, const Product& product,
                             const std::vector<Deviation>& existing = {},
                             bool is_correction = false) {
  return RaiseDeviations(Pointers(before), Pointers(after), is_correction, product, existing,
                         kNow, "tech.ito");
}

Deviation Open(DeviationKind kind) {
  Deviation d;
  d.kind = kind;
  d.state = DeviationState::kOpen;
  return d;
}

TEST(DeviationRulesTest, PassageBeyondTheProductLimitOpensADeviation) {
  const Product product = DefaultProduct();  // P5 at most
  EXPECT_THAT(Raise(Culture(4), Culture(5), product), IsEmpty());
  const std::vector<Deviation> raised = Raise(Culture(5), Culture(6), product);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].kind, DeviationKind::kPassageLimit);
  EXPECT_THAT(raised[0].description, HasSubstr("reached P6"));
  EXPECT_THAT(raised[0].description, HasSubstr("up to P5"));
  EXPECT_EQ(raised[0].opened_by, "tech.ito");
}

TEST(DeviationRulesTest, AnOpenPassageDeviationIsNotRepeatedForTheNextPassage) {
  const Product product = DefaultProduct();
  EXPECT_THAT(Raise(Culture(6), Culture(7), product, {Open(DeviationKind::kPassageLimit)}),
              IsEmpty());
}

TEST(DeviationRulesTest, CumulativeDoublingsBeyondTheLimitOpenADeviation) {
  Product product = DefaultProduct();
  product.max_passage = 20;
  product.max_cumulative_population_doublings = 10;  // 3 PD per passage
  EXPECT_THAT(Raise(Culture(2), Culture(3), product), IsEmpty());  // 9 PD
  const std::vector<Deviation> raised = Raise(Culture(3), Culture(4), product);  // 12 PD
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].kind, DeviationKind::kPopulationDoublingLimit);
  EXPECT_THAT(raised[0].description, HasSubstr("12.00"));
}

TEST(DeviationRulesTest, AnUnchangedTimelineRaisesNothingEvenPastTheLimits) {
  Product product = DefaultProduct();
  product.max_cumulative_population_doublings = 10;
  EXPECT_THAT(Raise(Culture(7), Culture(7), product), IsEmpty());
}

TEST(DeviationRulesTest, TissueTransportedOutsideTheProductsRangeOpensAnExcursion) {
  const std::vector<RecordData> none;
  const std::vector<RecordData> culture = Culture(0);
  std::vector<RecordData> received(culture.begin(), culture.begin() + 1);
  std::get<TissueReceipt>(received[0]).transport_temperature_c = 8;  // the edge: in range
  EXPECT_THAT(Raise(none, received, DefaultProduct()), IsEmpty());
  std::get<TissueReceipt>(received[0]).transport_temperature_c = 14.5;
  const std::vector<Deviation> raised = Raise(none, received, DefaultProduct());
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].kind, DeviationKind::kExcursion);
  EXPECT_THAT(raised[0].description, HasSubstr("14.5 °C, outside 2 to 8 °C"));
  // A product that allows ambient transport.
  Product ambient = DefaultProduct();
  ambient.min_transport_temperature_c = 15;
  ambient.max_transport_temperature_c = 25;
  EXPECT_THAT(Raise(none, received, ambient), SizeIs(1));  // 14.5 °C is too cold for it
  std::get<TissueReceipt>(received[0]).transport_temperature_c = 21;
  EXPECT_THAT(Raise(none, received, ambient), IsEmpty());
}

TEST(DeviationRulesTest, LateSeedingIsMeasuredFromCollection) {
  std::vector<RecordData> late = Culture(0);
  std::get<Seeding>(late[1]).seeding_time = At(absl::Hours(50));
  const std::vector<RecordData> received(late.begin(), late.begin() + 1);
  const std::vector<Deviation> raised = Raise(received, late, DefaultProduct());
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].kind, DeviationKind::kLateProcessing);
  EXPECT_THAT(raised[0].description, HasSubstr("processing started 50.0 h after collection"));
}

Patient Eligible() {
  Patient p;
  p.patient_id = "PT-1";
  p.body_weight_kg = 60;
  p.screening = {ScreeningResult::kNegative, ScreeningResult::kNegative,
                 ScreeningResult::kNegative, ScreeningResult::kNegative,
                 ScreeningResult::kNegative};
  p.consent.given = true;
  return p;
}

TEST(PatientDeviationTest, APositiveResultOnAnEligiblePatientRaisesOne) {
  Patient after = Eligible();
  after.screening.hbv = ScreeningResult::kPositive;
  after.revision = 2;
  after.update_reason = "HBV positive";
  const std::optional<Deviation> d = RaisePatientDeviation(Eligible(), after, kNow, "qa.mori");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, DeviationKind::kPatientIneligible);
  EXPECT_THAT(d->description, HasSubstr("hbv POSITIVE"));
  EXPECT_THAT(d->description, HasSubstr("revision 2: HBV positive"));
}

TEST(PatientDeviationTest, NothingNewlyWrongRaisesNone) {
  Patient after = Eligible();
  after.body_weight_kg = 61;
  EXPECT_FALSE(RaisePatientDeviation(Eligible(), after, kNow, "x").has_value());
  Patient pending = Eligible();
  pending.screening.hcv = ScreeningResult::kPending;
  Patient still_pending = pending;
  still_pending.body_weight_kg = 61;
  EXPECT_FALSE(RaisePatientDeviation(pending, still_pending, kNow, "x").has_value());
}

TEST(PatientDeviationTest, WithdrawnConsentRaisesOne) {
  Patient after = Eligible();
  after.consent.given = false;
  EXPECT_TRUE(RaisePatientDeviation(Eligible(), after, kNow, "x").has_value());
}

TEST(PatientDeviationTest, RejectedBatchesAreNotAffected) {
  Batch batch{.batch_id = *Din::Create("A9999", 26, 1)};
  batch.state = BatchState::kInCulture;
  EXPECT_TRUE(AffectedByPatientChange(batch));
  batch.state = BatchState::kRejected;
  EXPECT_FALSE(AffectedByPatientChange(batch));
}

}  // namespace
}  // namespace cpctrack::domain
