#include "domain/storage.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/text.h"

namespace cpctrack::domain {

absl::string_view TemperatureClassName(TemperatureClass t) {
  switch (t) {
    case TemperatureClass::kLn2Vapour: return "LN2_VAPOUR";
    case TemperatureClass::kLn2Liquid: return "LN2_LIQUID";
    case TemperatureClass::kUltraLow: return "ULTRA_LOW";
    case TemperatureClass::kRefrigerated: return "REFRIGERATED";
    case TemperatureClass::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

bool IsCryogenic(TemperatureClass t) {
  return t == TemperatureClass::kLn2Vapour || t == TemperatureClass::kLn2Liquid;
}

std::string Position::Label() const {
  return absl::StrCat(box_id, "/", std::string(1, static_cast<char>('A' + row - 1)), column);
}

absl::Status ValidateStorageName(absl::string_view field, absl::string_view name) {
  if (name.empty() || name.size() > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be 1 to 32 characters, got ", name.size()));
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " \"", name, "\" may contain only letters, digits, '-', '_' and '.'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTank(const Tank& tank) {
  if (absl::Status s = ValidateStorageName("tank_id", tank.tank_id); !s.ok()) return s;
  if (tank.temperature_class == TemperatureClass::kUnspecified ||
      TemperatureClassName(tank.temperature_class) == "UNSPECIFIED") {
    return absl::InvalidArgumentError(
        "temperature_class is required: LN2_VAPOUR, LN2_LIQUID, ULTRA_LOW or REFRIGERATED");
  }
  if (tank.name.size() > 200) {
    return absl::InvalidArgumentError("name must be at most 200 characters");
  }
  return ValidateText("name", tank.name);
}

absl::Status ValidateBox(const Box& box) {
  if (absl::Status s = ValidateStorageName("tank_id", box.tank_id); !s.ok()) return s;
  if (absl::Status s = ValidateStorageName("rack", box.rack); !s.ok()) return s;
  if (absl::Status s = ValidateStorageName("box", box.name); !s.ok()) return s;
  for (auto [field, value] : {std::pair{"rows", box.rows}, std::pair{"columns", box.columns}}) {
    if (value < 1 || value > kMaxBoxSide) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " must be 1 to ", kMaxBoxSide, ", got ", value));
    }
  }
  return absl::OkStatus();
}

std::string BoxId(absl::string_view tank_id, absl::string_view rack, absl::string_view box) {
  return absl::StrCat(tank_id, "/", rack, "/", box);
}

absl::StatusOr<Position> ParsePosition(absl::string_view field, absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " \"", text, "\" ", why, "; write TANK/RACK/BOX/POSITION, e.g. LN2-A/R1/B1/C4"));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(absl::StripAsciiWhitespace(text), '/');
  if (parts.size() != 4) return bad("is not a storage position");
  for (size_t i = 0; i < 3; ++i) {
    if (!ValidateStorageName(field, parts[i]).ok()) return bad("has an invalid tank, rack or box");
  }
  absl::string_view cell = parts[3];
  if (cell.size() < 2 || !absl::ascii_isalpha(static_cast<unsigned char>(cell[0]))) {
    return bad("needs a position like C4 (row letter, column number)");
  }
  int column = 0;
  if (!absl::SimpleAtoi(cell.substr(1), &column) || column < 1 || column > kMaxBoxSide ||
      !absl::ascii_isdigit(static_cast<unsigned char>(cell[1]))) {
    return bad("needs a position like C4 (row letter, column number)");
  }
  Position p;
  p.box_id = BoxId(parts[0], parts[1], parts[2]);
  p.row = absl::ascii_toupper(static_cast<unsigned char>(cell[0])) - 'A' + 1;
  p.column = column;
  return p;
}

absl::Status CheckInBox(absl::string_view field, const Position& position, const Box& box) {
  if (position.row < 1 || position.column < 1 || position.row > box.rows ||
      position.column > box.columns) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " ", position.Label(), " is outside box ", box.box_id, " (", box.rows,
        " rows A-", std::string(1, static_cast<char>('A' + box.rows - 1)), " x ", box.columns,
        " columns)"));
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
