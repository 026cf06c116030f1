#include "domain/growth.h"

#include <cmath>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 9, 0, 0),
                                       absl::UTCTimeZone());

Seeding P0(int64_t cells) {
  Seeding s;
  s.seeding_time = kT0;
  s.cells_seeded = cells;
  return s;
}

Passage Harvest(int number, absl::Duration after_t0, int64_t viable, int64_t reseeded) {
  Passage p;
  p.passage_number = number;
  p.passage_time = kT0 + after_t0;
  p.total_cells = viable;
  p.viable_cells = viable;
  p.cells_reseeded = reseeded;
  return p;
}

GrowthSummary Summarize(const std::vector<RecordData>& records) {
  std::vector<const RecordData*> pointers;
  for (const RecordData& r : records) pointers.push_back(&r);
  return SummarizeGrowth(pointers);
}

TEST(PopulationDoublingsTest, EightfoldIsThreeDoublings) {
  EXPECT_DOUBLE_EQ(PopulationDoublings(1'000'000, 8'000'000), 3.0);
  EXPECT_DOUBLE_EQ(PopulationDoublings(1'000'000, 1'000'000), 0.0);
  EXPECT_DOUBLE_EQ(PopulationDoublings(4'000'000, 1'000'000), -2.0);
}

TEST(PopulationDoublingsTest, NonPowerOfTwo) {
  // log2(5e6 / 1e6) = ln 5 / ln 2 = 1.6094379 / 0.6931472 = 2.3219281
  EXPECT_NEAR(PopulationDoublings(1'000'000, 5'000'000), 2.3219281, 1e-6);
}

TEST(DoublingTimeTest, ThreeDoublingsIn72HoursIs24Hours) {
  std::optional<absl::Duration> dt = DoublingTime(absl::Hours(72), 1'000'000, 8'000'000);
  ASSERT_TRUE(dt.has_value());
  EXPECT_NEAR(absl::ToDoubleHours(*dt), 24.0, 1e-9);
}

TEST(DoublingTimeTest, NonIntegerDoublings) {
  // 96 h * ln 2 / ln 5 = 96 * 0.6931472 / 1.6094379 = 41.3449 h
  std::optional<absl::Duration> dt = DoublingTime(absl::Hours(96), 1'000'000, 5'000'000);
  ASSERT_TRUE(dt.has_value());
  EXPECT_NEAR(absl::ToDoubleHours(*dt), 41.3449, 1e-3);
}

TEST(DoublingTimeTest, NoneWhenCellsDidNotGrow) {
  EXPECT_FALSE(DoublingTime(absl::Hours(72), 1'000'000, 1'000'000).has_value());
  EXPECT_FALSE(DoublingTime(absl::Hours(72), 2'000'000, 1'000'000).has_value());
}

TEST(DoublingTimeTest, NoneWhenNoTimePassed) {
  EXPECT_FALSE(DoublingTime(absl::ZeroDuration(), 1'000'000, 8'000'000).has_value());
  EXPECT_FALSE(DoublingTime(-absl::Hours(1), 1'000'000, 8'000'000).has_value());
}

TEST(SummarizeGrowthTest, NothingBeforeSeeding) {
  GrowthSummary g = Summarize({Observation{kT0, 10, ""}});
  EXPECT_EQ(g.current_passage, -1);
  EXPECT_TRUE(g.passages.empty());
  EXPECT_EQ(g.cells_in_culture, 0);
}

TEST(SummarizeGrowthTest, AfterSeedingOnlyTheSeededCellsAreInCulture) {
  GrowthSummary g = Summarize({P0(1'000'000)});
  EXPECT_EQ(g.current_passage, 0);
  EXPECT_EQ(g.cells_in_culture, 1'000'000);
  EXPECT_EQ(g.current_viable_cells, 1'000'000);
  EXPECT_DOUBLE_EQ(g.cumulative_population_doublings, 0);
}

