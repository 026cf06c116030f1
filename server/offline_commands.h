// cpcd's commands on the database file itself, run on the server by its
// administrator while cpcd may keep serving (WAL readers never block it):
//   cpcd backup OUT            a consistent copy (store/backup.h)
//   cpcd verify-backup FILE    the checks a restore depends on
//   cpcd verify-audit          the audit hash chain, against a head or
//                              checkpoints seen before
// The database is cpcd's alone: clients (cpc, cpc-lab, cpc-web) reach it
// only through the API.
#ifndef CPCTRACK_SERVER_OFFLINE_COMMANDS_H_
#define CPCTRACK_SERVER_OFFLINE_COMMANDS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/audit_chain.h"

namespace cpctrack::server {

// Each prints what it found on `out` and answers DataLoss when the copy or the
// trail fails a check, InvalidArgument for a malformed head or checkpoint.
absl::Status RunBackup(const std::string& db, const std::string& out_path, std::ostream& out);
absl::Status RunVerifyBackup(const std::string& path, std::ostream& out);

struct VerifyAuditOptions {
  std::optional<std::string> expect_head;  // "N:HASH" from `cpc audit head`
  std::vector<std::string> checkpoints;    // checkpoint files cpcd signed
  std::string checkpoint_key;              // trusted public key: 64 hex digits or a KEY.pub file
};
absl::Status RunVerifyAudit(const std::string& db, const VerifyAuditOptions& options,
                            std::ostream& out);

// The exit status of a command that answered `status`: 0, 1 when a check
// failed or the file could not be read, 2 for a malformed argument.
int ExitCode(const absl::Status& status);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_OFFLINE_COMMANDS_H_
