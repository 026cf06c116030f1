// `cpc-lab backup DB OUT`, `cpc-lab verify-backup OUT` and `cpc-lab
// verify-audit DB`: offline, on the database file (cpcd may keep serving).
#include "absl/strings/str_format.h"
#include "lab_tools/backup.h"
#include "lab_tools/lab_commands.h"
#include "lab_tools/verify_audit.h"

namespace cpclab {
namespace {

absl::Status RunBackup(Invocation& in) {
  const std::string& out = in.args.Get("OUT");
  absl::StatusOr<BackupSummary> summary = BackupDatabase(in.args.Get("DB"), out);
  if (!summary.ok()) return summary.status();
  in.out << absl::StrFormat(
      "copied %s to %s: %d pages, schema v%d, audit trail up to sequence %d\n"
      "check it with: cpc-lab verify-backup %s\n",
      in.args.Get("DB"), out, summary->pages, summary->schema_version,
      summary->last_audit_sequence, out);
  return absl::OkStatus();
}

absl::Status RunVerify(Invocation& in) {
  const std::string& path = in.args.Get("OUT");
  absl::StatusOr<std::vector<BackupCheck>> checks = VerifyBackup(path);
  if (!checks.ok()) return checks.status();
  int failed = 0;
  for (const BackupCheck& check : *checks) {
    in.out << absl::StrFormat("%-13s %-6s %s\n", check.name, check.ok ? "ok" : "FAILED",
                              check.detail);
    if (!check.ok) ++failed;
  }
  if (failed > 0) {
    return absl::DataLossError(
        absl::StrFormat("%s: %d check(s) failed: do not restore from this copy", path, failed));
  }
  in.out << path << ": every check passed\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> BackupCommands() {
  return {
      {.noun = "backup",
       .summary = "Copy a live database consistently (SQLite online backup) while cpcd serves",
       .args = {{.name = "DB", .help = "the database cpcd uses, e.g. data/cpctrack.db"},
                {.name = "OUT", .help = "the copy to write; must not exist"}},
       .example = "cpc-lab backup data/cpctrack.db /backup/cpctrack-2026-11-25.db",
       .run = RunBackup},
      {.noun = "verify-backup",
       .summary = "Check a copy: integrity, foreign keys, schema version, audit trail",
       .args = {{.name = "OUT", .help = "the copy to check (opened read-only)"}},
       .example = "cpc-lab verify-backup /backup/cpctrack-2026-11-25.db",
       .run = RunVerify},
      VerifyAuditCommand(),
  };
}

}  // namespace cpclab
