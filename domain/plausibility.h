// Small checks shared by every validator, each naming the field and the rule
// in its InvalidArgument message.
#ifndef CPCTRACK_DOMAIN_PLAUSIBILITY_H_
#define CPCTRACK_DOMAIN_PLAUSIBILITY_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// How far ahead of the server's clock a time may be, for clock drift between
// a bench PC and the server.
inline constexpr absl::Duration kClockSkewAllowance = absl::Minutes(5);

// Largest plausible cell count in one batch (far above any real expansion).
inline constexpr int64_t kMaxCells = 1'000'000'000'000;

absl::Status CheckRange(absl::string_view field, double value, double min, double max);
absl::Status CheckCount(absl::string_view field, int64_t value);  // 1..kMaxCells
absl::Status CheckNotFuture(absl::string_view field, absl::Time t, absl::Time now);
absl::Status CheckNotBefore(absl::string_view field, absl::Time t,
                            absl::string_view earlier_step, absl::Time earlier);
// At most `max_size` bytes of one line of printable text (see ValidateText).
absl::Status CheckText(absl::string_view field, absl::string_view text, size_t max_size,
                       bool required);
// The same for free text (reasons, notes, descriptions): line breaks allowed.
absl::Status CheckFreeText(absl::string_view field, absl::string_view text, size_t max_size,
                           bool required);

// "2026-11-25 09:30 UTC": times in messages are UTC, unambiguous in logs.
std::string FormatUtc(absl::Time t);

// "14 days", "72 h", "4.5 h": a span as a person reads it.
std::string DescribeDuration(absl::Duration d);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PLAUSIBILITY_H_
