#include "domain/cell_count.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace cpctrack::domain {

absl::StatusOr<CellConcentration> ComputeConcentration(const HemocytometerCount& count) {
  if (count.squares_counted < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "squares_counted (%d) must be at least 1", count.squares_counted));
  }
  if (count.unstained < 0 || count.stained < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cell counts (unstained %d, stained %d) must not be negative", count.unstained,
        count.stained));
  }
  if (count.unstained + count.stained == 0) {
    return absl::InvalidArgumentError(
        "no cells counted (unstained + stained = 0): viability is undefined; "
        "count more squares or concentrate the suspension");
  }
  if (!(count.dilution_factor >= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "dilution_factor (%g) must be at least 1 (1 = undiluted)", count.dilution_factor));
  }
  if (!(count.volume_ml >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("volume_ml (%g) must not be negative", count.volume_ml));
  }
  const double squares = count.squares_counted;
  const double per_ml = count.dilution_factor * kCellsPerMlPerCountPerSquare;
  CellConcentration c;
  c.mean_per_square = static_cast<double>(count.unstained + count.stained) / squares;
  c.total_cells_per_ml = c.mean_per_square * per_ml;
  c.viable_cells_per_ml = static_cast<double>(count.unstained) / squares * per_ml;
  c.viability_percent = 100.0 * static_cast<double>(count.unstained) /
                        static_cast<double>(count.unstained + count.stained);
  c.total_cells = c.total_cells_per_ml * count.volume_ml;
  c.viable_cells = c.viable_cells_per_ml * count.volume_ml;
  return c;
}

absl::StatusOr<int64_t> SumSquareCounts(absl::Span<const int64_t> per_square) {
  int64_t sum = 0;
  for (size_t i = 0; i < per_square.size(); ++i) {
    if (per_square[i] < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "count of square %d (%d) must not be negative", i + 1, per_square[i]));
    }
    sum += per_square[i];
  }
  return sum;
}

}  // namespace cpctrack::domain
