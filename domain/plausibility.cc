#include "domain/plausibility.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/text.h"

namespace cpctrack::domain {

absl::Status CheckRange(absl::string_view field, double value, double min, double max) {
  if (!std::isfinite(value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %g is outside the plausible range %g to %g", field,
                        value, min, max));
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view field, int64_t value) {
  if (value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d must be greater than 0", field, value));
  }
  if (value > kMaxCells) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %d is implausibly large (more than %g cells)", field, value,
        static_cast<double>(kMaxCells)));
  }
  return absl::OkStatus();
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

std::string DescribeDuration(absl::Duration d) {
  const double hours = absl::ToDoubleHours(d);
  if (hours >= 48 && d % absl::Hours(24) == absl::ZeroDuration()) {
    return absl::StrCat(static_cast<int64_t>(hours / 24), " days");
  }
  return absl::StrFormat("%g h", hours);
}

absl::Status CheckNotFuture(absl::string_view field, absl::Time t, absl::Time now) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture() ||
      t < absl::FromCivil(absl::CivilSecond(2000, 1, 1), absl::UTCTimeZone())) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (t > now + kClockSkewAllowance) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", FormatUtc(t), " is in the future (server time ",
        FormatUtc(now), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckNotBefore(absl::string_view field, absl::Time t,
                            absl::string_view earlier_step, absl::Time earlier) {
  if (t < earlier) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatUtc(t), " is before ", earlier_step,
                     " (", FormatUtc(earlier), ")"));
  }
  return absl::OkStatus();
}

namespace {

absl::Status CheckSize(absl::string_view field, absl::string_view text, size_t max_size,
                       bool required) {
  if (required && text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (text.size() > max_size) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: longer than %d characters", field, max_size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckText(absl::string_view field, absl::string_view text, size_t max_size,
                       bool required) {
  if (absl::Status s = CheckSize(field, text, max_size, required); !s.ok()) return s;
  return ValidateText(field, text);
}

absl::Status CheckFreeText(absl::string_view field, absl::string_view text, size_t max_size,
                           bool required) {
  if (absl::Status s = CheckSize(field, text, max_size, required); !s.ok()) return s;
  return ValidateFreeText(field, text);
}

}  // namespace cpctrack::domain
