#include "client/unit_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr int kMaxRows = 26;  // one letter per row

absl::Status NotAPosition(absl::string_view flag, absl::string_view text) {
  return UsageError(absl::StrCat(flag, ": \"", text,
                                 "\" is not a position; write TANK/RACK/BOX/A1, "
                                 "e.g. LN2-A/R1/B1/C4"));
}

}  // namespace

std::string Position::ToString() const {
  return absl::StrCat(tank, "/", rack, "/", box, "/", std::string(1, 'A' + row - 1), column);
}

absl::StatusOr<Position> ParsePosition(absl::string_view flag, absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, '/');
  if (parts.size() != 4) return NotAPosition(flag, text);
  for (const std::string& part : parts) {
    if (part.empty()) return NotAPosition(flag, text);
  }
  const std::string& cell = parts[3];
  Position position{.tank = parts[0], .rack = parts[1], .box = parts[2]};
  if (cell.size() < 2 || !absl::ascii_isalpha(cell[0]) ||
      !absl::SimpleAtoi(cell.substr(1), &position.column) || position.column < 1 ||
      !absl::ascii_isdigit(cell[1])) {
    return NotAPosition(flag, text);
  }
  position.row = absl::ascii_toupper(cell[0]) - 'A' + 1;
  return position;
}

absl::StatusOr<std::vector<std::string>> ConsecutivePositions(const Position& start, int count,
                                                              int columns, int rows) {
  if (columns < 1) return UsageError("--columns: the box must be at least 1 column wide");
  if (start.column > columns) {
    return UsageError(absl::StrCat("--start: column ", start.column, " is outside a box ",
                                   columns, " columns wide"));
  }
  std::vector<std::string> positions;
  Position next = start;
  for (int i = 0; i < count; ++i) {
    const int last_row = rows > 0 ? rows : kMaxRows;
    if (next.row > last_row) {
      return UsageError(absl::StrCat("--count: ", count, " units from ", start.ToString(),
                                     " do not fit in the box (", positions.size(),
                                     " positions left); give the rest with --position"));
    }
    positions.push_back(next.ToString());
    if (++next.column > columns) {
      next.column = 1;
      ++next.row;
    }
  }
  return positions;
}

std::string UnitKindText(const v1::Unit& unit) {
  std::string kind = ChoiceText(UnitKindChoices(), unit.kind());
  if (unit.has_fresh()) kind = absl::StrCat("fresh ", kind);
  if (unit.volume_ml() > 0) return absl::StrCat(FormatDecimal(unit.volume_ml(), 2), " mL ", kind);
  return kind;
}

std::string UnitStateText(const v1::Unit& unit) {
  if (unit.state() == v1::UNIT_STATE_QUARANTINED) return "!! QUARANTINED";
  return ChoiceText(UnitStateChoices(), unit.state());
}

absl::Time UnitMadeTime(const v1::Unit& unit) {
  return FromProto(unit.has_fresh() ? unit.fresh().formulated_time() : unit.frozen_time());
}

std::optional<absl::Time> UnitExpiry(const v1::Unit& unit) {
  if (unit.has_expire_time()) return FromProto(unit.expire_time());
  if (unit.has_fresh()) return FromProto(unit.fresh().expire_time());
  return std::nullopt;
}

std::string UnitExpiryText(const v1::Unit& unit, absl::TimeZone zone, absl::Time now) {
  const std::optional<absl::Time> expires = UnitExpiry(unit);
  if (!expires.has_value()) return "-";
  return absl::StrCat(FormatLocalTime(*expires, zone), now >= *expires ? " (EXPIRED)" : "");
}

std::string RenderUnits(const google::protobuf::RepeatedPtrField<v1::Unit>& units,
                        const TimeContext& time, size_t indent) {
  Table table(
      {"unit", "batch", "patient", "kind", "cells", "state", "position", "made", "expires"});
  table.AlignRight(4);
  for (const v1::Unit& unit : units) {
    table.AddRow({unit.unit_id(), unit.batch_id(), unit.patient_id(), UnitKindText(unit),
                  FormatCount(unit.cells()), UnitStateText(unit),
                  unit.position().empty() ? "-" : unit.position(),
                  FormatLocalTime(UnitMadeTime(unit), time.zone),
                  UnitExpiryText(unit, time.zone, time.now)});
  }
  return table.Render(indent);
}

std::string BoxMap(const v1::Box& box, size_t indent) {
  const int rows = std::min(box.rows(), kMaxRows);
  const int columns = box.columns();
  std::vector<std::string> grid(rows, std::string(columns, '.'));
  for (const v1::Unit& unit : box.units()) {
    const size_t slash = unit.position().rfind('/');
    absl::StatusOr<Position> position =
        ParsePosition("position", absl::StrCat("t/r/b/", unit.position().substr(slash + 1)));
    if (!position.ok() || position->row > rows || position->column > columns) continue;
    grid[position->row - 1][position->column - 1] =
        unit.state() == v1::UNIT_STATE_QUARANTINED ? 'Q' : 'X';
  }
  // Columns as wide as the widest column number, so the grid stays square.
  const size_t width = absl::StrCat(columns).size();
  const std::string margin(indent, ' ');
  std::string out = absl::StrCat(margin, "  ");
  for (int c = 1; c <= columns; ++c) {
    std::string number = absl::StrCat(c);
    absl::StrAppend(&out, " ", std::string(width - number.size(), ' '), number);
  }
  out += "\n";
  for (int r = 0; r < rows; ++r) {
    absl::StrAppend(&out, margin, std::string(1, 'A' + r), " ");
    for (int c = 0; c < columns; ++c) {
      absl::StrAppend(&out, " ", std::string(width - 1, ' '), std::string(1, grid[r][c]));
    }
    out += "\n";
  }
  return out;
}

}  // namespace cpc
