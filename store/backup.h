// `cpcd backup` and `cpcd verify-backup`: a consistent copy of a live
// cpctrack database, taken with SQLite's online backup API while cpcd keeps
// writing, and the checks a restore depends on.
#ifndef CPCTRACK_STORE_BACKUP_H_
#define CPCTRACK_STORE_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cpctrack::store {

struct BackupSummary {
  int64_t pages = 0;
  int schema_version = 0;
  int64_t last_audit_sequence = 0;  // the newest write the copy holds
};

// Copies `source` (a live WAL database) to `destination` in one read
// transaction: the copy is the database as of one commit, and cpcd's writers
// are not blocked (WAL readers never block writers). The copy is written
// beside `destination` and renamed into place, with journal_mode=DELETE so
// it is one self-contained file. FailedPrecondition when `destination` exists.
absl::StatusOr<BackupSummary> BackupDatabase(const std::string& source,
                                             const std::string& destination);

struct BackupCheck {
  std::string name;    // "integrity", "audit trail"
  bool ok = false;
  std::string detail;  // "ok", "sequence 1-42 without gaps", the problem
};

// Opens `path` read-only and checks: PRAGMA integrity_check,
// PRAGMA foreign_key_check, the schema version against this build's, the
// audit trail's sequence gapless from 1, and the audit hash chain (when the
// schema has one). NotFound when the file is missing; otherwise every check,
// passed or failed.
absl::StatusOr<std::vector<BackupCheck>> VerifyBackup(const std::string& path);

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_BACKUP_H_
