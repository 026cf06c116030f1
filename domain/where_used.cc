#include "domain/where_used.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace cpctrack::domain {

absl::string_view UseKindName(UseKind kind) {
  switch (kind) {
    case UseKind::kRecord: return "record";
    case UseKind::kQcResult: return "qc result";
    case UseKind::kUnit: return "unit";
    case UseKind::kIncubation: return "incubation";
    case UseKind::kInfusion: return "infusion";
    case UseKind::kAction: return "action";
  }
  return "use";
}

std::vector<IncubatorStay> IncubatorStays(const BatchHistory& history, absl::Time culture_end) {
  std::vector<IncubatorStay> stays;
  for (const BatchRecord* r : history.Effective()) {
    const absl::Time at = EventTime(r->data);
    // Whatever was in an incubator comes out at the next passage.
    if (std::holds_alternative<Passage>(r->data) && !stays.empty() &&
        stays.back().until == absl::InfiniteFuture()) {
      stays.back().until = at;
    }
    IncubatorStay stay;
    stay.record_id = r->record_id;
    stay.from = at;
    stay.until = absl::InfiniteFuture();
    if (const auto* s = std::get_if<Seeding>(&r->data)) {
      stay.incubator_id = s->incubator_id;
      stay.started_by = "P0 seeding";
    } else if (const auto* p = std::get_if<Passage>(&r->data); p && !p->final_harvest) {
      stay.incubator_id = p->incubator_id;
      stay.started_by = absl::StrCat("passage ", p->passage_number);
    } else {
      continue;
    }
    stays.push_back(std::move(stay));
  }
  for (IncubatorStay& stay : stays) {
    if (stay.until == absl::InfiniteFuture()) stay.until = std::max(stay.from, culture_end);
  }
  return stays;
}

bool InWindow(absl::Time from, absl::Time until, absl::Time window_from, absl::Time window_to) {
  const absl::Time end = until == absl::InfinitePast() ? from : until;
  return from <= window_to && end >= window_from;
}

void SortUses(std::vector<Use>& uses) {
  std::stable_sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) {
    return std::tie(b.at, a.batch_id, a.resource) < std::tie(a.at, b.batch_id, b.resource);
  });
}

}  // namespace cpctrack::domain
