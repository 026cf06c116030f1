// Hemocytometer arithmetic (DOMAIN.md, Formulas) for a trypan-blue count on a
// Neubauer chamber, where one large square holds 0.1 µL (1 mm² x 0.1 mm):
//   cells/mL    = mean count per large square x dilution factor x 10^4
//   viability % = unstained / (unstained + stained) x 100
// Unstained cells exclude the dye (viable); stained cells took it up (dead).
#ifndef CPCTRACK_DOMAIN_CELL_COUNT_H_
#define CPCTRACK_DOMAIN_CELL_COUNT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace cpctrack::domain {

// One large square is 10^-4 mL: the factor that turns a count per square into cells/mL.
inline constexpr double kCellsPerMlPerCountPerSquare = 1e4;

struct HemocytometerCount {
  int squares_counted = 0;   // large squares, usually 4 (the corner squares)
  int64_t unstained = 0;     // viable cells, summed over the squares
  int64_t stained = 0;       // dead cells, summed over the squares
  double dilution_factor = 1;  // e.g. 2 for cells mixed 1:1 with trypan blue
  double volume_ml = 0;        // of the suspension counted; 0: no totals
};

struct CellConcentration {
  double mean_per_square = 0;         // (unstained + stained) / squares
  double total_cells_per_ml = 0;
  double viable_cells_per_ml = 0;
  double viability_percent = 0;
  double total_cells = 0;   // x volume; 0 when no volume was given
  double viable_cells = 0;  // x volume; 0 when no volume was given
};

// InvalidArgument (naming the field) when squares_counted < 1, a count is
// negative, no cell was counted, the dilution factor is below 1, or the
// volume is negative.
absl::StatusOr<CellConcentration> ComputeConcentration(const HemocytometerCount& count);

// The sum of per-square counts, for a count entered square by square.
// InvalidArgument when a count is negative.
absl::StatusOr<int64_t> SumSquareCounts(absl::Span<const int64_t> per_square);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_CELL_COUNT_H_
