#include "app/audit.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

absl::Status AppendAudit(store::Transaction& tx, absl::Time at, absl::string_view actor,
                         domain::AuditAction action, absl::string_view resource,
                         std::string old_value, std::string new_value, absl::string_view reason,
                         absl::string_view request_id, int64_t* sequence) {
  domain::AuditEntry entry;
  entry.at = at;
  entry.actor = std::string(actor);
  entry.action = std::string(domain::AuditActionName(action));
  entry.resource = std::string(resource);
  entry.old_value = std::move(old_value);
  entry.new_value = std::move(new_value);
  entry.reason = std::string(reason);
  entry.request_id = std::string(request_id);
  RETURN_IF_ERROR(tx.AppendAudit(entry));
  if (sequence != nullptr) *sequence = entry.sequence;
  return absl::OkStatus();
}

absl::StatusOr<std::string> StoreLateEntry(store::Transaction& tx, const domain::Din& batch_id,
                                           const domain::LateEntry& entry) {
  RETURN_IF_ERROR(tx.InsertLateEntry(batch_id, entry));
  return absl::StrCat("late entry: ", entry.reason);
}

}  // namespace cpctrack::app
