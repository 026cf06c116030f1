// The audit hash chain in the database: the audit_chain table beside
// audit_log, written with every entry, and read back in one pass to verify
// (domain/audit_chain.h). Works on a bare Database so that cpc-lab can verify
// a file offline without migrating it.
#ifndef CPCTRACK_STORE_AUDIT_CHAIN_H_
#define CPCTRACK_STORE_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "store/sqlite.h"

namespace cpctrack::store {

// audit_log's columns in the order AuditEntryAt reads them.
inline constexpr char kAuditLogColumns[] =
    "sequence, at, actor, action, resource, old_value, new_value, reason, request_id";
domain::AuditEntry AuditEntryAt(const Statement& row);

// Links the stored `entry` (its sequence assigned) after the chain's head.
// REQUIRES: inside the write transaction that stored the entry.
absl::Status LinkAuditEntry(Database& db, const domain::AuditEntry& entry);

// The chain's head: the last link's sequence and hash.
absl::StatusOr<domain::AuditHead> ReadAuditHead(Database& db);

// Calls `fn` once per sequence found in audit_log or audit_chain, in
// increasing order, with the entry and its link (nullptr where one is
// missing). Reads both tables in primary-key order: memory stays flat.
absl::Status ScanAuditChain(
    Database& db,
    absl::FunctionRef<void(int64_t, const domain::AuditEntry*, const domain::AuditLink*)> fn,
    int64_t from_sequence = 1);

// Verifies the whole chain (and `expect`, a head seen before). A file
// without the audit_chain table (schema before 3) is FailedPrecondition.
absl::StatusOr<domain::AuditVerification> VerifyAuditChain(
    Database& db, std::optional<domain::AuditHead> expect = std::nullopt);

// Opens the database file `path` read-only and verifies its whole chain in one
// snapshot, however long the trail (cpcd may keep serving). NotFound when the
// file is missing; FailedPrecondition when its schema has no chain.
absl::StatusOr<domain::AuditVerification> VerifyAuditFile(
    const std::string& path, std::optional<domain::AuditHead> expect = std::nullopt);

// Verifies only the entries after `trusted` (a verified checkpoint's head):
// the stored hash of entry `trusted.entries` must still be the checkpoint's
// (else head_mismatch says the trail was rewritten at or before it), and the
// entries after it must chain from there. Fast at any length of history;
// a full VerifyAuditChain still checks every entry.
absl::StatusOr<domain::AuditVerification> VerifyAuditChainAfter(Database& db,
                                                                const domain::AuditHead& trusted);

// Links the entries of audit_log after sequence `after` to the chain's head,
// in sequence order: at migration 4 (after 0) every entry already there, in
// a later migration the entries it wrote itself.
absl::Status LinkAuditEntriesAfter(Database& db, int64_t after);

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_AUDIT_CHAIN_H_
