// When will a growing culture reach a number of viable cells? (DOMAIN.md,
// Projection.) Cells are taken to grow exponentially at the batch's recent
// doubling time; the plateau at confluence is ignored, which is why cells are
// split before it. Used by cpc-lab now and by the server's readiness later.
#ifndef CPCTRACK_DOMAIN_PROJECTION_H_
#define CPCTRACK_DOMAIN_PROJECTION_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/growth.h"

namespace cpctrack::domain {

// The growth a projection is based on: which passages, and their doubling time.
struct DoublingTimeBasis {
  std::vector<int> passage_numbers;  // oldest first
  absl::Duration growth_time;        // summed seeding-to-harvest times
  double population_doublings = 0;   // summed PD
  // growth_time / population_doublings: the doubling time of the passages'
  // combined growth, so a short passage weighs less than a long one.
  absl::Duration doubling_time;
};

// From the latest `recent_passages` passages in which the cells grew
// (harvested > seeded); passages without growth are skipped, not averaged in.
// FailedPrecondition ("not enough data") when no passage grew;
// InvalidArgument when recent_passages < 1.
absl::StatusOr<DoublingTimeBasis> EstimateDoublingTime(const GrowthSummary& growth,
                                                       int recent_passages);

// The time at which `current_viable` cells counted at `at` reach `target`,
// growing exponentially: at + doubling_time x log2(target / current_viable).
// `at` itself when current_viable >= target. InvalidArgument when a count is
// below 1 or doubling_time is not positive; OutOfRange when the answer is
// beyond any plausible culture (more than 10 years away).
absl::StatusOr<absl::Time> ProjectTimeToReach(int64_t current_viable, absl::Time at,
                                              absl::Duration doubling_time, int64_t target);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PROJECTION_H_
