#include "server/offline_commands.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit_checkpoint.h"
#include "domain/status_macros.h"
#include "server/audit_checkpoints.h"
#include "store/audit_chain.h"
#include "store/backup.h"

namespace cpctrack::server {
namespace {

// Each checkpoint: its signature (by the trusted key when one is given),
// then whether the trail still holds the head it signed, and what it vouches for.
absl::Status CheckCheckpoints(const std::string& db, const VerifyAuditOptions& options,
                              std::ostream& out) {
  std::string trusted = options.checkpoint_key;
  if (!trusted.empty() && trusted.size() != 64) {
    trusted = std::string(absl::StripAsciiWhitespace(ReadWholeFile(trusted)));  // a KEY.pub file
  }
  int failed = 0;
  for (const std::string& file : options.checkpoints) {
    absl::StatusOr<domain::AuditCheckpoint> cp = domain::ParseCheckpoint(ReadWholeFile(file));
    if (!cp.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--checkpoint ", file, ": ", cp.status().message()));
    }
    const std::string what =
        absl::StrCat("checkpoint ", file, " (",
                     absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", cp->at, absl::UTCTimeZone()), ", key ",
                     cp->key_hex.substr(0, 16), "…)");
    if (absl::Status signature = domain::VerifyCheckpoint(*cp, trusted); !signature.ok()) {
      out << what << ": NOT TRUSTED: " << signature.message() << "\n";
      ++failed;
      continue;
    }
    ASSIGN_OR_RETURN(domain::AuditVerification v, store::VerifyAuditFile(db, cp->head));
    if (v.head_mismatch.has_value()) {
      out << what << ": DOES NOT HOLD: " << *v.head_mismatch << "\n";
      ++failed;
    } else {
      out << what << ": holds: vouches for entries 1-" << cp->head.entries << " (head "
          << domain::FormatHead(cp->head) << ")"
          << (trusted.empty() ? "; signature valid, but no --checkpoint_key to trust" : "") << "\n";
    }
  }
  if (failed > 0) {
    return absl::DataLossError(
        absl::StrCat(db, ": ", failed, " checkpoint(s) not held or not trusted"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunBackup(const std::string& db, const std::string& out_path, std::ostream& out) {
  ASSIGN_OR_RETURN(store::BackupSummary summary, store::BackupDatabase(db, out_path));
  out << absl::StrFormat(
      "copied %s to %s: %d pages, schema v%d, audit trail up to sequence %d\n"
      "check it with: cpcd verify-backup %s\n",
      db, out_path, summary.pages, summary.schema_version, summary.last_audit_sequence, out_path);
  return absl::OkStatus();
}

absl::Status RunVerifyBackup(const std::string& path, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<store::BackupCheck> checks, store::VerifyBackup(path));
  int failed = 0;
  for (const store::BackupCheck& check : checks) {
    out << absl::StrFormat("%-13s %-6s %s\n", check.name, check.ok ? "ok" : "FAILED", check.detail);
    if (!check.ok) ++failed;
  }
  if (failed > 0) {
    return absl::DataLossError(
        absl::StrFormat("%s: %d check(s) failed: do not restore from this copy", path, failed));
  }
  out << path << ": every check passed\n";
  return absl::OkStatus();
}

absl::Status RunVerifyAudit(const std::string& db, const VerifyAuditOptions& options,
                            std::ostream& out) {
  std::optional<domain::AuditHead> expect;
  if (options.expect_head.has_value()) {
    absl::StatusOr<domain::AuditHead> head = domain::ParseHead(*options.expect_head);
    if (!head.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--expect_head: ", head.status().message()));
    }
    expect = *head;
  }
  ASSIGN_OR_RETURN(domain::AuditVerification v, store::VerifyAuditFile(db, expect));
  out << db << ": " << domain::SummarizeVerification(v) << "\n";
  for (const domain::AuditBreak& b : v.breaks) {
    out << (b.acknowledged_by != 0 ? "acknowledged: " : "BROKEN: ") << b.Describe() << "\n"
        << "  expected " << b.expected << "\n  found    " << b.found << "\n";
  }
  if (v.breaks_not_listed > 0) {
    out << "... and " << v.breaks_not_listed << " more breaks not listed\n";
  }
  if (expect.has_value()) {
    out << "head " << domain::FormatHead(*expect) << ": "
        << (v.head_mismatch.has_value()
                ? absl::StrCat("DOES NOT HOLD: ", *v.head_mismatch)
                : absl::StrCat("holds: the first ", expect->entries, " entries are unchanged"))
        << "\n";
  }
  if (const domain::AuditBreak* b = v.FirstUnacknowledged(); b != nullptr) {
    return absl::DataLossError(absl::StrCat(db, ": the audit trail is broken: ", b->Describe()));
  }
  if (v.head_mismatch.has_value()) {
    return absl::DataLossError(absl::StrCat(db, ": the trail does not hold the head given"));
  }
  RETURN_IF_ERROR(CheckCheckpoints(db, options, out));
  out << db << ": the audit trail holds\n";
  return absl::OkStatus();
}

int ExitCode(const absl::Status& status) {
  if (status.ok()) return 0;
  return absl::IsInvalidArgument(status) ? 2 : 1;
}

}  // namespace cpctrack::server
