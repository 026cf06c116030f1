#include "domain/projection.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

const absl::Time kT0 =
    absl::FromCivil(absl::CivilSecond(2026, 11, 1, 9, 0, 0), absl::UTCTimeZone());

PassageGrowth Grew(int number, absl::Time seeded_at, absl::Duration elapsed, int64_t seeded,
                   int64_t harvested) {
  PassageGrowth g;
  g.passage_number = number;
  g.seeding_time = seeded_at;
  g.harvest_time = seeded_at + elapsed;
  g.cells_seeded = seeded;
  g.viable_cells_harvested = harvested;
  g.population_doublings = PopulationDoublings(seeded, harvested);
  g.doubling_time = DoublingTime(elapsed, seeded, harvested);
  return g;
}

// P1: 1e6 -> 8e6 in 72 h: PD 3, DT 24 h.  P2: 2e6 -> 8e6 in 60 h: PD 2, DT 30 h.
// P3: 4e6 -> 3e6 in 48 h: no growth.
GrowthSummary ThreePassages() {
  GrowthSummary s;
  s.passages.push_back(Grew(1, kT0, absl::Hours(72), 1'000'000, 8'000'000));
  s.passages.push_back(Grew(2, kT0 + absl::Hours(72), absl::Hours(60), 2'000'000, 8'000'000));
  s.passages.push_back(Grew(3, kT0 + absl::Hours(132), absl::Hours(48), 4'000'000, 3'000'000));
  return s;
}

// Combined growth of P1 and P2: (72 + 60) h / (3 + 2) PD = 26.4 h.
TEST(EstimateDoublingTimeTest, CombinesTheRecentPassagesThatGrew) {
  absl::StatusOr<DoublingTimeBasis> basis = EstimateDoublingTime(ThreePassages(), 2);
  ASSERT_TRUE(basis.ok()) << basis.status();
  EXPECT_EQ(basis->passage_numbers, (std::vector<int>{1, 2}));
  EXPECT_EQ(basis->growth_time, absl::Hours(132));
  EXPECT_DOUBLE_EQ(basis->population_doublings, 5);
  EXPECT_EQ(absl::ToInt64Seconds(basis->doubling_time), 26 * 3600 + 24 * 60);
}

TEST(EstimateDoublingTimeTest, LatestPassageThatGrewWhenAskedForOne) {
  absl::StatusOr<DoublingTimeBasis> basis = EstimateDoublingTime(ThreePassages(), 1);
  ASSERT_TRUE(basis.ok()) << basis.status();
  EXPECT_EQ(basis->passage_numbers, (std::vector<int>{2}));
  EXPECT_EQ(basis->doubling_time, absl::Hours(30));
}

TEST(EstimateDoublingTimeTest, NotEnoughDataWithoutAPassageThatGrew) {
  GrowthSummary none;
  EXPECT_EQ(EstimateDoublingTime(none, 3).status().code(),
            absl::StatusCode::kFailedPrecondition);
  GrowthSummary no_growth;
  no_growth.passages.push_back(ThreePassages().passages[2]);
  absl::Status status = EstimateDoublingTime(no_growth, 3).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("not enough data"), absl::string_view::npos);
  EXPECT_EQ(EstimateDoublingTime(ThreePassages(), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// 1e7 -> 8e7 is log2(8) = 3 doublings: 3 x 24 h = 72 h after the count.
TEST(ProjectTimeToReachTest, ExponentialGrowthAtTheDoublingTime) {
  absl::StatusOr<absl::Time> t =
      ProjectTimeToReach(10'000'000, kT0, absl::Hours(24), 80'000'000);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, kT0 + absl::Hours(72));
}

// 1e7 -> 1e8 is log2(10) = 3.32193 doublings x 30 h = 99.6578 h = 358768.2 s
// (99 h 39 m 28 s).
TEST(ProjectTimeToReachTest, NonWholeNumberOfDoublings) {
  absl::StatusOr<absl::Time> t =
      ProjectTimeToReach(10'000'000, kT0, absl::Hours(30), 100'000'000);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(absl::ToInt64Seconds(*t - kT0), 99 * 3600 + 39 * 60 + 28);
}

TEST(ProjectTimeToReachTest, AlreadyThereIsNow) {
  EXPECT_EQ(*ProjectTimeToReach(5, kT0, absl::Hours(24), 5), kT0);
}

TEST(ProjectTimeToReachTest, RefusesMeaninglessInputs) {
  EXPECT_EQ(ProjectTimeToReach(0, kT0, absl::Hours(24), 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ProjectTimeToReach(1, kT0, absl::ZeroDuration(), 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ProjectTimeToReach(1, kT0, absl::Hours(24 * 365), 1'000'000).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace cpctrack::domain