TEST(SummarizeGrowthTest, CumulativeDoublingsSumOverPassages) {
  // P0 1e6 -> 8e6 in 72 h (3 PD, DT 24 h), reseed 1e6;
  // P1 1e6 -> 4e6 in 96 h (2 PD, DT 48 h), reseed 5e5;
  // P2 5e5 -> 8e6 in 96 h (4 PD, DT 24 h), reseed 2e6.  Total 9 PD.
  GrowthSummary g = Summarize({P0(1'000'000),
                               Harvest(1, absl::Hours(72), 8'000'000, 1'000'000),
                               Harvest(2, absl::Hours(168), 4'000'000, 500'000),
                               Harvest(3, absl::Hours(264), 8'000'000, 2'000'000)});
  ASSERT_EQ(g.passages.size(), 3u);
  EXPECT_DOUBLE_EQ(g.passages[0].population_doublings, 3.0);
  EXPECT_DOUBLE_EQ(g.passages[1].population_doublings, 2.0);
  EXPECT_DOUBLE_EQ(g.passages[2].population_doublings, 4.0);
  EXPECT_DOUBLE_EQ(g.cumulative_population_doublings, 9.0);
  EXPECT_NEAR(absl::ToDoubleHours(*g.passages[0].doubling_time), 24.0, 1e-9);
  EXPECT_NEAR(absl::ToDoubleHours(*g.passages[1].doubling_time), 48.0, 1e-9);
  EXPECT_NEAR(absl::ToDoubleHours(*g.passages[2].doubling_time), 24.0, 1e-9);
  EXPECT_EQ(g.current_passage, 3);
}

TEST(SummarizeGrowthTest, EachPassageIsMeasuredFromTheOneBefore) {
  GrowthSummary g = Summarize({P0(1'000'000),
                               Harvest(1, absl::Hours(72), 8'000'000, 1'000'000),
                               Harvest(2, absl::Hours(168), 4'000'000, 500'000)});
  ASSERT_EQ(g.passages.size(), 2u);
  EXPECT_EQ(g.passages[1].seeding_time, kT0 + absl::Hours(72));
  EXPECT_EQ(g.passages[1].harvest_time, kT0 + absl::Hours(168));
  EXPECT_EQ(g.passages[1].cells_seeded, 1'000'000);
  EXPECT_EQ(g.passages[1].viable_cells_harvested, 4'000'000);
}

TEST(SummarizeGrowthTest, CurrentCellsAreTheLatestCountAndReseed) {
  GrowthSummary g = Summarize({P0(1'000'000),
                               Harvest(1, absl::Hours(72), 8'000'000, 1'000'000),
                               Harvest(2, absl::Hours(168), 4'000'000, 500'000)});
  EXPECT_EQ(g.current_viable_cells, 4'000'000);
  EXPECT_EQ(g.cells_in_culture, 500'000);
}

TEST(SummarizeGrowthTest, PassagesInAnyOrderAreSortedByNumber) {
  GrowthSummary g = Summarize({Harvest(2, absl::Hours(168), 4'000'000, 500'000),
                               Harvest(1, absl::Hours(72), 8'000'000, 1'000'000),
                               P0(1'000'000)});
  ASSERT_EQ(g.passages.size(), 2u);
  EXPECT_EQ(g.passages[0].passage_number, 1);
  EXPECT_DOUBLE_EQ(g.cumulative_population_doublings, 5.0);
  EXPECT_EQ(g.cells_in_culture, 500'000);
}

TEST(SummarizeGrowthTest, ShrinkingPassageHasNoDoublingTime) {
  GrowthSummary g = Summarize({P0(2'000'000), Harvest(1, absl::Hours(72), 1'000'000, 500'000)});
  ASSERT_EQ(g.passages.size(), 1u);
  EXPECT_FALSE(g.passages[0].doubling_time.has_value());
  EXPECT_DOUBLE_EQ(g.passages[0].population_doublings, -1.0);
}


TEST(SummarizeGrowthTest, FinalHarvestEndsTheCultureWithNothingInIt) {
  Passage last = Harvest(2, absl::Hours(144), 64'000'000, 0);
  last.final_harvest = true;
  GrowthSummary g = Summarize({P0(1'000'000), Harvest(1, absl::Hours(72), 8'000'000, 8'000'000),
                               last});
  ASSERT_TRUE(g.culture_ended_at.has_value());
  EXPECT_EQ(*g.culture_ended_at, kT0 + absl::Hours(144));
  EXPECT_EQ(g.cells_in_culture, 0);
  EXPECT_EQ(g.current_viable_cells, 64'000'000);
  EXPECT_EQ(g.current_passage, 2);
  // The final harvest's growth counts like any passage's: 8e6 -> 64e6.
  EXPECT_DOUBLE_EQ(g.passages.back().population_doublings, 3.0);
}

TEST(SummarizeGrowthTest, CultureWithoutFinalHarvestHasNotEnded) {
  GrowthSummary g = Summarize({P0(1'000'000), Harvest(1, absl::Hours(72), 8'000'000, 2'000'000)});
  EXPECT_FALSE(g.culture_ended_at.has_value());
}

}  // namespace
}  // namespace cpctrack::domain
