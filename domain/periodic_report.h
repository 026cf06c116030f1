// The periodic report a clinic files for one treatment plan (Japan: the
// yearly report under the Act on the Safety of Regenerative Medicine): what
// happened to the plan's batches and patients in a period. The rule of what
// counts, and on which day, lives here; the store only loads the facts.
#ifndef CPCTRACK_DOMAIN_PERIODIC_REPORT_H_
#define CPCTRACK_DOMAIN_PERIODIC_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/qc.h"
#include "domain/readiness.h"
#include "domain/release_steps.h"

namespace cpctrack::domain {

// A change of a batch's state as stored (QC, deviations, freezing, release,
// disposal).
struct BatchStateChange {
  BatchState from = BatchState::kRegistered;
  BatchState to = BatchState::kRegistered;
  absl::Time at = absl::InfinitePast();
};

// One batch of the plan with everything the report counts.
struct PeriodicBatchFacts {
  Batch batch;
  std::vector<BatchStateChange> state_changes;
  std::vector<Release> releases;
  std::vector<Deviation> deviations;
  std::vector<QcTest> tests;
  std::vector<Infusion> infusions;
};

struct PositiveQcResult {
  std::string batch_id;  // compact
  int64_t test_id = 0;
  QcTestType type = QcTestType::kUnspecified;
  absl::Time read_at = absl::InfinitePast();
  std::string finding;  // "POSITIVE: S. aureus", "ORGANISMS_SEEN: gram-positive cocci"
};

struct AdverseEventRecord {
  std::string batch_id;
  std::string patient_id;
  std::string unit_id;
  absl::Time infusion_started_at = absl::InfinitePast();
  std::string text;
};

struct PeriodicReport {
  std::string plan_number;
  absl::CivilDay from, to;  // inclusive, facility dates
  int batches_made = 0;      // registered in the period
  int batches_released = 0;  // a release signed in the period
  int batches_rejected = 0;  // became REJECTED in the period
  int batches_disposed = 0;  // became DISPOSED in the period
  std::map<DeviationKind, int> deviations_by_kind;  // opened in the period
  std::vector<PositiveQcResult> positive_results;   // read in the period
  int patients_treated = 0;  // distinct patients with an infusion started in the period
  int infusions_given = 0;   // infusions started in the period
  std::vector<AdverseEventRecord> adverse_events;  // recorded with those infusions
};

// Counts `batches` (the plan's) for the facility days from..to inclusive in
// `zone`. A batch counts once per kind of event however often it happened
// (a batch released, revoked and released again is one released batch).
// InvalidArgument naming the field when `to` is before `from` or the plan
// number is empty.
absl::StatusOr<PeriodicReport> CountPeriodicReport(absl::string_view plan_number,
                                                   absl::CivilDay from, absl::CivilDay to,
                                                   absl::TimeZone zone,
                                                   const std::vector<PeriodicBatchFacts>& batches);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PERIODIC_REPORT_H_
