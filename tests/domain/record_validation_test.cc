#include "domain/record_validation.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "domain/plausibility.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 12, 0, 0),
                                        absl::UTCTimeZone());

TissueReceipt Receipt() {
  return {.collection_time = kNow - absl::Hours(30),
          .receipt_time = kNow - absl::Hours(28),
          .collection_site = "abdomen",
          .volume_ml = 20,
          .transport_temperature_c = 4,
          .collected_by = "Dr. Sato"};
}

Seeding P0Seeding(absl::Time at) {
  return {.seeding_time = at, .cells_seeded = 1'000'000, .vessel_type = "T175",
          .vessel_count = 2, .surface_area_cm2 = 350, .medium_lot = "MED-001",
          .reagent_lots = {"COL-01"}, .incubator_id = "INC-01", .cabinet_id = ""};
}

Passage APassage(absl::Time at, int number = 1) {
  return {.passage_time = at, .total_cells = 10'000'000, .viable_cells = 9'000'000,
          .viability_percent = 0, .counting_method = CountingMethod::kAutomatedAoPi,
          .cells_reseeded = 2'000'000, .medium_lot = "MED-001", .reagent_lots = {},
          .incubator_id = "INC-01",
          .counter_id = "NC-01",
          .passage_number = number};
}

absl::Status Validate(RecordData data) { return ValidateRecordData(data, kNow); }

TEST(ValidateRecordDataTest, AcceptsPlausibleRecordsOfEveryKind) {
  EXPECT_TRUE(Validate(Receipt()).ok());
  EXPECT_TRUE(Validate(P0Seeding(kNow - absl::Hours(1))).ok());
  EXPECT_TRUE(Validate(Observation{kNow, 55, "spindle"}).ok());
  EXPECT_TRUE(Validate(MediumChange{kNow, "MED-001", {}, 0}).ok());
  EXPECT_TRUE(Validate(APassage(kNow)).ok());
}

TEST(ValidateRecordDataTest, ViableCellsMayNotExceedTotal) {
  Passage p = APassage(kNow);
  p.viable_cells = p.total_cells + 1;
  absl::Status s = Validate(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("viable_cells"));
  EXPECT_THAT(s.message(), HasSubstr("exceeds total_cells"));
}

TEST(ValidateRecordDataTest, ViabilityIsComputedWhenNotGiven) {
  RecordData data = APassage(kNow);  // 9e6 of 1e7 viable
  ASSERT_TRUE(ValidateRecordData(data, kNow).ok());
  EXPECT_DOUBLE_EQ(std::get<Passage>(data).viability_percent, 90.0);
}

TEST(ValidateRecordDataTest, ComputedViabilityIsRoundedToOneDecimal) {
  Passage p = APassage(kNow);
  p.total_cells = 3'000'000;
  p.viable_cells = 2'000'000;  // 66.666...%
  p.cells_reseeded = 1'000'000;
  RecordData data = p;
  ASSERT_TRUE(ValidateRecordData(data, kNow).ok());
  EXPECT_DOUBLE_EQ(std::get<Passage>(data).viability_percent, 66.7);
}

TEST(ValidateRecordDataTest, GivenViabilityWithinOnePointIsKept) {
  Passage p = APassage(kNow);
  p.viability_percent = 89.2;  // computed 90.0
  RecordData data = p;
  ASSERT_TRUE(ValidateRecordData(data, kNow).ok());
  EXPECT_DOUBLE_EQ(std::get<Passage>(data).viability_percent, 89.2);
}

