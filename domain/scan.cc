#include "domain/scan.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/isbt_barcode.h"
#include "domain/patient.h"
#include "domain/status_macros.h"
#include "domain/units.h"

namespace cpctrack::domain {
namespace {

// A label's compound message is 7 + 16 + 10 + 12 = 45 characters; anything
// much longer is not a cpctrack scan, and errors quote at most this much.
constexpr size_t kMaxScanLength = 120;
constexpr size_t kQuoted = 48;

std::string Quoted(absl::string_view text) {
  std::string out;
  for (char c : text.substr(0, kQuoted)) {
    // Control characters (a scanner's Tab, GS) are shown, not printed raw.
    if (c < 0x20 || c > 0x7e) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  if (text.size() > kQuoted) out += "...";
  return absl::StrCat("\"", out, "\"");
}

absl::Status Refuse(absl::string_view field, absl::string_view text, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, " ", Quoted(text), ": ", rule));
}

// A scan as read so far: the DIN may come after the other structures.
struct Parts {
  std::optional<Din> din;
  std::optional<int> unit_sequence;
  std::string product_description_code;
  char collection_type = 0;
  std::optional<absl::CivilMinute> expires;
};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsDinFirstCharacter(char c) {
  return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'N') || (c >= 'P' && c <= 'Z');
}

// Data Structure 003's content αooootds (ST-001 §2.4.3) into `scan`.
absl::Status ReadProductCode(absl::string_view data, Parts& scan) {
  const absl::string_view pdc = data.substr(0, 5);
  RETURN_IF_ERROR(ValidateProductDescriptionCode(pdc));
  const char t = data[5], d = data[6], s = data[7];
  if (!absl::ascii_isalnum(static_cast<unsigned char>(t))) {
    return absl::InvalidArgumentError(
        absl::StrCat("product code: collection type '", std::string(1, t), "' is not a letter or digit"));
  }
  if (d == '0' && s == '0') {
    return absl::InvalidArgumentError(
        "product code: division 00 (undivided) does not name one of the batch's units");
  }
  if (d < 'A' || d > 'Z' || s != '0') {
    return absl::InvalidArgumentError(absl::StrCat(
        "product code: division \"", std::string(1, d), std::string(1, s),
        "\" is not one a cpctrack label carries (A0-Z0: units 1-26)"));
  }
  scan.product_description_code = std::string(pdc);
  scan.collection_type = t;
  scan.unit_sequence = d - 'A' + 1;
  return absl::OkStatus();
}

// Data Structure 005's content cyyjjjhhmm (ST-001 §2.4.5).
absl::StatusOr<absl::CivilMinute> ReadExpiry(absl::string_view data) {
  if (!AllDigits(data)) return absl::InvalidArgumentError("expiry: must be 10 digits");
  int c = 0, yy = 0, jjj = 0, hh = 0, mm = 0;
  (void)absl::SimpleAtoi(data.substr(0, 1), &c);
  (void)absl::SimpleAtoi(data.substr(1, 2), &yy);
  (void)absl::SimpleAtoi(data.substr(3, 3), &jjj);
  (void)absl::SimpleAtoi(data.substr(6, 2), &hh);
  (void)absl::SimpleAtoi(data.substr(8, 2), &mm);
  const int year = 2000 + 100 * c + yy;
  const int days = absl::GetYearDay(absl::CivilDay(year, 12, 31));
  if (jjj < 1 || jjj > days || hh > 23 || mm > 59) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "expiry: day %03d of %d at %02d:%02d is not a date and time", jjj, year, hh, mm));
  }
  const absl::CivilDay day = absl::CivilDay(year, 1, 1) + (jjj - 1);
  return absl::CivilMinute(day.year(), day.month(), day.day(), hh, mm);
}

// One data structure at the start of `rest`; advances `rest` past it.
// Returns its name for the duplicate check.
absl::StatusOr<absl::string_view> ReadStructure(absl::string_view& rest, Parts& scan) {
  struct Layout {
    absl::string_view identifier;
    size_t length;  // with the identifier
    absl::string_view name;
  };
  if (rest.size() >= 2 && rest[0] == '=' && IsDinFirstCharacter(rest[1])) {
    if (rest.size() < 16) return absl::InvalidArgumentError("DIN: cut short (16 characters)");
    ASSIGN_OR_RETURN(scan.din, ParseDinBarcodeData(rest.substr(0, 16)));
    rest.remove_prefix(16);
    return absl::string_view("DIN");
  }
  static constexpr Layout kLayouts[] = {{"=<", 10, "product code"},
                                        {"&>", 12, "expiry"}};
  for (const Layout& layout : kLayouts) {
    if (!absl::StartsWith(rest, layout.identifier)) continue;
    if (rest.size() < layout.length) {
      return absl::InvalidArgumentError(
          absl::StrCat(layout.name, ": cut short (", layout.length, " characters)"));
    }
    const absl::string_view data = rest.substr(2, layout.length - 2);
    if (layout.identifier == "=<") {
      RETURN_IF_ERROR(ReadProductCode(data, scan));
    } else {
      ASSIGN_OR_RETURN(scan.expires, ReadExpiry(data));
    }
    rest.remove_prefix(layout.length);
    return layout.name;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "data identifier ", Quoted(rest.substr(0, 2)),
      " is not one a cpctrack unit label carries (=+ compound message, = DIN, =< product "
      "code, &> expiry)"));
}

bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x1d; }

absl::StatusOr<Scan> ParseStructures(absl::string_view text) {
  Parts scan;
  absl::string_view rest = text;
  std::optional<int> declared;  // the compound message's count
  if (absl::StartsWith(rest, "=+")) {
    if (rest.size() < 7 || !AllDigits(rest.substr(2, 5))) {
      return absl::InvalidArgumentError("compound message: \"=+\" must be followed by 5 digits");
    }
    if (rest.substr(4, 3) != "000") {
      return absl::InvalidArgumentError(absl::StrCat(
          "compound message type ", rest.substr(4, 3),
          " is an ICCBBA-specified sequence; cpctrack labels use 000 (undefined sequence)"));
    }
    int count = 0;
    (void)absl::SimpleAtoi(rest.substr(2, 2), &count);
    declared = count;
    rest.remove_prefix(7);
  }
  std::vector<absl::string_view> seen;
  bool separated = false;
  while (true) {
    while (!rest.empty() && IsSeparator(rest.front())) {
      rest.remove_prefix(1);
      separated = true;
    }
    if (rest.empty()) break;
    // A compound message is one symbol: nothing may separate its parts.
    if (declared.has_value() && separated) {
      return absl::InvalidArgumentError("compound message: characters between its structures");
    }
    ASSIGN_OR_RETURN(absl::string_view name, ReadStructure(rest, scan));
    for (absl::string_view before : seen) {
      if (before == name) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": scanned twice"));
      }
    }
    seen.push_back(name);
  }
  if (declared.has_value() && *declared != static_cast<int>(seen.size())) {
    return absl::InvalidArgumentError(absl::StrCat("compound message: declares ", *declared,
                                                   " data structures but holds ", seen.size()));
  }
  if (!scan.din.has_value()) {
    return absl::InvalidArgumentError(
        "no DIN (data structure 001): scan the label's DataMatrix, or its DIN and product code");
  }
  return Scan{.din = *scan.din,
              .unit_sequence = scan.unit_sequence,
              .product_description_code = std::move(scan.product_description_code),
              .collection_type = scan.collection_type,
              .expires = scan.expires,
              .from_barcode = true};
}

}  // namespace

absl::StatusOr<Scan> ParseScan(absl::string_view field, absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (trimmed.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required: scan the label (or type the ID as printed)"));
  }
  if (trimmed.size() > kMaxScanLength) {
    return Refuse(field, trimmed,
                  absl::StrCat(trimmed.size(), " characters is longer than any label's scan"));
  }
  if (trimmed[0] == '=' || trimmed[0] == '&') {
    absl::StatusOr<Scan> scan = ParseStructures(trimmed);
    if (!scan.ok()) return Refuse(field, trimmed, scan.status().message());
    return scan;
  }
  // Typed: a DIN as printed ("G1234 17 654321 A"), or a unit ID ("...-03").
  for (char c : trimmed) {
    if (c < 0x20 || c > 0x7e) return Refuse(field, trimmed, "control characters in a typed ID");
  }
  if (absl::StatusOr<Din> din = Din::Parse(trimmed); din.ok()) {
    Scan scan{.din = *din};
    return scan;
  } else if (trimmed.find('-') == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", din.status().message()));
  }
  ASSIGN_OR_RETURN(auto unit, ParseUnitId(field, trimmed));
  Scan scan{.din = unit.first, .unit_sequence = unit.second};
  return scan;
}

absl::StatusOr<std::string> ScannedUnitId(absl::string_view field, absl::string_view text) {
  ASSIGN_OR_RETURN(Scan scan, ParseScan(field, text));
  if (!scan.unit_sequence.has_value()) {
    return Refuse(field, absl::StripAsciiWhitespace(text),
                  absl::StrCat("names batch ", scan.din.compact(),
                               " but not which of its units: scan the unit label's DataMatrix "
                               "(or its DIN and product code), or type the unit ID"));
  }
  return UnitId(scan.din, *scan.unit_sequence);
}

absl::StatusOr<Din> ScannedBatchId(absl::string_view field, absl::string_view text) {
  ASSIGN_OR_RETURN(Scan scan, ParseScan(field, text));
  return scan.din;
}

absl::StatusOr<std::string> ScannedPatientId(absl::string_view field, absl::string_view text) {
  absl::string_view id = absl::StripAsciiWhitespace(text);
  if (absl::StartsWith(id, "&#")) {
    int length = -1;
    if (id.size() < 6 || !AllDigits(id.substr(2, 4)) ||
        !absl::SimpleAtoi(id.substr(4, 2), &length) ||
        id.size() != 6 + static_cast<size_t>(length)) {
      return Refuse(field, id,
                    "not an ISBT 128 patient identification number (&# + location 2 digits + "
                    "length 2 digits + that many letters or digits)");
    }
    id = id.substr(6);
    for (char c : id) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
        return Refuse(field, text, "a patient identification number has letters and digits only");
      }
    }
  }
  RETURN_IF_ERROR(ValidateIdentifier(field, id));
  return std::string(id);
}

}  // namespace cpctrack::domain
