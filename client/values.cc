#include "client/values.h"

#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "client/status_util.h"
#include "domain/scan.h"

namespace cpc {
namespace {

absl::Status NotANumber(absl::string_view flag, absl::string_view text) {
  return UsageError(absl::StrFormat(
      "%s: \"%s\" is not a number (write e.g. 2500000, 2.5e6 or 2,500,000)",
      flag, text));
}

// Thousands separators are accepted only where they belong ("2,500,000"), so
// that a European decimal comma ("2,5") is refused rather than misread.
bool ValidThousandsGrouping(absl::string_view text) {
  absl::string_view digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    digits.remove_prefix(1);
  }
  size_t dot = digits.find('.');
  absl::string_view integer = digits.substr(0, dot);
  size_t first_comma = integer.find(',');
  // Every comma must open a group of exactly three digits.
  if (first_comma == 0 || first_comma > 3 || (integer.size() - first_comma) % 4 != 0) {
    return false;
  }
  for (size_t i = 0; i < integer.size(); ++i) {
    bool comma_position = i >= first_comma && (i - first_comma) % 4 == 0;
    if (comma_position != (integer[i] == ',')) return false;
    if (!comma_position && !absl::ascii_isdigit(integer[i])) return false;
  }
  return integer.back() != ',';
}

}  // namespace

absl::StatusOr<double> ParseNumber(absl::string_view flag, absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  std::string plain(trimmed);
  if (trimmed.find(',') != absl::string_view::npos) {
    if (!ValidThousandsGrouping(trimmed)) return NotANumber(flag, text);
    plain = absl::StrReplaceAll(trimmed, {{",", ""}});
  }
  double value = 0;
  // SimpleAtod also takes "inf" and "nan", which are no measurement.
  if (plain.empty() || !absl::SimpleAtod(plain, &value) || !std::isfinite(value)) {
    return NotANumber(flag, text);
  }
  return value;
}

absl::StatusOr<int64_t> ParseCount(absl::string_view flag, absl::string_view text) {
  std::string plain = absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{",", ""}});
  int64_t exact = 0;
  // Plain integers are parsed as integers: a double would round 2^53 + 1.
  if (!plain.empty() && absl::ascii_isdigit(plain[0]) &&
      absl::SimpleAtoi(plain, &exact) && ParseNumber(flag, text).ok()) {
    return exact;
  }
  absl::StatusOr<double> value = ParseNumber(flag, text);
  if (!value.ok()) return value.status();
  if (*value < 0) {
    return UsageError(absl::StrFormat("%s: \"%s\" must not be negative", flag, text));
  }
  if (std::floor(*value) != *value) {
    return UsageError(
        absl::StrFormat("%s: \"%s\" must be a whole number", flag, text));
  }
  if (*value >= 9.2e18) {
    return UsageError(absl::StrFormat("%s: \"%s\" is too large", flag, text));
  }
  return static_cast<int64_t>(*value);
}

absl::StatusOr<int32_t> ParseSmallCount(absl::string_view flag,
                                        absl::string_view text) {
  absl::StatusOr<int64_t> value = ParseCount(flag, text);
  if (!value.ok()) return value.status();
  if (*value > std::numeric_limits<int32_t>::max()) {
    return UsageError(absl::StrFormat("%s: \"%s\" is too large", flag, text));
  }
  return static_cast<int32_t>(*value);
}

absl::StatusOr<std::string> ParseDate(absl::string_view flag, absl::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime normalises "2027-02-30" to March; a round trip catches it.
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return UsageError(absl::StrFormat(
        "%s: \"%s\" is not a date; write YYYY-MM-DD, e.g. 2027-03-31", flag, text));
  }
  return std::string(text);
}

absl::StatusOr<std::string> ScannedBatch(absl::string_view name, absl::string_view text) {
  absl::StatusOr<cpctrack::domain::Din> din = cpctrack::domain::ScannedBatchId(name, text);
  if (!din.ok()) return UsageError(din.status().message());
  return din->compact();
}

absl::StatusOr<std::string> ScannedUnit(absl::string_view name, absl::string_view text) {
  absl::StatusOr<std::string> unit = cpctrack::domain::ScannedUnitId(name, text);
  if (!unit.ok()) return UsageError(unit.status().message());
  return unit;
}

}  // namespace cpc
