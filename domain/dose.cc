#include "domain/dose.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

constexpr int kMaxInfusions = 100;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

absl::StatusOr<DoseNeed> CellsNeeded(const DosePlan& plan) {
  if (plan.fixed_cells.has_value() == plan.cells_per_kg.has_value()) {
    return absl::InvalidArgumentError(
        "dose: give either a fixed dose (cells) or a per-kg dose (cells/kg), not both or neither");
  }
  RETURN_IF_ERROR(CheckRange("infusions", plan.infusions, 1, kMaxInfusions));
  double cells = 0;
  if (plan.fixed_cells.has_value()) {
    cells = *plan.fixed_cells;
  } else {
    RETURN_IF_ERROR(CheckRange("body_weight_kg", plan.body_weight_kg, 1, 300));
    if (!(*plan.cells_per_kg > 0)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("cells_per_kg (%g) must be more than 0", *plan.cells_per_kg));
    }
    cells = *plan.cells_per_kg * plan.body_weight_kg;
  }
  if (!(cells > 0) || cells > static_cast<double>(kMaxCells)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "dose (%g cells) must be more than 0 and at most %g", cells,
        static_cast<double>(kMaxCells)));
  }
  DoseNeed need;
  // 1e-6 absorbs binary noise (2e6 x 61.5 must be 123000000, not 123000001).
  need.cells_per_infusion = static_cast<int64_t>(std::ceil(cells - 1e-6));
  need.infusions = plan.infusions;
  need.total_cells = need.cells_per_infusion * plan.infusions;
  return need;
}

bool BatchCoversPlan(int64_t viable_cells, const DoseNeed& need) {
  return viable_cells >= need.total_cells;
}

absl::StatusOr<VialNeed> VialsNeeded(const DoseNeed& need, int64_t cells_per_vial,
                                     double post_thaw_viability_percent) {
  RETURN_IF_ERROR(CheckCount("cells_per_vial", cells_per_vial));
  if (!(post_thaw_viability_percent > 0 && post_thaw_viability_percent <= 100)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "post_thaw_viability_percent (%g) must be more than 0 and at most 100",
        post_thaw_viability_percent));
  }
  VialNeed v;
  v.viable_cells_per_vial = std::llround(static_cast<double>(cells_per_vial) *
                                         post_thaw_viability_percent / 100.0);
  if (v.viable_cells_per_vial < 1) {
    return absl::InvalidArgumentError("a vial holds no viable cell after thaw");
  }
  v.vials_per_infusion =
      static_cast<int>(CeilDiv(need.cells_per_infusion, v.viable_cells_per_vial));
  v.total_vials = v.vials_per_infusion * need.infusions;
  return v;
}

}  // namespace cpctrack::domain
