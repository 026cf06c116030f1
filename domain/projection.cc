#include "domain/projection.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace cpctrack::domain {

absl::StatusOr<DoublingTimeBasis> EstimateDoublingTime(const GrowthSummary& growth,
                                                       int recent_passages) {
  if (recent_passages < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("recent_passages (%d) must be at least 1", recent_passages));
  }
  DoublingTimeBasis basis;
  for (auto it = growth.passages.rbegin();
       it != growth.passages.rend() &&
       static_cast<int>(basis.passage_numbers.size()) < recent_passages;
       ++it) {
    if (!it->doubling_time.has_value()) continue;
    basis.passage_numbers.push_back(it->passage_number);
    basis.growth_time += it->harvest_time - it->seeding_time;
    basis.population_doublings += it->population_doublings;
  }
  if (basis.passage_numbers.empty()) {
    return absl::FailedPreconditionError(
        "not enough data: no passage in which the cells grew (harvested > seeded)");
  }
  std::reverse(basis.passage_numbers.begin(), basis.passage_numbers.end());
  basis.doubling_time = basis.growth_time / basis.population_doublings;
  return basis;
}

absl::StatusOr<absl::Time> ProjectTimeToReach(int64_t current_viable, absl::Time at,
                                              absl::Duration doubling_time, int64_t target) {
  if (current_viable < 1 || target < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "current_viable (%d) and target (%d) must be at least 1 cell", current_viable,
        target));
  }
  if (doubling_time <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "doubling_time (%s) must be positive", absl::FormatDuration(doubling_time)));
  }
  if (current_viable >= target) return at;
  const double doublings =
      std::log2(static_cast<double>(target) / static_cast<double>(current_viable));
  const absl::Duration wait = doubling_time * doublings;
  if (wait > absl::Hours(24 * 365 * 10)) {
    return absl::OutOfRangeError(absl::StrFormat(
        "%.1f doublings at %s each is more than 10 years: the culture will not get there",
        doublings, absl::FormatDuration(doubling_time)));
  }
  return at + wait;
}

}  // namespace cpctrack::domain
