#include "domain/periodic_report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

const absl::TimeZone kTokyo = [] {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Tokyo", &zone);
  return zone;
}();

absl::Time Tokyo(int y, int m, int d, int h = 12) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), kTokyo);
}

PeriodicBatchFacts MakeBatch(const std::string& din, const std::string& patient, absl::Time made) {
  return PeriodicBatchFacts{
      .batch = Batch{.batch_id = *Din::Parse(din), .patient_id = patient, .created_at = made}};
}

QcTest Result(int64_t id, QcTestType type, QcValue value, absl::Time read) {
  QcTest t{.test_id = id, .type = type};
  t.results.push_back({.read_at = read, .value = std::move(value)});
  return t;
}

// Two batches of the plan in 2026: one made, released and infused twice (one
// adverse event); one made, contaminated, rejected and disposed of. Events
// just outside the period (Tokyo's New Year's Eve, 2025, and 2027) do not count.
std::vector<PeriodicBatchFacts> Year() {
  PeriodicBatchFacts good = MakeBatch("A9999260000018", "TKY-0042", Tokyo(2026, 1, 1, 0));
  good.releases.push_back({.release_id = 1, .signed_at = Tokyo(2026, 2, 1)});
  good.releases.push_back({.release_id = 2, .signed_at = Tokyo(2026, 2, 3)});
  good.deviations.push_back({.kind = DeviationKind::kLateProcessing, .opened_at = Tokyo(2026, 1, 2)});
  good.infusions.push_back({.unit_id = "A9999260000018-01", .started_at = Tokyo(2026, 2, 10)});
  good.infusions.push_back({.unit_id = "A9999260000018-02", .started_at = Tokyo(2026, 3, 10),
                            .adverse_events = "fever 38.2 °C, resolved"});
  good.infusions.push_back({.unit_id = "A9999260000018-03", .started_at = Tokyo(2027, 1, 1, 0)});
  good.tests.push_back(Result(7, QcTestType::kSterility,
                              DetectionResult{.detection = Detection::kNegative},
                              Tokyo(2026, 1, 20)));

  PeriodicBatchFacts bad = MakeBatch("A9999260000026", "TKY-0050", Tokyo(2026, 4, 1));
  bad.tests.push_back(Result(9, QcTestType::kSterility,
                             DetectionResult{.detection = Detection::kPositive, .organism = "S. aureus"},
                             Tokyo(2026, 4, 20)));
  bad.tests.push_back(Result(10, QcTestType::kGramStain,
                             GramStainResult{.finding = GramFinding::kOrganismsSeen},
                             Tokyo(2026, 4, 19)));
  bad.deviations.push_back({.kind = DeviationKind::kPositiveTest, .opened_at = Tokyo(2026, 4, 20)});
  bad.deviations.push_back({.kind = DeviationKind::kPositiveTest, .opened_at = Tokyo(2026, 4, 19)});
  bad.state_changes.push_back({BatchState::kInCulture, BatchState::kQuarantined, Tokyo(2026, 4, 20)});
  bad.state_changes.push_back({BatchState::kQuarantined, BatchState::kRejected, Tokyo(2026, 4, 25)});
  bad.state_changes.push_back({BatchState::kRejected, BatchState::kDisposed, Tokyo(2026, 4, 26)});

  PeriodicBatchFacts last_year = MakeBatch("A999925000001P", "TKY-0001", Tokyo(2025, 12, 31, 23));
  last_year.state_changes.push_back({BatchState::kRejected, BatchState::kDisposed,
                                     Tokyo(2025, 12, 31, 23)});
  return {good, bad, last_year};
}

TEST(CountPeriodicReport, CountsEachKindOfEventInThePeriod) {
  absl::StatusOr<PeriodicReport> r = CountPeriodicReport(
      "TP-2026-0042", absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31), kTokyo, Year());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->plan_number, "TP-2026-0042");
  EXPECT_EQ(r->batches_made, 2);
  EXPECT_EQ(r->batches_released, 1);  // released twice, one batch
  EXPECT_EQ(r->batches_rejected, 1);
  EXPECT_EQ(r->batches_disposed, 1);
  EXPECT_EQ(r->deviations_by_kind, (std::map<DeviationKind, int>{
                                       {DeviationKind::kLateProcessing, 1},
                                       {DeviationKind::kPositiveTest, 2}}));
  ASSERT_EQ(r->positive_results.size(), 2u);
  EXPECT_EQ(r->positive_results[0].test_id, 10);  // read first
  EXPECT_EQ(r->positive_results[1].test_id, 9);
  EXPECT_EQ(r->positive_results[1].batch_id, "A9999260000026");
  EXPECT_THAT(r->positive_results[1].finding, ::testing::HasSubstr("S. aureus"));
  EXPECT_EQ(r->infusions_given, 2);
  EXPECT_EQ(r->patients_treated, 1);
  ASSERT_EQ(r->adverse_events.size(), 1u);
  EXPECT_EQ(r->adverse_events[0].unit_id, "A9999260000018-02");
  EXPECT_EQ(r->adverse_events[0].patient_id, "TKY-0042");
  EXPECT_EQ(r->adverse_events[0].text, "fever 38.2 °C, resolved");
}

TEST(CountPeriodicReport, PeriodIsFacilityDaysInclusive) {
  // Only 2026-01-01 (Tokyo): the batch made at midnight counts.
  absl::StatusOr<PeriodicReport> r = CountPeriodicReport(
      "TP-2026-0042", absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 1), kTokyo, Year());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->batches_made, 1);
  EXPECT_EQ(r->batches_disposed, 0);
  EXPECT_EQ(r->infusions_given, 0);
}

TEST(CountPeriodicReport, EmptyPeriodCountsNothing) {
  absl::StatusOr<PeriodicReport> r = CountPeriodicReport(
      "TP-2026-0042", absl::CivilDay(2030, 1, 1), absl::CivilDay(2030, 12, 31), kTokyo, Year());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->batches_made, 0);
  EXPECT_TRUE(r->deviations_by_kind.empty());
  EXPECT_TRUE(r->positive_results.empty());
}

TEST(CountPeriodicReport, RefusesABackwardPeriodAndAnEmptyPlan) {
  absl::StatusOr<PeriodicReport> r = CountPeriodicReport(
      "TP-1", absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 1, 31), kTokyo, {});
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("to_date (2026-01-31)"));
  EXPECT_EQ(CountPeriodicReport("", absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 1), kTokyo,
                                {})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IsContamination, PositiveCultureAndOrganismsSeen) {
  EXPECT_TRUE(IsContamination(DetectionResult{.detection = Detection::kPositive}));
  EXPECT_FALSE(IsContamination(DetectionResult{.detection = Detection::kNegative}));
  EXPECT_TRUE(IsContamination(GramStainResult{.finding = GramFinding::kOrganismsSeen}));
  EXPECT_FALSE(IsContamination(GramStainResult{.finding = GramFinding::kNoOrganismsSeen}));
  EXPECT_FALSE(IsContamination(EndotoxinResult{.eu_per_ml = 9}));
}

}  // namespace
}  // namespace cpctrack::domain
