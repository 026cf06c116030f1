#include "app/audit_records.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "domain/audit.h"
#include "domain/audit_action.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

absl::StatusOr<int64_t> RecordAuditExport(store::Transaction& tx, const WriteContext& ctx,
                                          absl::string_view filter_json) {
  // The export's own entry: it lists up to and including itself, and its
  // sequence is what later pages of the export name.
  int64_t sequence = 0;
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kAuditExport, "audit",
                              "", std::string(filter_json), "", ctx.request_id, &sequence));
  return sequence;
}

absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Transaction& tx, const WriteContext& ctx, absl::string_view reason) {
  ASSIGN_OR_RETURN(domain::AuditVerification verification, tx.VerifyAuditChain());
  std::vector<domain::AuditBreak> acknowledged;
  for (const domain::AuditBreak& b : verification.breaks) {
    if (b.acknowledged_by != 0) continue;
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kAuditAcknowledgeBreak,
                                absl::StrCat("audit/entries/", b.sequence), "",
                                domain::AcknowledgementValue(b), reason, ctx.request_id));
    acknowledged.push_back(b);
  }
  return acknowledged;
}

}  // namespace cpctrack::app
