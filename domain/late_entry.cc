#include "domain/late_entry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

bool LateEntry::IsAbout(absl::string_view record) const {
  return resource == record ||
         (absl::StartsWith(resource, record) && resource.size() > record.size() &&
          resource[record.size()] == '/');
}

absl::StatusOr<std::optional<LateEntry>> CheckLateEntry(absl::string_view field,
                                                        absl::Time event_time,
                                                        absl::Duration max_delay,
                                                        absl::string_view reason,
                                                        absl::Time now,
                                                        absl::string_view actor) {
  RETURN_IF_ERROR(CheckText("late_entry_reason", reason, kMaxLateEntryReason, false));
  const bool late = now - event_time > max_delay;
  if (late && reason.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "late_entry_reason: required: ", field, " ", FormatUtc(event_time),
        " is recorded at ", FormatUtc(now),
        absl::StrFormat(", %.1f h later", absl::ToDoubleHours(now - event_time)), ", more than the product's ", DescribeDuration(max_delay),
        " for a contemporaneous record; say why the entry is late (--late-reason)"));
  }
  if (!late) return std::nullopt;
  LateEntry entry;
  entry.field = std::string(field);
  entry.event_time = event_time;
  entry.recorded_at = now;
  entry.recorded_by = std::string(actor);
  entry.reason = std::string(reason);
  return entry;
}

}  // namespace cpctrack::domain
