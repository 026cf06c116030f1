// Writes about the audit trail itself: an auditor's export recorded in the
// trail before it is listed, and an administrator's acknowledgement of the
// breaks the chain check found.
#ifndef CPCTRACK_APP_AUDIT_RECORDS_H_
#define CPCTRACK_APP_AUDIT_RECORDS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/write_context.h"
#include "domain/audit_chain.h"
#include "store/store.h"

namespace cpctrack::app {

// Records `ctx.user`'s export of the entries `filter_json` selects
// (audit.export, resource "audit"); answers the entry's sequence, up to
// which the export lists.
absl::StatusOr<int64_t> RecordAuditExport(store::Transaction& tx, const WriteContext& ctx,
                                          absl::string_view filter_json);

// Acknowledges every break of the chain not yet acknowledged, by `ctx.user`
// (an administrator, checked by the caller) for `reason`, one audit entry
// (audit.acknowledge_break) each; answers the breaks acknowledged.
absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Transaction& tx, const WriteContext& ctx, absl::string_view reason);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_AUDIT_RECORDS_H_
