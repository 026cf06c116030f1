// Plausibility of one record on its own, and consistency of a whole timeline.
#ifndef CPCTRACK_DOMAIN_RECORD_VALIDATION_H_
#define CPCTRACK_DOMAIN_RECORD_VALIDATION_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/records.h"

namespace cpctrack::domain {

// Viability may differ from viable/total by this much (rounding on counters).
inline constexpr double kViabilityTolerancePercent = 1.0;

// Each field within its plausible range, times not in the future. Fills in a
// passage's viability when it was not given. InvalidArgument names the field.
absl::Status ValidateRecordData(RecordData& data, absl::Time now);

// Counts of a cell suspension: both > 0, viable <= total, and the viability
// (computed when 0) agreeing with them. Field names start with `prefix`.
absl::Status CheckCellCounts(absl::string_view prefix, int64_t total_cells,
                             int64_t viable_cells, double& viability_percent);

// The effective records (BatchHistory::Effective, or a candidate of it) in
// a consistent order: seeding not before receipt, culture steps not before
// seeding, passages strictly after the one before.
absl::Status CheckTimeline(const std::vector<const RecordData*>& effective);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RECORD_VALIDATION_H_
