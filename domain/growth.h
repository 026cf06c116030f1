// Growth math (DOMAIN.md, Formulas), on viable cells:
//   PD = log2(N_harvested / N_seeded); DT = t * ln 2 / ln(N_harvested / N_seeded).
#ifndef CPCTRACK_DOMAIN_GROWTH_H_
#define CPCTRACK_DOMAIN_GROWTH_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "domain/records.h"

namespace cpctrack::domain {

// REQUIRES: both counts > 0.
double PopulationDoublings(int64_t cells_seeded, int64_t cells_harvested);

// nullopt when the cells did not grow (harvested <= seeded) or t <= 0: a
// doubling time is then meaningless. REQUIRES: both counts > 0.
std::optional<absl::Duration> DoublingTime(absl::Duration elapsed, int64_t cells_seeded,
                                           int64_t cells_harvested);

struct PassageGrowth {
  int passage_number = 0;
  absl::Time seeding_time;
  absl::Time harvest_time;
  int64_t cells_seeded = 0;
  int64_t viable_cells_harvested = 0;
  double population_doublings = 0;
  std::optional<absl::Duration> doubling_time;
};

struct GrowthSummary {
  int current_passage = -1;
  std::vector<PassageGrowth> passages;
  double cumulative_population_doublings = 0;
  int64_t current_viable_cells = 0;  // at the latest count
  int64_t cells_in_culture = 0;      // seeded into the vessels now in culture
  // When the final harvest ended the culture; nothing grows after it.
  std::optional<absl::Time> culture_ended_at;
};

// From the effective records (corrections applied), in any order.
GrowthSummary SummarizeGrowth(const std::vector<const RecordData*>& effective);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_GROWTH_H_
