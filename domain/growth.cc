#include "domain/growth.h"

#include <algorithm>
#include <cmath>

namespace cpctrack::domain {

double PopulationDoublings(int64_t cells_seeded, int64_t cells_harvested) {
  return std::log2(static_cast<double>(cells_harvested) / static_cast<double>(cells_seeded));
}

std::optional<absl::Duration> DoublingTime(absl::Duration elapsed, int64_t cells_seeded,
                                           int64_t cells_harvested) {
  if (cells_harvested <= cells_seeded || elapsed <= absl::ZeroDuration()) {
    return std::nullopt;
  }
  const double ratio =
      static_cast<double>(cells_harvested) / static_cast<double>(cells_seeded);
  return elapsed * (std::log(2.0) / std::log(ratio));
}

GrowthSummary SummarizeGrowth(const std::vector<const RecordData*>& effective) {
  GrowthSummary summary;
  const Seeding* seeding = nullptr;
  std::vector<const Passage*> passages;
  for (const RecordData* d : effective) {
    if (const auto* s = std::get_if<Seeding>(d)) seeding = s;
    if (const auto* p = std::get_if<Passage>(d)) passages.push_back(p);
  }
  if (seeding == nullptr) return summary;
  std::sort(passages.begin(), passages.end(), [](const Passage* a, const Passage* b) {
    return a->passage_number < b->passage_number;
  });

  summary.current_passage = 0;
  summary.current_viable_cells = seeding->cells_seeded;
  summary.cells_in_culture = seeding->cells_seeded;
  absl::Time seeded_at = seeding->seeding_time;
  int64_t seeded = seeding->cells_seeded;
  for (const Passage* p : passages) {
    PassageGrowth g;
    g.passage_number = p->passage_number;
    g.seeding_time = seeded_at;
    g.harvest_time = p->passage_time;
    g.cells_seeded = seeded;
    g.viable_cells_harvested = p->viable_cells;
    g.population_doublings = PopulationDoublings(seeded, p->viable_cells);
    g.doubling_time = DoublingTime(p->passage_time - seeded_at, seeded, p->viable_cells);
    summary.cumulative_population_doublings += g.population_doublings;
    summary.passages.push_back(g);

    summary.current_passage = p->passage_number;
    summary.current_viable_cells = p->viable_cells;
    summary.cells_in_culture = p->cells_reseeded;
    seeded_at = p->passage_time;
    seeded = p->cells_reseeded;
    if (p->final_harvest) summary.culture_ended_at = p->passage_time;
  }
  return summary;
}

}  // namespace cpctrack::domain
