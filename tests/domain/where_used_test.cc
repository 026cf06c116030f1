#include "domain/where_used.h"

#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

const absl::Time kT0 =
    absl::FromCivil(absl::CivilSecond(2026, 11, 1, 9, 0, 0), absl::UTCTimeZone());
absl::Time H(int hours) { return kT0 + absl::Hours(hours); }

BatchRecord Record(int64_t id, RecordData data) {
  BatchRecord r;
  r.record_id = id;
  r.recorded_at = EventTime(data);
  r.recorded_by = "tech.sato";
  r.data = std::move(data);
  return r;
}

Seeding SeedInto(const std::string& incubator, absl::Time at) {
  Seeding s;
  s.seeding_time = at;
  s.cells_seeded = 1'000'000;
  s.incubator_id = incubator;
  return s;
}

Passage PassageInto(const std::string& incubator, absl::Time at, bool final_harvest = false) {
  Passage p;
  p.passage_time = at;
  p.viable_cells = 4'000'000;
  p.total_cells = 4'400'000;
  p.cells_reseeded = final_harvest ? 0 : 1'000'000;
  p.final_harvest = final_harvest;
  p.incubator_id = incubator;
  return p;
}

TEST(IncubatorStaysTest, EachSeedingOrPassageStartsAStayThatTheNextPassageEnds) {
  const BatchHistory history({Record(1, SeedInto("INC-01", H(0))),
                              Record(2, PassageInto("INC-02", H(72))),
                              Record(3, PassageInto("INC-01", H(144)))});
  const std::vector<IncubatorStay> stays = IncubatorStays(history, H(200));
  ASSERT_EQ(stays.size(), 3u);
  EXPECT_EQ(stays[0].incubator_id, "INC-01");
  EXPECT_EQ(stays[0].from, H(0));
  EXPECT_EQ(stays[0].until, H(72));
  EXPECT_EQ(stays[0].started_by, "P0 seeding");
  EXPECT_EQ(stays[1].incubator_id, "INC-02");
  EXPECT_EQ(stays[1].until, H(144));
  EXPECT_EQ(stays[2].incubator_id, "INC-01");
  EXPECT_EQ(stays[2].record_id, 3);
  EXPECT_EQ(stays[2].until, H(200));  // still in culture: until its end
}

TEST(IncubatorStaysTest, FinalHarvestEndsTheLastStayAndStartsNone) {
  const BatchHistory history({Record(1, SeedInto("INC-01", H(0))),
                              Record(2, PassageInto("INC-01", H(72), /*final_harvest=*/true))});
  const std::vector<IncubatorStay> stays = IncubatorStays(history, H(500));
  ASSERT_EQ(stays.size(), 1u);
  EXPECT_EQ(stays[0].until, H(72));
}

TEST(InWindowTest, PeriodsAndMomentsMeetTheWindowAtItsEdges) {
  EXPECT_TRUE(InWindow(H(0), H(10), H(10), H(20)));   // ends as the window opens
  EXPECT_TRUE(InWindow(H(20), H(30), H(10), H(20)));  // starts as it closes
  EXPECT_FALSE(InWindow(H(0), H(9), H(10), H(20)));
  EXPECT_FALSE(InWindow(H(21), H(30), H(10), H(20)));
  EXPECT_TRUE(InWindow(H(0), H(40), H(10), H(20)));   // spans it
  EXPECT_TRUE(InWindow(H(15), absl::InfinitePast(), H(10), H(20)));  // a moment inside
  EXPECT_FALSE(InWindow(H(25), absl::InfinitePast(), H(10), H(20)));
}

TEST(SortUsesTest, NewestFirstThenByBatchAndResource) {
  std::vector<Use> uses = {{.batch_id = "B", .resource = "records/2", .at = H(1)},
                           {.batch_id = "A", .resource = "records/9", .at = H(5)},
                           {.batch_id = "A", .resource = "records/1", .at = H(1)},
                           {.batch_id = "B", .resource = "records/1", .at = H(1)}};
  SortUses(uses);
  std::vector<std::string> order;
  for (const Use& u : uses) order.push_back(u.batch_id + "/" + u.resource);
  EXPECT_THAT(order, ::testing::ElementsAre("A/records/9", "A/records/1", "B/records/1",
                                            "B/records/2"));
}

}  // namespace
}  // namespace cpctrack::domain