TEST(ValidateRecordDataTest, GivenViabilityOffByMoreThanOnePointIsRefused) {
  Passage p = APassage(kNow);
  p.viability_percent = 88.5;  // computed 90.0
  absl::Status s = Validate(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("viability_percent (88.5) disagrees"));
  p.viability_percent = 91.5;
  EXPECT_EQ(Validate(p).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValidateRecordDataTest, CountsMustBePositive) {
  for (int64_t bad : {int64_t{0}, int64_t{-5}}) {
    Passage p = APassage(kNow);
    p.total_cells = bad;
    EXPECT_THAT(Validate(p).message(), HasSubstr("total_cells")) << bad;
    p = APassage(kNow);
    p.viable_cells = bad;
    EXPECT_THAT(Validate(p).message(), HasSubstr("viable_cells")) << bad;
    p = APassage(kNow);
    p.cells_reseeded = bad;
    EXPECT_THAT(Validate(p).message(), HasSubstr("cells_reseeded")) << bad;
    Seeding s = P0Seeding(kNow);
    s.cells_seeded = bad;
    EXPECT_THAT(Validate(s).message(), HasSubstr("cells_seeded")) << bad;
  }
}

TEST(ValidateRecordDataTest, ImplausiblyLargeCountIsRefused) {
  Seeding s = P0Seeding(kNow);
  s.cells_seeded = kMaxCells + 1;
  EXPECT_THAT(Validate(s).message(), HasSubstr("implausibly large"));
}

TEST(ValidateRecordDataTest, ReseededCellsMayNotExceedViableHarvest) {
  Passage p = APassage(kNow);
  p.cells_reseeded = p.viable_cells + 1;
  absl::Status s = Validate(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cells_reseeded"));
  p.cells_reseeded = p.viable_cells;
  EXPECT_TRUE(Validate(p).ok());
}

TEST(ValidateRecordDataTest, PassageNeedsACountingMethod) {
  Passage p = APassage(kNow);
  p.counting_method = CountingMethod::kUnspecified;
  EXPECT_THAT(Validate(p).message(), HasSubstr("counting_method: required"));
}

TEST(ValidateRecordDataTest, TimesUpToFiveMinutesAheadAreClockSkew) {
  EXPECT_TRUE(Validate(Observation{kNow + absl::Minutes(5), 50, ""}).ok());
  absl::Status s = Validate(Observation{kNow + absl::Minutes(5) + absl::Seconds(1), 50, ""});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("observation_time"));
  EXPECT_THAT(s.message(), HasSubstr("in the future"));
}

TEST(ValidateRecordDataTest, FutureTimeIsRefusedForEveryKind) {
  const absl::Time later = kNow + absl::Hours(1);
  TissueReceipt r = Receipt();
  r.receipt_time = later;
  EXPECT_THAT(Validate(r).message(), HasSubstr("receipt_time"));
  EXPECT_THAT(Validate(P0Seeding(later)).message(), HasSubstr("seeding_time"));
  EXPECT_THAT(Validate(MediumChange{later, "MED-001", {}, 0}).message(),
              HasSubstr("change_time"));
  EXPECT_THAT(Validate(APassage(later)).message(), HasSubstr("passage_time"));
}

TEST(ValidateRecordDataTest, MissingTimeIsRequired) {
  EXPECT_THAT(Validate(Observation{absl::InfinitePast(), 50, ""}).message(),
              HasSubstr("observation_time: required"));
}

TEST(ValidateRecordDataTest, ReceiptBeforeCollectionIsRefused) {
  TissueReceipt r = Receipt();
  r.receipt_time = r.collection_time - absl::Minutes(1);
  absl::Status s = Validate(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("receipt_time"));
  EXPECT_THAT(s.message(), HasSubstr("before collection"));
}

TEST(ValidateRecordDataTest, ConfluenceIsAPercentage) {
  EXPECT_TRUE(Validate(Observation{kNow, 0, ""}).ok());
  EXPECT_TRUE(Validate(Observation{kNow, 100, ""}).ok());
  EXPECT_THAT(Validate(Observation{kNow, 100.1, ""}).message(), HasSubstr("confluence_percent"));
  EXPECT_THAT(Validate(Observation{kNow, -1, ""}).message(), HasSubstr("confluence_percent"));
}

TEST(ValidateRecordDataTest, EmptyReagentLotIsRefusedByIndex) {
  MediumChange m{kNow, "MED-001", {"A", ""}, 0};
  EXPECT_THAT(Validate(m).message(), HasSubstr("reagent_lots[1]: empty"));
}

TEST(ValidateRecordDataTest, SeedingNeedsMediumLotAndIncubator) {
  Seeding s = P0Seeding(kNow);
  s.medium_lot = "";
  EXPECT_THAT(Validate(s).message(), HasSubstr("medium_lot: required"));
  s = P0Seeding(kNow);
  s.incubator_id = "";
  EXPECT_THAT(Validate(s).message(), HasSubstr("incubator_id: required"));
}

// --- CheckTimeline -----------------------------------------------------------

absl::Status Timeline(std::vector<RecordData> records) {
  std::vector<const RecordData*> pointers;
  for (const RecordData& r : records) pointers.push_back(&r);
  return CheckTimeline(pointers);
}

TEST(CheckTimelineTest, AcceptsAnOrderlyCulture) {
  const TissueReceipt r = Receipt();
  const absl::Time t0 = r.receipt_time + absl::Hours(2);
  EXPECT_TRUE(Timeline({r, P0Seeding(t0), Observation{t0 + absl::Hours(24), 40, ""},
                        APassage(t0 + absl::Hours(72), 1), APassage(t0 + absl::Hours(144), 2)})
                  .ok());
}

TEST(CheckTimelineTest, SeedingBeforeReceiptIsRefused) {
  const TissueReceipt r = Receipt();
  absl::Status s = Timeline({r, P0Seeding(r.receipt_time - absl::Minutes(1))});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("seeding_time"));
  EXPECT_THAT(s.message(), HasSubstr("before tissue receipt"));
}

