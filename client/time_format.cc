#include "client/time_format.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/status_util.h"

namespace cpc {
namespace {

absl::Status NotATime(absl::string_view flag, absl::string_view text) {
  return UsageError(absl::StrFormat(
      "%s: \"%s\" is not a time; write now, -2h, -30m, -1d, "
      "\"2026-11-25 09:30\" or 2026-11-25T09:30:00+09:00",
      flag, text));
}

// "-1h30m" -> 90 minutes. Only the past: future events are not recorded.
bool ParseAgo(absl::string_view text, absl::Duration* ago) {
  if (text.size() < 3 || text[0] != '-') return false;
  text.remove_prefix(1);
  *ago = absl::ZeroDuration();
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
    int64_t amount = 0;
    if (digits == 0 || digits == text.size() ||
        !absl::SimpleAtoi(text.substr(0, digits), &amount)) {
      return false;
    }
    switch (text[digits]) {
      case 'd': *ago += absl::Hours(24 * amount); break;
      case 'h': *ago += absl::Hours(amount); break;
      case 'm': *ago += absl::Minutes(amount); break;
      default: return false;
    }
    text.remove_prefix(digits + 1);
  }
  return true;
}

}  // namespace

absl::StatusOr<absl::Time> ParseUserTime(absl::string_view flag, absl::string_view text,
                                     const TimeContext& ctx) {
  std::string input(absl::StripAsciiWhitespace(text));
  if (absl::AsciiStrToLower(input) == "now") return ctx.now;
  absl::Duration ago;
  if (ParseAgo(input, &ago)) return ctx.now - ago;

  // "2026-11-25 09:30" is the natural way to type it; treat the space as 'T'.
  if (input.size() > 10 && input[10] == ' ') input[10] = 'T';
  // %Ez takes "Z" as well as "+09:00"; without it the zone is ctx.zone.
  static constexpr const char* kFormats[] = {
      "%Y-%m-%d%ET%H:%M%Ez", "%Y-%m-%d%ET%H:%M:%E*S%Ez",
      "%Y-%m-%d%ET%H:%M",    "%Y-%m-%d%ET%H:%M:%E*S",
  };
  for (const char* format : kFormats) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, input, ctx.zone, &time, &error)) return time;
  }
  return NotATime(flag, text);
}

std::string FormatLocalTime(absl::Time time, absl::TimeZone zone) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", time, zone);
}

std::string FormatLocalTimeWithZone(absl::Time time, absl::TimeZone zone) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, zone);
}

std::string ZoneAbbreviations(absl::Span<const absl::Time> times, absl::TimeZone zone) {
  std::vector<std::string> seen;
  for (absl::Time time : times) {
    std::string abbreviation = absl::FormatTime("%Z", time, zone);
    if (std::find(seen.begin(), seen.end(), abbreviation) == seen.end()) {
      seen.push_back(std::move(abbreviation));
    }
  }
  return absl::StrJoin(seen, "/");
}

std::string FormatHours(absl::Duration duration) {
  return absl::StrFormat("%.1f h", absl::ToDoubleHours(duration));
}

std::string FormatDays(absl::Duration duration) {
  return absl::StrFormat("%g d", absl::ToDoubleHours(duration) / 24);
}

}  // namespace cpc
