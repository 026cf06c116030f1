#include "store/audit_chain.h"

#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"

namespace cpctrack::store {
namespace {

std::string SelectEntriesFrom() {
  return absl::StrCat("SELECT ", kAuditLogColumns,
                      " FROM audit_log WHERE sequence >= ? ORDER BY sequence");
}

absl::Status InsertLink(Database& db, int64_t sequence, const domain::AuditLink& link) {
  ASSIGN_OR_RETURN(Statement s, db.Prepare("INSERT INTO audit_chain (sequence, prev_hash, hash) "
                                           "VALUES (?,?,?)"));
  s.Bind(1, sequence).Bind(2, link.prev_hash).Bind(3, link.hash);
  return s.Run();
}

}  // namespace

domain::AuditEntry AuditEntryAt(const Statement& q) {
  domain::AuditEntry e;
  e.sequence = q.Int(0);
  e.at = q.Time(1);
  e.actor = q.Text(2);
  e.action = q.Text(3);
  e.resource = q.Text(4);
  e.old_value = q.Text(5);
  e.new_value = q.Text(6);
  e.reason = q.Text(7);
  e.request_id = q.Text(8);
  return e;
}

absl::StatusOr<domain::AuditHead> ReadAuditHead(Database& db) {
  ASSIGN_OR_RETURN(Statement q, db.Prepare("SELECT sequence, hash FROM audit_chain "
                                           "ORDER BY sequence DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return domain::AuditHead{0, domain::kGenesisHash};
  return domain::AuditHead{q.Int(0), q.Text(1)};
}

absl::Status LinkAuditEntry(Database& db, const domain::AuditEntry& entry) {
  ASSIGN_OR_RETURN(domain::AuditHead head, ReadAuditHead(db));
  return InsertLink(db, entry.sequence,
                    domain::AuditLink{head.hash, domain::AuditHash(entry, head.hash)});
}

absl::Status ScanAuditChain(
    Database& db,
    absl::FunctionRef<void(int64_t, const domain::AuditEntry*, const domain::AuditLink*)> fn,
    int64_t from_sequence) {
  ASSIGN_OR_RETURN(Statement entries, db.Prepare(SelectEntriesFrom()));
  entries.Bind(1, from_sequence);
  ASSIGN_OR_RETURN(Statement links, db.Prepare("SELECT sequence, prev_hash, hash FROM audit_chain "
                                               "WHERE sequence >= ? ORDER BY sequence"));
  links.Bind(1, from_sequence);
  ASSIGN_OR_RETURN(bool has_entry, entries.Step());
  ASSIGN_OR_RETURN(bool has_link, links.Step());
  // A merge of two primary-key scans.
  while (has_entry || has_link) {
    const int64_t entry_seq = has_entry ? entries.Int(0) : INT64_MAX;
    const int64_t link_seq = has_link ? links.Int(0) : INT64_MAX;
    const int64_t sequence = std::min(entry_seq, link_seq);
    std::optional<domain::AuditEntry> entry;
    std::optional<domain::AuditLink> link;
    if (entry_seq == sequence) entry = AuditEntryAt(entries);
    if (link_seq == sequence) link = domain::AuditLink{links.Text(1), links.Text(2)};
    fn(sequence, entry ? &*entry : nullptr, link ? &*link : nullptr);
    if (entry_seq == sequence) {
      ASSIGN_OR_RETURN(has_entry, entries.Step());
    }
    if (link_seq == sequence) {
      ASSIGN_OR_RETURN(has_link, links.Step());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::AuditVerification> VerifyAuditChain(
    Database& db, std::optional<domain::AuditHead> expect) {
  ASSIGN_OR_RETURN(Statement table,
                   db.Prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'audit_chain'"));
  ASSIGN_OR_RETURN(bool row, table.Step());
  if (!row || table.Int(0) == 0) {
    return absl::FailedPreconditionError(
        "this database has no audit hash chain (schema before version 3): start cpcd on it "
        "once to migrate it");
  }
  domain::AuditChainVerifier verifier(std::move(expect));
  RETURN_IF_ERROR(ScanAuditChain(
      db, [&](int64_t sequence, const domain::AuditEntry* entry, const domain::AuditLink* link) {
        verifier.Add(sequence, entry, link);
      }));
  return verifier.Finish();
}

absl::StatusOr<domain::AuditVerification> VerifyAuditChainAfter(
    Database& db, const domain::AuditHead& trusted) {
  domain::AuditChainVerifier verifier;
  verifier.StartAfter(trusted);
  ASSIGN_OR_RETURN(Statement at, db.Prepare("SELECT hash FROM audit_chain WHERE sequence = ?"));
  at.Bind(1, trusted.entries);
  ASSIGN_OR_RETURN(bool found, at.Step());
  const std::string stored = found ? at.Text(0) : "";
  RETURN_IF_ERROR(ScanAuditChain(
      db,
      [&](int64_t sequence, const domain::AuditEntry* entry, const domain::AuditLink* link) {
        verifier.Add(sequence, entry, link);
      },
      trusted.entries + 1));
  domain::AuditVerification result = verifier.Finish();
  if (trusted.entries > 0 && stored != trusted.hash) {
    result.head_mismatch = found ? absl::StrCat("entry ", trusted.entries, " has hash ", stored,
                                                ", not ", trusted.hash,
                                                " as the checkpoint says: the trail was "
                                                "rewritten at or before entry ",
                                                trusted.entries)
                                 : absl::StrCat("entry ", trusted.entries,
                                                ", which the checkpoint vouches for, is gone");
  }
  return result;
}

absl::Status LinkAuditEntriesAfter(Database& db, int64_t after) {
  ASSIGN_OR_RETURN(domain::AuditHead head, ReadAuditHead(db));
  ASSIGN_OR_RETURN(Statement entries, db.Prepare(SelectEntriesFrom()));
  entries.Bind(1, after + 1);
  std::string prev = head.hash;
  while (true) {
    ASSIGN_OR_RETURN(bool row, entries.Step());
    if (!row) break;
    const domain::AuditEntry entry = AuditEntryAt(entries);
    domain::AuditLink link{prev, domain::AuditHash(entry, prev)};
    RETURN_IF_ERROR(InsertLink(db, entry.sequence, link));
    prev = std::move(link.hash);
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::AuditVerification> VerifyAuditFile(const std::string& path,
                                                          std::optional<domain::AuditHead> expect) {
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::OpenReadOnly(path));
  RETURN_IF_ERROR(db->Exec("BEGIN"));  // one snapshot, however long the trail
  absl::StatusOr<domain::AuditVerification> result = VerifyAuditChain(*db, std::move(expect));
  (void)db->Exec("COMMIT");
  return result;
}

}  // namespace cpctrack::store
