// The history cpc-bench-fill writes: each batch's life as dated events,
// merged into one time order, so that the database grows as a real one does
// (the batches' rows interleaved over the weeks each batch lives), not one
// batch after another.
#ifndef CPCTRACK_BENCH_FILL_SCHEDULE_H_
#define CPCTRACK_BENCH_FILL_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cpctrack::bench {

struct FillOptions {
  int batches = 100;
  // Batches started per day: the newest batches look the same whatever the
  // total, so a small and a big database share their recent weeks (and the
  // board) and differ only in how much history lies behind them.
  double batches_per_day = 2.5;
  absl::Time now;
  uint64_t seed = 1;
  // Multiplies the chances of trouble below (above 1, a sure thing): a check
  // of the fill raises it so that a small history holds every kind.
  double trouble = 1;
};

// The chance of each kind of trouble, and of a treatment plan.
inline constexpr double kNewPatientChance = 0.9;  // else the previous batch's patient again
inline constexpr double kPlanChance = 0.6;
inline constexpr double kLateProcessingChance = 0.04;
inline constexpr double kPositiveSterilityChance = 0.01;
inline constexpr double kInvalidatedTestChance = 0.02;
inline constexpr double kCorrectionChance = 0.03;

// What is decided for a batch when it starts.
struct BatchTraits {
  absl::Time created;
  // Seeds the batch's random choices: counted from the newest batch, so the
  // newest batches of a small and a big database are alike.
  uint64_t key = 0;
  bool new_patient = true;
  bool has_plan = false;
  bool late_processing = false;     // P0 seeding 51 h after collection
  bool positive_sterility = false;  // final-product sterility grows something
  bool invalidated_endotoxin = false;
  bool corrected_observation = false;
};

enum class EventKind : uint8_t {
  kRegister,            // patient (when new) and batch
  kReceive,             // tissue receipt
  kSeed,                // P0 seeding (a late-processing deviation with it)
  kCloseLateDeviation,  // QA: continue
  kPlan,                // treatment plan with two infusions
  kObserve,             // arg: culture day
  kMediumChange,        // arg: culture day
  kPassage,             // arg: passage number
  kCorrect,             // corrects day 5's observation
  kDrawInProcess,       // sample at P2: sterility, mycoplasma
  kDrawFinal,           // final product sample: the six release tests
  kFreeze,              // four vials into storage
  kResult,              // arg: test slot
  kReview,              // arg: test slot
  kInvalidate,          // final endotoxin invalidated and retested
  kReject,              // QA rejects a positive batch
  kDispose,             // the rejected batch and its units
  kRelease,             // QA signs the release
  kInfuse,              // arg: planned infusion (0 or 1)
};

// Test slots: which test of the batch an event is about.
enum TestSlot : uint8_t {
  kInProcessSterility,
  kInProcessMycoplasma,
  kFinalSterility,
  kFinalMycoplasma,
  kFinalEndotoxin,
  kFinalGramStain,
  kFinalFlow,
  kFinalViability,
  kEndotoxinRetest,
  kTestSlots,
};

struct Event {
  int64_t at_us;  // when it is written: the audit entries' time
  int32_t batch;
  EventKind kind;
  uint8_t arg;
};

struct Schedule {
  std::vector<BatchTraits> batches;
  std::vector<Event> events;  // in time order, none after options.now
};

Schedule MakeSchedule(const FillOptions& options);

// The days of a planned batch's two infusions (UTC).
absl::CivilDay InfusionDay(const BatchTraits& batch, int which);
// When test `slot` starts, and when its result is read.
absl::Time TestStart(const BatchTraits& batch, int slot);
absl::Time ResultTime(const BatchTraits& batch, int slot);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_FILL_SCHEDULE_H_
