#ifndef CPCTRACK_CLIENT_TIME_FORMAT_H_
#define CPCTRACK_CLIENT_TIME_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "mapping/time.h"

namespace cpc {

// "Now" and the zone of one invocation: every relative time on a command line
// is read against the same instant, and zone-less times in the same zone.
struct TimeContext {
  absl::Time now;
  absl::TimeZone zone;
};

// Reads a time typed at the bench: "now"; "-2h", "-30m", "-1d", "-1h30m"
// (before now); "2026-11-25 09:30", "2026-11-25T09:30[:00]" (in ctx.zone);
// RFC 3339 with "Z" or an offset. Errors are usage errors naming `flag`.
absl::StatusOr<absl::Time> ParseUserTime(absl::string_view flag, absl::string_view text,
                                     const TimeContext& ctx);

// "2026-11-25 09:30" in `zone`; "-" for an unset time.
std::string FormatLocalTime(absl::Time time, absl::TimeZone zone);
// As FormatTime, with the zone abbreviation: "2026-11-25 09:30 JST".
std::string FormatLocalTimeWithZone(absl::Time time, absl::TimeZone zone);
// The abbreviations `zone` uses at `times`, each once, in order: "JST", or
// "CET/CEST" for times on both sides of a daylight-saving change; "" when
// `times` is empty.
std::string ZoneAbbreviations(absl::Span<const absl::Time> times, absl::TimeZone zone);
// "35.2 h" for doubling times and delays.
std::string FormatHours(absl::Duration duration);
// "365 d", "14 d", "0.5 d".
std::string FormatDays(absl::Duration duration);

// The API's times, by the one conversion cpcd uses (an unset Timestamp is
// absl::InfinitePast(), printed "-").
using ::cpctrack::mapping::FromProto;
using ::cpctrack::mapping::ToProto;

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_TIME_FORMAT_H_
