// cpcd's side of the audit hash chain: the check at start-up, and the
// administrator's acknowledgement of a break (run from the command line on
// the server, never over the API).
#ifndef CPCTRACK_SERVER_AUDIT_INTEGRITY_H_
#define CPCTRACK_SERVER_AUDIT_INTEGRITY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audit_chain.h"
#include "store/store.h"

namespace cpctrack::server {

struct StartUpAuditCheck {
  domain::AuditVerification verification;
  absl::Duration took;
  // OK, or the FailedPrecondition every write now gets.
  absl::Status write_refusal;
};

// Verifies the whole chain; on an unacknowledged break makes `store` refuse
// every write with a FailedPrecondition naming the first broken entry and how
// to acknowledge it.
absl::StatusOr<StartUpAuditCheck> CheckAuditChainAtStartUp(store::Store& store,
                                                           absl::string_view db_path);

// Appends one `audit.acknowledge_break` entry per unacknowledged break, by
// `administrator` with `reason`, in one transaction; returns the breaks
// acknowledged (none when the chain holds). The break stays on record:
// verification reports it as acknowledged from then on.
absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Store& store, absl::string_view administrator, absl::string_view reason);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_AUDIT_INTEGRITY_H_
