// Signed checkpoints of the audit head (domain/audit_checkpoint.h), written by
// cpcd outside its database: a file per checkpoint in a directory (which can
// be another disk or a mount an inspector reads) and a line in syslog, which
// journald keeps. The key is a file beside neither: created 0600 on first use,
// with its public half in KEY.pub for whoever verifies.
#ifndef CPCTRACK_SERVER_AUDIT_CHECKPOINTS_H_
#define CPCTRACK_SERVER_AUDIT_CHECKPOINTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audit_checkpoint.h"
#include "store/store.h"

namespace cpctrack::server {

struct CheckpointOptions {
  std::string directory;  // empty: no checkpoints
  std::string key_file;   // the Ed25519 secret key (hex); created when missing
  absl::Duration interval = absl::Hours(1);
};

// A checkpoint or key file, whole ("" when it cannot be read: parsing it
// then says what is wrong).
std::string ReadWholeFile(const std::string& path);

// Reads the key, or creates it (0600) and KEY.pub (its public hex).
absl::StatusOr<domain::CheckpointKey> LoadOrCreateCheckpointKey(const std::string& key_file);

// Signs the current head and writes it to `directory` (as
// checkpoint-ENTRIES-TIME.txt) and to syslog. Returns it.
absl::StatusOr<domain::AuditCheckpoint> WriteAuditCheckpoint(store::Store& store,
                                                            const domain::CheckpointKey& key,
                                                            const std::string& directory,
                                                            absl::Time now);

// The checkpoint in `directory` with the most entries whose signature is by
// `key` and holds; nullopt when there is none.
std::optional<domain::AuditCheckpoint> LastTrustedCheckpoint(const std::string& directory,
                                                             const domain::CheckpointKey& key);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_AUDIT_CHECKPOINTS_H_
