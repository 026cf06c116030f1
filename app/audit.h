// Appends one audit trail entry inside the caller's write transaction.
#ifndef CPCTRACK_APP_AUDIT_H_
#define CPCTRACK_APP_AUDIT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audit_action.h"
#include "domain/din.h"
#include "domain/late_entry.h"
#include "store/store.h"

namespace cpctrack::app {

// `sequence`, when given, receives the entry's place in the trail.
absl::Status AppendAudit(store::Transaction& tx, absl::Time at, absl::string_view actor,
                         domain::AuditAction action, absl::string_view resource,
                         std::string old_value, std::string new_value, absl::string_view reason,
                         absl::string_view request_id, int64_t* sequence = nullptr);

// Keeps `entry` (a step recorded late, domain/late_entry.h; its resource
// set) with batch `batch_id`, and answers the reason the step's audit entry
// gives for it.
absl::StatusOr<std::string> StoreLateEntry(store::Transaction& tx, const domain::Din& batch_id,
                                           const domain::LateEntry& entry);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_AUDIT_H_
