#ifndef CPCTRACK_CLIENT_UNIT_FORMAT_H_
#define CPCTRACK_CLIENT_UNIT_FORMAT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cpctrack/v1/storage.pb.h"
#include "client/time_format.h"
#include "cpctrack/v1/units.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cpc {

// A storage position "TANK/RACK/BOX/C4": row letter (A = row 1), column number.
struct Position {
  std::string tank, rack, box;
  int row = 0;     // 1-based
  int column = 0;  // 1-based

  std::string ToString() const;  // "LN2-A/R1/B1/C4"
};

// Reads "TANK/RACK/BOX/C4" (row letter in either case). Usage errors name `flag`.
absl::StatusOr<Position> ParsePosition(absl::string_view flag, absl::string_view text);

// `count` positions from `start`, row by row (A1, A2, ... A9, B1, ...) in a
// box `columns` wide and `rows` high (0: not known, so not checked).
absl::StatusOr<std::vector<std::string>> ConsecutivePositions(const Position& start, int count,
                                                              int columns, int rows);

// The units as a table: unit, batch, patient, kind, cells, state, position,
// made (frozen or formulated) and expires (fresh units), in local time.
std::string RenderUnits(const google::protobuf::RepeatedPtrField<cpctrack::v1::Unit>& units,
                        const TimeContext& time, size_t indent = 0);

// A box's occupancy as a grid, one line per row: '.' free, 'X' a stored
// unit, 'Q' a quarantined one.
//        1 2 3
//     A  X X .
//     B  Q . .
std::string BoxMap(const cpctrack::v1::Box& box, size_t indent = 0);

// "stored", "thawed", ...; "!! QUARANTINED" so that it stands out in a table.
std::string UnitStateText(const cpctrack::v1::Unit& unit);

// "1.5 mL vial", "bag", "50 mL fresh bag".
std::string UnitKindText(const cpctrack::v1::Unit& unit);

// When the unit was made: frozen, or formulated (fresh).
absl::Time UnitMadeTime(const cpctrack::v1::Unit& unit);
// The unit's expiry on record: `expire_time`, or a fresh unit's own (from a
// cpcd that gives only that); nullopt for a unit without one.
std::optional<absl::Time> UnitExpiry(const cpctrack::v1::Unit& unit);

// The unit's expiry in `zone`, "2026-11-27 10:30", and " (EXPIRED)" once
// `now` has reached it; "-" for a unit without one.
std::string UnitExpiryText(const cpctrack::v1::Unit& unit, absl::TimeZone zone,
                           absl::Time now = absl::InfinitePast());

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_UNIT_FORMAT_H_
