#include "lab_tools/verify_audit.h"

#include "absl/strings/str_cat.h"
#include "client/status_util.h"
#include "domain/status_macros.h"
#include "lab_tools/lab_commands.h"
#include "store/audit_chain.h"
#include "store/sqlite.h"

namespace cpclab {
namespace {

namespace domain = ::cpctrack::domain;

absl::Status RunVerifyAudit(Invocation& in) {
  const std::string& path = in.args.Get("DB");
  std::optional<domain::AuditHead> expect;
  if (in.args.Has("expect-head")) {
    absl::StatusOr<domain::AuditHead> head = domain::ParseHead(in.args.Get("expect-head"));
    if (!head.ok()) return cpc::UsageError(absl::StrCat("--expect-head: ", head.status().message()));
    expect = *head;
  }
  ASSIGN_OR_RETURN(domain::AuditVerification v, VerifyAuditFile(path, expect));
  in.out << path << ": " << SummarizeAudit(v) << "\n";
  for (const domain::AuditBreak& b : v.breaks) {
    in.out << (b.acknowledged_by != 0 ? "acknowledged: " : "BROKEN: ") << b.Describe() << "\n"
           << "  expected " << b.expected << "\n  found    " << b.found << "\n";
  }
  if (v.breaks_not_listed > 0) {
    in.out << "... and " << v.breaks_not_listed << " more breaks not listed\n";
  }
  if (expect.has_value()) {
    in.out << "head " << domain::FormatHead(*expect) << ": "
           << (v.head_mismatch.has_value()
                   ? absl::StrCat("DOES NOT HOLD: ", *v.head_mismatch)
                   : absl::StrCat("holds: the first ", expect->entries,
                                  " entries are unchanged"))
           << "\n";
  }
  if (const domain::AuditBreak* b = v.FirstUnacknowledged(); b != nullptr) {
    return absl::DataLossError(absl::StrCat(path, ": the audit trail is broken: ", b->Describe()));
  }
  if (v.head_mismatch.has_value()) {
    return absl::DataLossError(absl::StrCat(path, ": the trail does not hold the head given"));
  }
  in.out << path << ": the audit trail holds\n";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::AuditVerification> VerifyAuditFile(const std::string& path,
                                                          std::optional<domain::AuditHead> expect) {
  ASSIGN_OR_RETURN(std::unique_ptr<cpctrack::store::Database> db,
                   cpctrack::store::Database::OpenReadOnly(path));
  RETURN_IF_ERROR(db->Exec("BEGIN"));  // one snapshot, however long the trail
  absl::StatusOr<domain::AuditVerification> result =
      cpctrack::store::VerifyAuditChain(*db, std::move(expect));
  (void)db->Exec("COMMIT");
  return result;
}

std::string SummarizeAudit(const domain::AuditVerification& v) {
  int acknowledged = 0;
  for (const domain::AuditBreak& b : v.breaks) acknowledged += b.acknowledged_by != 0;
  std::string text = absl::StrCat(v.entries, " entries, head ", domain::FormatHead(v.head));
  if (acknowledged > 0) {
    absl::StrAppend(&text, ", ", acknowledged, " acknowledged break",
                    acknowledged == 1 ? "" : "s");
  }
  return text;
}

cpc::CommandSpec VerifyAuditCommand() {
  return {.noun = "verify-audit",
          .summary = "Check a database's audit hash chain offline and name the first broken entry",
          .args = {{.name = "DB", .help = "the database file (opened read-only)"}},
          .flags = {{.name = "expect-head", .value_name = "N:HASH",
                     .help = "a head printed earlier by `cpc audit head` or an export: the "
                             "trail must still hold its first N entries unchanged"}},
          .example = "cpc-lab verify-audit data/cpctrack.db --expect-head 1042:9f86d08…",
          .run = RunVerifyAudit};
}

}  // namespace cpclab
