#ifndef CPCTRACK_CLIENT_VALUES_H_
#define CPCTRACK_CLIENT_VALUES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpc {

// Parsers for flag values typed at the bench. `flag` is the name shown in the
// error ("--viable"); every error is a usage error naming the flag, the text
// and the rule.

// A finite decimal number: "2500000", "2.5e6", "2,500,000", "-4", "91.7".
absl::StatusOr<double> ParseNumber(absl::string_view flag, absl::string_view text);

// A whole, non-negative number of things (cells): as ParseNumber, but
// "2.5" or "-3" are refused. Exact for plain integers beyond 2^53.
absl::StatusOr<int64_t> ParseCount(absl::string_view flag, absl::string_view text);

// As ParseCount, limited to what an int32 field holds (vessel counts, page sizes).
absl::StatusOr<int32_t> ParseSmallCount(absl::string_view flag, absl::string_view text);

// A calendar date "YYYY-MM-DD" that exists; returned unchanged.
absl::StatusOr<std::string> ParseDate(absl::string_view flag, absl::string_view text);

// A batch or a unit named at the bench: typed as printed ("A9999 26 000001 8",
// "A9999260000018-03") or as a scanner types the label (its DataMatrix, or
// its linear symbols in either order: domain/scan.h, the parser the bedside
// uses). Returns the compact ID. A malformed scan, or a DIN whose check
// fails, is a usage error naming `name`: never guessed at. A scan of a unit
// label names that unit's batch where a batch is asked for.
absl::StatusOr<std::string> ScannedBatch(absl::string_view name, absl::string_view text);
// A unit: a scan that names only a batch (its DIN alone) is refused.
absl::StatusOr<std::string> ScannedUnit(absl::string_view name, absl::string_view text);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_VALUES_H_