TEST(CheckTimelineTest, SeedingAtReceiptTimeIsAllowed) {
  const TissueReceipt r = Receipt();
  EXPECT_TRUE(Timeline({r, P0Seeding(r.receipt_time)}).ok());
}

TEST(CheckTimelineTest, ObservationBeforeSeedingIsRefused) {
  const TissueReceipt r = Receipt();
  const absl::Time t0 = r.receipt_time + absl::Hours(2);
  absl::Status s = Timeline({r, P0Seeding(t0), Observation{t0 - absl::Minutes(1), 40, ""}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("observation_time"));
  EXPECT_THAT(s.message(), HasSubstr("before the P0 seeding"));
}

TEST(CheckTimelineTest, MediumChangeBeforeSeedingIsRefused) {
  const absl::Time t0 = Receipt().receipt_time + absl::Hours(2);
  EXPECT_THAT(Timeline({P0Seeding(t0), MediumChange{t0 - absl::Hours(1), "MED-001", {}, 0}})
                  .message(),
              HasSubstr("change_time"));
}

TEST(CheckTimelineTest, FirstPassageMustFollowSeeding) {
  const absl::Time t0 = Receipt().receipt_time + absl::Hours(2);
  absl::Status s = Timeline({P0Seeding(t0), APassage(t0, 1)});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("must be after the P0 seeding"));
}

TEST(CheckTimelineTest, PassageTimesMustIncreaseWithPassageNumber) {
  const absl::Time t0 = Receipt().receipt_time + absl::Hours(2);
  // Listed in event order, but passage 2 is dated before passage 1.
  absl::Status s = Timeline({P0Seeding(t0), APassage(t0 + absl::Hours(48), 2),
                             APassage(t0 + absl::Hours(72), 1)});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(passage 2) must be after passage 1"));
}

TEST(CheckTimelineTest, TwoPassagesAtTheSameTimeAreRefused) {
  const absl::Time t0 = Receipt().receipt_time + absl::Hours(2);
  const absl::Time t1 = t0 + absl::Hours(72);
  EXPECT_FALSE(Timeline({P0Seeding(t0), APassage(t1, 1), APassage(t1, 2)}).ok());
}

}  // namespace
}  // namespace cpctrack::domain
