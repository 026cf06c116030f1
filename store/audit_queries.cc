// Transaction: the audit trail and idempotency keys.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/audit_chain.h"
#include "store/store.h"

namespace cpctrack::store {

absl::Status Transaction::AppendAudit(domain::AuditEntry& e) {
  // The hash covers the time as stored: whole microseconds.
  e.at = absl::FromUnixMicros(absl::ToUnixMicros(e.at));
  ASSIGN_OR_RETURN(Statement s,
                   db_.Prepare("INSERT INTO audit_log (at, actor, action, resource, old_value, "
                               "new_value, reason, request_id) VALUES (?,?,?,?,?,?,?,?)"));
  s.Bind(1, e.at)
      .Bind(2, e.actor)
      .Bind(3, e.action)
      .Bind(4, e.resource)
      .Bind(5, e.old_value)
      .Bind(6, e.new_value)
      .Bind(7, e.reason)
      .Bind(8, e.request_id);
  RETURN_IF_ERROR(s.Run());
  e.sequence = db_.LastInsertRowId();
  return LinkAuditEntry(db_, e);
}

absl::StatusOr<std::vector<domain::AuditEntry>> Transaction::AuditForResourcePrefix(
    absl::string_view prefix) {
  // Range scan on the resource index: prefix <= resource < prefix + U+FFFF.
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kAuditLogColumns, " FROM audit_log "
                                            "WHERE resource >= ?1 AND resource < ?1 || "
                                            "char(65535) ORDER BY sequence")));
  q.Bind(1, prefix);
  std::vector<domain::AuditEntry> entries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    entries.push_back(AuditEntryAt(q));
  }
  return entries;
}

absl::StatusOr<std::optional<StoredResponse>> Transaction::FindRequest(
    absl::string_view request_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT fingerprint, response FROM requests "
                                            "WHERE request_id = ?"));
  q.Bind(1, request_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::nullopt;
  return StoredResponse{q.Text(0), q.Blob(1)};
}

absl::Status Transaction::SaveRequest(absl::string_view request_id, absl::string_view method,
                                      const StoredResponse& response, absl::Time at) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("INSERT INTO requests (request_id, method, "
                                            "fingerprint, response, created_at) "
                                            "VALUES (?,?,?,?,?)"));
  s.Bind(1, request_id).Bind(2, method).Bind(3, response.fingerprint);
  s.BindBlob(4, response.response).Bind(5, at);
  return s.Run();
}

}  // namespace cpctrack::store
