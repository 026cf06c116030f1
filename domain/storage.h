// Cryogenic storage: tanks hold racks, racks hold boxes, a box is a grid of
// positions, and one position holds one unit. Positions are written
// "TANK/RACK/BOX/C4" (row letter, column number), as printed on box maps.
#ifndef CPCTRACK_DOMAIN_STORAGE_H_
#define CPCTRACK_DOMAIN_STORAGE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class TemperatureClass {
  kUnspecified = 0,
  kLn2Vapour = 1,    // below -150 °C
  kLn2Liquid = 2,    // -196 °C
  kUltraLow = 3,     // -80 °C
  kRefrigerated = 4, // 2-8 °C
};
absl::string_view TemperatureClassName(TemperatureClass t);
// Cryopreserved cells are kept below -150 °C (DOMAIN.md §8).
bool IsCryogenic(TemperatureClass t);

struct Tank {
  std::string tank_id;  // e.g. "LN2-A"
  std::string name;
  TemperatureClass temperature_class = TemperatureClass::kUnspecified;
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

struct Box {
  std::string box_id;  // "TANK/RACK/BOX"
  std::string tank_id;
  std::string rack;  // the rack's name within its tank, e.g. "R1"
  std::string name;  // the box's name within its rack, e.g. "B1"
  int rows = 0;      // 1..26, lettered A..
  int columns = 0;   // 1..26, numbered from 1
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

inline constexpr int kMaxBoxSide = 26;

struct Position {
  std::string box_id;
  int row = 0;     // 1-based: 1 is "A"
  int column = 0;  // 1-based

  std::string Label() const;  // "LN2-A/R1/B1/C4"
  bool operator==(const Position&) const = default;
};

// A tank ID, rack or box name: 1-32 letters, digits, '-', '_' or '.'.
absl::Status ValidateStorageName(absl::string_view field, absl::string_view name);
absl::Status ValidateTank(const Tank& tank);
absl::Status ValidateBox(const Box& box);
std::string BoxId(absl::string_view tank_id, absl::string_view rack, absl::string_view box);

// Parses "TANK/RACK/BOX/C4"; `field` names it in the error.
absl::StatusOr<Position> ParsePosition(absl::string_view field, absl::string_view text);
// InvalidArgument when the position is outside the box's grid.
absl::Status CheckInBox(absl::string_view field, const Position& position, const Box& box);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_STORAGE_H_
