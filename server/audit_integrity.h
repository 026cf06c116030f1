// cpcd's side of the audit hash chain: the check at start-up, and the
// administrator's acknowledgement of a break (run from the command line on
// the server, never over the API).
#ifndef CPCTRACK_SERVER_AUDIT_INTEGRITY_H_
#define CPCTRACK_SERVER_AUDIT_INTEGRITY_H_

#include <optional>
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
  // The signed checkpoint verification started after (entries up to it were
  // taken as it vouched for them); nullopt: the whole trail was verified.
  std::optional<domain::AuditHead> from_checkpoint;
  absl::Duration took;
  // OK, or the FailedPrecondition every write now gets.
  absl::Status write_refusal;
};

// Verifies the chain, from `trusted` (the head of the last checkpoint cpcd
// can trust) when given, else from the first entry; on an unacknowledged
// break, or a trail that no longer holds the checkpoint, makes `store` refuse
// every write with a FailedPrecondition naming the problem and what to do.
absl::StatusOr<StartUpAuditCheck> CheckAuditChainAtStartUp(
    store::Store& store, absl::string_view db_path,
    std::optional<domain::AuditHead> trusted = std::nullopt);

// The full verification, every entry (run in the background after a start
// from a checkpoint, and on demand): refuses writes like the start-up check
// when the trail does not hold.
absl::StatusOr<domain::AuditVerification> VerifyWholeAuditTrail(store::Store& store,
                                                                absl::string_view db_path);

// Appends one `audit.acknowledge_break` entry per unacknowledged break, by
// `administrator` with `reason`, in one transaction; returns the breaks
// acknowledged (none when the chain holds). The break stays on record:
// verification reports it as acknowledged from then on. `administrator` must
// be an enabled user with the administrator role, and `password` theirs
// (UNAUTHENTICATED / PERMISSION_DENIED otherwise): a name typed on the
// server's console is not proof of who typed it.
absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Store& store, absl::string_view administrator, absl::string_view password,
    absl::string_view reason);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_AUDIT_INTEGRITY_H_
