#include "lab_tools/verify_audit.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/audit_checkpoint.h"
#include "client/status_util.h"
#include "domain/status_macros.h"
#include "lab_tools/lab_commands.h"
#include "store/audit_chain.h"
#include "store/sqlite.h"

namespace cpclab {
namespace {

namespace domain = ::cpctrack::domain;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Each --checkpoint: its signature (by the trusted key when one is given),
// then whether the trail still holds the head it signed, and what it vouches for.
absl::Status CheckCheckpoints(Invocation& in, const std::string& path) {
  std::string trusted = in.args.Get("checkpoint-key");
  if (!trusted.empty() && trusted.size() != 64) {
    trusted = std::string(absl::StripAsciiWhitespace(ReadText(trusted)));  // a KEY.pub file
  }
  int failed = 0;
  for (const std::string& file : in.args.GetList("checkpoint")) {
    absl::StatusOr<domain::AuditCheckpoint> cp = domain::ParseCheckpoint(ReadText(file));
    if (!cp.ok()) return cpc::UsageError(absl::StrCat("--checkpoint ", file, ": ", cp.status().message()));
    const std::string what = absl::StrCat(
        "checkpoint ", file, " (", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", cp->at,
                                                    absl::UTCTimeZone()),
        ", key ", cp->key_hex.substr(0, 16), "…)");
    if (absl::Status signature = domain::VerifyCheckpoint(*cp, trusted); !signature.ok()) {
      in.out << what << ": NOT TRUSTED: " << signature.message() << "\n";
      ++failed;
      continue;
    }
    ASSIGN_OR_RETURN(domain::AuditVerification v, VerifyAuditFile(path, cp->head));
    if (v.head_mismatch.has_value()) {
      in.out << what << ": DOES NOT HOLD: " << *v.head_mismatch << "\n";
      ++failed;
    } else {
      in.out << what << ": holds: vouches for entries 1-" << cp->head.entries << " (head "
             << domain::FormatHead(cp->head) << ")"
             << (trusted.empty() ? "; signature valid, but no --checkpoint-key to trust" : "")
             << "\n";
    }
  }
  if (failed > 0) {
    return absl::DataLossError(absl::StrCat(path, ": ", failed,
                                            " checkpoint(s) not held or not trusted"));
  }
  return absl::OkStatus();
}

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
  RETURN_IF_ERROR(CheckCheckpoints(in, path));
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
                             "trail must still hold its first N entries unchanged"},
                    {.name = "checkpoint", .value_name = "FILE",
                     .help = "a checkpoint cpcd signed (--audit_checkpoint_dir): the trail must "
                             "still hold the head it vouches for",
                     .repeated = true},
                    {.name = "checkpoint-key", .value_name = "HEX|FILE",
                     .help = "the public key checkpoints must be signed with (cpcd's KEY.pub)"}},
          .example = "cpc-lab verify-audit data/cpctrack.db --checkpoint "
                     "checkpoints/checkpoint-000000001042-20261203T160000Z.txt "
                     "--checkpoint-key cpcd-checkpoint.key.pub",
          .run = RunVerifyAudit};
}

}  // namespace cpclab
