// Transaction: reading the audit trail and its hash chain.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/audit_chain.h"
#include "store/store.h"

namespace cpctrack::store {

absl::StatusOr<domain::AuditHead> Transaction::AuditHead() { return ReadAuditHead(db_); }

namespace {

// The entry's columns, then its hash (NULL when it has none).
std::string SelectRows(absl::string_view where) {
  return absl::StrCat("SELECT ", kAuditLogColumns,
                      ", (SELECT hash FROM audit_chain c WHERE c.sequence = audit_log.sequence) "
                      "FROM audit_log WHERE ",
                      where);
}

AuditRow RowAt(const Statement& q) { return {AuditEntryAt(q), q.IsNull(9) ? "" : q.Text(9)}; }

}  // namespace

absl::StatusOr<std::optional<AuditRow>> Transaction::GetAuditEntry(int64_t sequence) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(SelectRows("sequence = ?")));
  q.Bind(1, sequence);
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::nullopt;
  return RowAt(q);
}

absl::StatusOr<Page<AuditRow>> Transaction::ListAudit(const AuditFilter& filter, int64_t after,
                                                      int64_t through, int limit) {
  // A batch's entries name it ("batches/ID") or something under it
  // ("batches/ID/records/12"): '/' < '0', so [ID/, ID0) is "under it".
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(SelectRows(
          "sequence > ?1 AND sequence <= ?2 "
          "AND (?3 = '' OR resource = ?3 OR (resource >= ?3 || '/' AND resource < ?3 || '0')) "
          "AND (?4 = '' OR actor = ?4) AND (?5 = '' OR action = ?5) "
          "AND at >= ?6 AND at < ?7 ORDER BY sequence LIMIT ?8")));
  q.Bind(1, after).Bind(2, through);
  q.Bind(3, filter.batch_id.empty() ? "" : absl::StrCat("batches/", filter.batch_id));
  q.Bind(4, filter.actor).Bind(5, filter.action);
  q.Bind(6, filter.from).Bind(7, filter.before);
  q.Bind(8, limit + 1);
  Page<AuditRow> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_key = absl::StrCat(page.items.back().entry.sequence);
      break;
    }
    page.items.push_back(RowAt(q));
  }
  return page;
}

absl::StatusOr<domain::AuditVerification> Transaction::VerifyAuditChain(
    std::optional<domain::AuditHead> expect) {
  return store::VerifyAuditChain(db_, std::move(expect));
}

absl::StatusOr<domain::AuditVerification> Transaction::VerifyAuditChainAfter(
    const domain::AuditHead& trusted) {
  return store::VerifyAuditChainAfter(db_, trusted);
}

}  // namespace cpctrack::store
