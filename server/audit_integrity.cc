#include "server/audit_integrity.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/patient.h"
#include "domain/status_macros.h"
#include "server/audit_support.h"

namespace cpctrack::server {

absl::StatusOr<StartUpAuditCheck> CheckAuditChainAtStartUp(store::Store& store,
                                                           absl::string_view db_path) {
  StartUpAuditCheck check;
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(check.verification, tx.VerifyAuditChain());
    return absl::OkStatus();
  }));
  check.took = absl::Now() - start;
  if (const domain::AuditBreak* b = check.verification.FirstUnacknowledged(); b != nullptr) {
    check.write_refusal = absl::FailedPreconditionError(absl::StrCat(
        "the audit trail is broken: ", b->Describe(),
        ". cpcd serves reads but refuses writes until an administrator acknowledges the "
        "break on the server: stop cpcd, run `cpcd --db ", db_path,
        " --acknowledge_audit_break=REASON --acknowledged_by=NAME` and start it again "
        "(docs/operations.md, \"Audit trail: verifying and acknowledging\")"));
    store.RefuseWrites(check.write_refusal);
  }
  return check;
}

absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Store& store, absl::string_view administrator, absl::string_view reason) {
  RETURN_IF_ERROR(domain::ValidateIdentifier("--acknowledged_by", administrator));
  if (reason.empty()) {
    return absl::InvalidArgumentError(
        "--acknowledge_audit_break: give the reason (what was found and done)");
  }
  std::vector<domain::AuditBreak> acknowledged;
  RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(domain::AuditVerification verification, tx.VerifyAuditChain());
    const absl::Time now = absl::Now();
    for (const domain::AuditBreak& b : verification.breaks) {
      if (b.acknowledged_by != 0) continue;
      RETURN_IF_ERROR(AppendAudit(tx, now, administrator, domain::kAcknowledgeBreakAction,
                                  absl::StrCat("audit/entries/", b.sequence), "",
                                  domain::AcknowledgementValue(b), reason, ""));
      acknowledged.push_back(b);
    }
    return absl::OkStatus();
  }));
  return acknowledged;
}

}  // namespace cpctrack::server
