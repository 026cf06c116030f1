// `cpc-lab verify-audit DB [--expect-head N:HASH]`: the audit hash chain of a
// database file checked offline, read-only, with the same verifier cpcd runs
// at start-up (domain/audit_chain.h). verify-backup runs it too.
#ifndef CPCTRACK_LAB_TOOLS_VERIFY_AUDIT_H_
#define CPCTRACK_LAB_TOOLS_VERIFY_AUDIT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "client/command_line.h"
#include "domain/audit_chain.h"

namespace cpclab {

// Opens `path` read-only and verifies its chain (and `expect`). NotFound
// when the file is missing; FailedPrecondition when its schema has no chain.
absl::StatusOr<cpctrack::domain::AuditVerification> VerifyAuditFile(
    const std::string& path, std::optional<cpctrack::domain::AuditHead> expect = std::nullopt);

// "1234 entries, head 1234:ab12…, 1 acknowledged break"
std::string SummarizeAudit(const cpctrack::domain::AuditVerification& verification);

cpc::CommandSpec VerifyAuditCommand();

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_VERIFY_AUDIT_H_
