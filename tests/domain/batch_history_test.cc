#include "domain/batch.h"

#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 9, 0, 0),
                                       absl::UTCTimeZone());

BatchRecord Record(int64_t id, RecordData data, int64_t corrects = 0) {
  BatchRecord r;
  r.record_id = id;
  r.corrects_record_id = corrects;
  if (corrects != 0) r.correction_reason = "typo";
  r.corrected_by_record_id = 999;  // stale: the history must recompute it
  r.data = std::move(data);
  return r;
}

RecordData ObservationAt(absl::Duration after_t0, double confluence) {
  return Observation{kT0 + after_t0, confluence, ""};
}

RecordData SeedingAt(absl::Duration after_t0) {
  Seeding s;
  s.seeding_time = kT0 + after_t0;
  s.cells_seeded = 1'000'000;
  return s;
}

RecordData PassageNumber(int number, absl::Duration after_t0) {
  Passage p;
  p.passage_time = kT0 + after_t0;
  p.passage_number = number;
  return p;
}

std::vector<int64_t> EffectiveIds(const BatchHistory& history) {
  std::vector<int64_t> ids;
  for (const BatchRecord* r : history.Effective()) ids.push_back(r->record_id);
  return ids;
}

TEST(BatchHistoryTest, CorrectedByIsFilledFromTheCorrection) {
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(24), 35), /*corrects=*/2)});
  EXPECT_EQ(h.Find(1)->corrected_by_record_id, 0);
  EXPECT_EQ(h.Find(2)->corrected_by_record_id, 3);
  EXPECT_EQ(h.Find(3)->corrected_by_record_id, 0);
  EXPECT_EQ(h.Find(4), nullptr);
}

TEST(BatchHistoryTest, EffectiveShowsTheCorrectionInTheOriginalsPlace) {
  // Record 2 (24 h) is corrected by 4; record 3 (48 h) was written between.
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(48), 60)),
                  Record(4, ObservationAt(absl::Hours(24), 35), /*corrects=*/2)});
  EXPECT_THAT(EffectiveIds(h), ElementsAre(1, 4, 3));
}

TEST(BatchHistoryTest, EffectiveUsesTheLatestOfAChainOfCorrections) {
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(24), 35), /*corrects=*/2),
                  Record(4, ObservationAt(absl::Hours(24), 40), /*corrects=*/3)});
  EXPECT_THAT(EffectiveIds(h), ElementsAre(1, 4));
  EXPECT_EQ(std::get<Observation>(h.Effective()[1]->data).confluence_percent, 40);
  EXPECT_EQ(h.records().size(), 4u);  // nothing is lost
}

TEST(BatchHistoryTest, EqualEventTimesKeepTheOriginalsOrder) {
  // Records 2 and 3 happened at the same time; 2's correction (4) stays first.
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(24), 60)),
                  Record(4, ObservationAt(absl::Hours(24), 35), /*corrects=*/2)});
  EXPECT_THAT(EffectiveIds(h), ElementsAre(1, 4, 3));
}

TEST(BatchHistoryTest, CorrectionThatMovesTheTimeMovesTheRecord) {
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(48), 60)),
                  Record(4, ObservationAt(absl::Hours(72), 30), /*corrects=*/2)});
  EXPECT_THAT(EffectiveIds(h), ElementsAre(1, 3, 4));
}

TEST(BatchHistoryTest, OriginOfFollowsTheChainBack) {
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(24), 30)),
                  Record(3, ObservationAt(absl::Hours(24), 35), /*corrects=*/2),
                  Record(4, ObservationAt(absl::Hours(24), 40), /*corrects=*/3)});
  EXPECT_EQ(h.OriginOf(4), 2);
  EXPECT_EQ(h.OriginOf(3), 2);
  EXPECT_EQ(h.OriginOf(2), 2);
  EXPECT_EQ(h.OriginOf(1), 1);
  EXPECT_EQ(h.OriginOf(77), 77);  // unknown: itself
}

TEST(BatchHistoryTest, CurrentPassageCountsSeedingAndPassages) {
  EXPECT_EQ(BatchHistory({}).CurrentPassage(), -1);
  EXPECT_EQ(BatchHistory({Record(1, SeedingAt(absl::Hours(0)))}).CurrentPassage(), 0);
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, PassageNumber(1, absl::Hours(72))),
                  Record(3, PassageNumber(2, absl::Hours(144))),
                  Record(4, PassageNumber(1, absl::Hours(70)), /*corrects=*/2)});
  EXPECT_EQ(h.CurrentPassage(), 2);
}

TEST(BatchHistoryTest, EffectiveOfKindPicksOneKindInEventOrder) {
  BatchHistory h({Record(1, SeedingAt(absl::Hours(0))),
                  Record(2, ObservationAt(absl::Hours(48), 60)),
                  Record(3, ObservationAt(absl::Hours(24), 30))});
  std::vector<const Observation*> obs = EffectiveOfKind<Observation>(h.Effective());
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0]->confluence_percent, 30);
  EXPECT_EQ(obs[1]->confluence_percent, 60);
  EXPECT_EQ(EffectiveOfKind<Passage>(h.Effective()).size(), 0u);
}

}  // namespace
}  // namespace cpctrack::domain
