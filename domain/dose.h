// Dose arithmetic (DOMAIN.md, Formulas): a dose is fixed (e.g. 1 x 10^8
// cells) or per kg of body weight (e.g. 2 x 10^6 cells/kg); a plan gives it
// for each of a number of infusions. Cryovials lose cells on thawing, so the
// vials needed are counted on the viable cells expected after thaw.
#ifndef CPCTRACK_DOMAIN_DOSE_H_
#define CPCTRACK_DOMAIN_DOSE_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"

namespace cpctrack::domain {

struct DosePlan {
  // Exactly one of the two.
  std::optional<double> fixed_cells;   // viable cells per infusion
  std::optional<double> cells_per_kg;  // viable cells per kg per infusion
  double body_weight_kg = 0;           // REQUIRED with cells_per_kg
  int infusions = 1;
};

struct DoseNeed {
  int64_t cells_per_infusion = 0;  // rounded up to a whole cell
  int infusions = 0;
  int64_t total_cells = 0;         // cells_per_infusion x infusions
};

// InvalidArgument naming the field when the plan is incomplete or
// implausible (both or neither dose kind, weight outside 1-300 kg for a
// per-kg dose, infusions outside 1-100, dose not above 0 or above kMaxCells).
absl::StatusOr<DoseNeed> CellsNeeded(const DosePlan& plan);

// Whether a batch holding `viable_cells` covers the plan (DOMAIN.md: a batch
// is enough when released viable cells >= dose x planned infusions).
bool BatchCoversPlan(int64_t viable_cells, const DoseNeed& need);

struct VialNeed {
  int64_t viable_cells_per_vial = 0;  // after thaw, to the nearest cell
  int vials_per_infusion = 0;         // a thawed vial is never kept for the next infusion
  int total_vials = 0;
};

// Vials to thaw for each infusion, ceil(dose / viable cells per vial), and in
// all. InvalidArgument when cells_per_vial < 1, the viability is outside
// (0, 100], or so few cells survive that a vial holds none.
absl::StatusOr<VialNeed> VialsNeeded(const DoseNeed& need, int64_t cells_per_vial,
                                     double post_thaw_viability_percent);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_DOSE_H_
