// The audit trail's hash chain: each entry's hash covers its canonical bytes
// and the previous entry's hash, so an entry edited or deleted outside cpcd
// breaks the chain. The chain's head (entry count and hash) is what an
// auditor carries away to prove later that the trail was not rewritten.
#ifndef CPCTRACK_DOMAIN_AUDIT_CHAIN_H_
#define CPCTRACK_DOMAIN_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/audit.h"
#include "domain/audit_action.h"

namespace cpctrack::domain {

// The previous hash of the first entry: 64 zeros.
extern const char kGenesisHash[];
// An administrator's acknowledgement of a break is an entry with action
// AuditAction::kAuditAcknowledgeBreak (domain/audit_action.h).

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view bytes);

// The bytes an entry's hash covers: a version tag, then the sequence, the
// time in microseconds since the epoch (what the store keeps), every text
// field and `prev_hash`, each as "LENGTH:BYTES," so no two entries share an
// encoding.
std::string CanonicalAuditBytes(const AuditEntry& entry, absl::string_view prev_hash);
std::string AuditHash(const AuditEntry& entry, absl::string_view prev_hash);

// An entry's stored place in the chain.
struct AuditLink {
  std::string prev_hash;
  std::string hash;
};

// The chain's head: the last entry's sequence and hash ({0, kGenesisHash}
// for an empty trail). Written "N:HASH".
struct AuditHead {
  int64_t entries = 0;
  std::string hash;
};
std::string FormatHead(const AuditHead& head);
// InvalidArgument naming the text unless it is "N:HASH" with 64 hex digits.
absl::StatusOr<AuditHead> ParseHead(absl::string_view text);

enum class AuditBreakKind {
  kMissingEntries,  // sequences skipped, or an entry deleted with its hash left
  kMissingHash,     // an entry without a hash
  kBrokenLink,      // an entry's previous hash is not the previous entry's hash
  kChangedEntry,    // an entry's content (or its previous hash) no longer hashes to its hash
};

// One place where the chain does not hold. `expected` and `found` are
// hashes, or "sequence N" for missing entries.
struct AuditBreak {
  int64_t sequence = 0;  // the first broken entry
  AuditBreakKind kind = AuditBreakKind::kChangedEntry;
  std::string expected;
  std::string found;
  int64_t acknowledged_by = 0;  // the acknowledging entry's sequence; 0: not acknowledged

  // "entry 42 was changed after it was written: its hash is ab12…, its content hashes to 9f…"
  std::string Describe() const;
};

// The canonical JSON an acknowledgement entry records as its new value. An
// acknowledgement covers exactly this break: the same entry changed again is
// a new break.
std::string AcknowledgementValue(const AuditBreak& b);

struct AuditVerification {
  int64_t entries = 0;  // entries read
  AuditHead head;
  std::vector<AuditBreak> breaks;  // in sequence order, acknowledged ones included
  int64_t breaks_not_listed = 0;   // beyond the first kMaxBreaks
  // Set when an expected head was given and the trail does not hold it.
  std::optional<std::string> head_mismatch;

  static constexpr size_t kMaxBreaks = 1000;
  // The first break no acknowledgement covers; nullptr when none.
  const AuditBreak* FirstUnacknowledged() const;
  // No unacknowledged break and no head mismatch.
  bool ok() const { return FirstUnacknowledged() == nullptr && !head_mismatch.has_value(); }
};

// "1234 entries, head 1234:ab12…, 1 acknowledged break"
std::string SummarizeVerification(const AuditVerification& verification);

// Checks a trail fed to it entry by entry, in sequence order, in memory that
// does not grow with the trail's length.
class AuditChainVerifier {
 public:
  // `expect`: a head an auditor saw before; the trail must still hold its
  // first `expect->entries` entries unchanged (no break at or before them,
  // acknowledged or not, and the same hash at that entry).
  explicit AuditChainVerifier(std::optional<AuditHead> expect = std::nullopt);

  // Verifies only what follows a trusted head (a verified checkpoint, see
  // audit_checkpoint.h): the next entry must link to its hash. Entries up to
  // it are taken as the checkpoint vouched for them. Call before Add().
  void StartAfter(const AuditHead& trusted);

  // One stored sequence: the entry (nullptr when only its hash is left) and
  // its link (nullptr when it has none). REQUIRES: increasing `sequence`.
  void Add(int64_t sequence, const AuditEntry* entry, const AuditLink* link);
  AuditVerification Finish();

 private:
  void AddBreak(AuditBreak b);

  std::optional<AuditHead> expect_;
  std::optional<std::string> expected_entry_hash_;  // the stored hash at expect_->entries
  AuditVerification result_;
  int64_t last_sequence_ = 0;
  std::string prev_hash_;
  // Acknowledgement values of intact entries, with their sequences.
  std::vector<std::pair<std::string, int64_t>> acknowledgements_;
};

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_AUDIT_CHAIN_H_
