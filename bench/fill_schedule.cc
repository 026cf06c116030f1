#include "bench/fill_schedule.h"

#include <algorithm>
#include <random>
#include <tuple>

namespace cpctrack::bench {
namespace {

absl::Duration Days(double d) { return absl::Hours(24 * d); }

// A culture of 14 days: passages on days 4, 8 and 12, final harvest and
// freezing on day 14; sterility takes 14 days more, so release comes on day
// 29 and the plan's infusions on days 30 and 37.
constexpr int kCultureDays = 14;
constexpr int kMediumChangeDays[] = {2, 6, 10};
constexpr int kPassages = 3;
constexpr int kInfusionDays[] = {30, 37};

const absl::Duration kInProcessDraw = Days(8) + absl::Hours(12);
const absl::Duration kFinalDraw = Days(kCultureDays) + absl::Hours(8);
const absl::Duration kReviewDelay = absl::Hours(20);
const absl::Duration kInvalidateDelay = absl::Hours(4);

absl::Duration Turnaround(int slot) {
  switch (slot) {
    case kInProcessSterility:
    case kFinalSterility: return Days(14);
    case kInProcessMycoplasma:
    case kFinalMycoplasma: return Days(1);
    case kFinalFlow: return Days(2);
    case kFinalViability: return absl::Hours(1);
    default: return absl::Hours(2);  // endotoxin (and its retest), Gram stain
  }
}

}  // namespace

absl::CivilDay InfusionDay(const BatchTraits& batch, int which) {
  return absl::ToCivilDay(batch.created + Days(kInfusionDays[which]), absl::UTCTimeZone());
}

absl::Time TestStart(const BatchTraits& batch, int slot) {
  if (slot == kEndotoxinRetest) {
    return ResultTime(batch, kFinalEndotoxin) + kInvalidateDelay + absl::Minutes(30);
  }
  const absl::Duration draw = slot <= kInProcessMycoplasma ? kInProcessDraw : kFinalDraw;
  return batch.created + draw + absl::Minutes(30);
}

absl::Time ResultTime(const BatchTraits& batch, int slot) {
  return TestStart(batch, slot) + Turnaround(slot);
}

Schedule MakeSchedule(const FillOptions& options) {
  Schedule schedule;
  std::uniform_real_distribution<double> chance(0, 1);
  const int n = options.batches;
  schedule.batches.reserve(n);
  for (int i = 0; i < n; ++i) {
    BatchTraits b;
    b.key = options.seed * 1'000'003 + static_cast<uint64_t>(n - 1 - i);
    std::mt19937_64 rng(b.key);
    // Evenly spaced, the newest started half a spacing ago.
    b.created = options.now - Days((n - i - 0.5) / options.batches_per_day);
    b.created = absl::FromUnixSeconds(absl::ToUnixSeconds(b.created));
    b.new_patient = i == 0 || chance(rng) < kNewPatientChance;
    b.has_plan = chance(rng) < kPlanChance;
    b.late_processing = chance(rng) < options.trouble * kLateProcessingChance;
    b.positive_sterility = chance(rng) < options.trouble * kPositiveSterilityChance;
    b.invalidated_endotoxin = chance(rng) < options.trouble * kInvalidatedTestChance;
    b.corrected_observation = chance(rng) < options.trouble * kCorrectionChance;
    schedule.batches.push_back(b);
  }

  std::vector<Event>& events = schedule.events;
  for (int i = 0; i < n; ++i) {
    const BatchTraits& b = schedule.batches[i];
    auto add = [&](absl::Time at, EventKind kind, int arg = 0) {
      if (at <= options.now) {
        events.push_back({absl::ToUnixMicros(at), i, kind, static_cast<uint8_t>(arg)});
      }
    };
    const absl::Time t0 = b.created;
    add(t0, EventKind::kRegister);
    add(t0 + absl::Hours(1), EventKind::kReceive);
    add(t0 + absl::Hours(4), EventKind::kSeed);
    if (b.late_processing) add(t0 + Days(2) + absl::Hours(3), EventKind::kCloseLateDeviation);
    if (b.has_plan) add(t0 + Days(1) + absl::Hours(2), EventKind::kPlan);
    for (int day = 1; day < kCultureDays; ++day) {
      add(t0 + Days(day) + absl::Hours(9), EventKind::kObserve, day);
    }
    for (int day : kMediumChangeDays) add(t0 + Days(day) + absl::Hours(14), EventKind::kMediumChange, day);
    for (int p = 1; p <= kPassages; ++p) add(t0 + Days(4 * p) + absl::Hours(11), EventKind::kPassage, p);
    if (b.corrected_observation) add(t0 + Days(6) + absl::Hours(15), EventKind::kCorrect);
    add(t0 + kInProcessDraw, EventKind::kDrawInProcess);
    add(t0 + kFinalDraw, EventKind::kDrawFinal);
    add(t0 + Days(kCultureDays) + absl::Hours(10), EventKind::kFreeze);
    for (int slot = 0; slot < kTestSlots; ++slot) {
      if (slot == kEndotoxinRetest && !b.invalidated_endotoxin) continue;
      const absl::Time result = ResultTime(b, slot);
      add(result, EventKind::kResult, slot);
      const bool invalidated = slot == kFinalEndotoxin && b.invalidated_endotoxin;
      const bool positive = slot == kFinalSterility && b.positive_sterility;
      if (invalidated) add(result + kInvalidateDelay, EventKind::kInvalidate);
      if (!invalidated && !positive) add(result + kReviewDelay, EventKind::kReview, slot);
      if (positive) {
        add(result + Days(3), EventKind::kReject);
        add(result + Days(4), EventKind::kDispose);
      }
    }
    // QA releases a batch for a treatment plan only (the release rules ask
    // for one); a batch without a plan waits in storage, released later.
    if (!b.positive_sterility && b.has_plan) {
      add(t0 + Days(29) + absl::Hours(10), EventKind::kRelease);
      for (int k = 0; k < 2; ++k) {
        add(absl::FromCivil(InfusionDay(b, k), absl::UTCTimeZone()) + absl::Hours(10),
            EventKind::kInfuse, k);
      }
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
    return std::tie(x.at_us, x.batch, x.kind, x.arg) < std::tie(y.at_us, y.batch, y.kind, y.arg);
  });
  return schedule;
}

}  // namespace cpctrack::bench
