// Signed checkpoints of the audit chain's head. A chain alone can be
// rewritten end to end by someone with the file and this source; a head
// signed with a key that is not in the database, kept where the database is
// not (another disk, syslog/journald, an inspector's copy), cannot.
// Ed25519 (libsodium). The text form is what is written and signed:
//
//   cpctrack audit checkpoint v1
//   entries 1042
//   head 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//   time 2026-12-03T16:00:00Z
//   key 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c
//   signature 8a...(128 hex digits)
#ifndef CPCTRACK_DOMAIN_AUDIT_CHECKPOINT_H_
#define CPCTRACK_DOMAIN_AUDIT_CHECKPOINT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/audit_chain.h"

namespace cpctrack::domain {

struct AuditCheckpoint {
  AuditHead head;       // vouches for entries 1..head.entries
  absl::Time at;        // when it was signed (whole seconds, UTC)
  std::string key_hex;  // the signer's Ed25519 public key, 64 hex digits
  std::string signature_hex;
};

// An Ed25519 key pair, raw bytes (32-byte public, 64-byte secret).
struct CheckpointKey {
  std::string public_key;
  std::string secret_key;
  std::string PublicHex() const;
};
CheckpointKey NewCheckpointKey();
// InvalidArgument unless `secret_key` is 64 bytes of an Ed25519 secret key.
absl::StatusOr<CheckpointKey> CheckpointKeyFromSecret(absl::string_view secret_key);

AuditCheckpoint SignCheckpoint(const AuditHead& head, absl::Time at, const CheckpointKey& key);

// The whole text, signature line included, ending in a newline.
std::string FormatCheckpoint(const AuditCheckpoint& checkpoint);
// One line for syslog/journald: "cpctrack audit checkpoint entries=N head=H
// time=T key=K signature=S".
std::string CheckpointLogLine(const AuditCheckpoint& checkpoint);
// Either form. InvalidArgument naming what is missing or malformed.
absl::StatusOr<AuditCheckpoint> ParseCheckpoint(absl::string_view text);

// OK when the signature is the key's on exactly this head and time, and the
// key is `trusted_key_hex` (when not empty). PermissionDenied otherwise.
absl::Status VerifyCheckpoint(const AuditCheckpoint& checkpoint,
                              absl::string_view trusted_key_hex = "");

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_AUDIT_CHECKPOINT_H_
