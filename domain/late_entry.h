// Records should be contemporaneous (ALCOA+): a step written down long after
// the time it describes is accepted only with the reason it is late, and that
// reason stays with the record, in the audit trail and on every page that
// shows the batch.
#ifndef CPCTRACK_DOMAIN_LATE_ENTRY_H_
#define CPCTRACK_DOMAIN_LATE_ENTRY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// The longest a reason may be.
inline constexpr size_t kMaxLateEntryReason = 1000;

// One step recorded late. `resource` names the record ("records/12",
// "qc/samples/3", "units/B1234...-01/thaw"); it is set when the step is stored.
struct LateEntry {
  std::string resource;
  std::string field;  // the event's time field: "passage_time"
  absl::Time event_time = absl::InfinitePast();
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;
  std::string reason;

  absl::Duration delay() const { return recorded_at - event_time; }
  // Whether it is about `record` ("units/X-01") or a part of it
  // ("units/X-01/thaw").
  bool IsAbout(absl::string_view record) const;
};

// The late entry a step makes, if any: none when `event_time` is within
// `max_delay` of `now` (a reason given anyway is not needed and not kept,
// so an import can give one reason for the rows that need it);
// InvalidArgument naming both times when it is later and `reason` is empty.
absl::StatusOr<std::optional<LateEntry>> CheckLateEntry(absl::string_view field,
                                                        absl::Time event_time,
                                                        absl::Duration max_delay,
                                                        absl::string_view reason,
                                                        absl::Time now,
                                                        absl::string_view actor);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_LATE_ENTRY_H_
