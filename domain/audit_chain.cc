#include "domain/audit_chain.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace cpctrack::domain {
namespace {

void AppendField(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ",");
}

bool IsHexHash(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

// Enough of a hash to tell two apart in a message; the full values are in
// the acknowledgement and in verify-audit's report.
std::string Short(absl::string_view hash) {
  return hash.size() > 16 ? absl::StrCat(hash.substr(0, 16), "…") : std::string(hash);
}

}  // namespace

const char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string CanonicalAuditBytes(const AuditEntry& entry, absl::string_view prev_hash) {
  std::string out = "cpctrack-audit-v1,";
  AppendField(out, absl::StrCat(entry.sequence));
  AppendField(out, absl::StrCat(absl::ToUnixMicros(entry.at)));
  for (absl::string_view field : {absl::string_view(entry.actor), absl::string_view(entry.action),
                                  absl::string_view(entry.resource),
                                  absl::string_view(entry.old_value),
                                  absl::string_view(entry.new_value),
                                  absl::string_view(entry.reason),
                                  absl::string_view(entry.request_id), prev_hash}) {
    AppendField(out, field);
  }
  return out;
}

std::string AuditHash(const AuditEntry& entry, absl::string_view prev_hash) {
  return Sha256Hex(CanonicalAuditBytes(entry, prev_hash));
}

std::string FormatHead(const AuditHead& head) { return absl::StrCat(head.entries, ":", head.hash); }

absl::StatusOr<AuditHead> ParseHead(absl::string_view text) {
  const size_t colon = text.find(':');
  AuditHead head;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(text.substr(0, colon), &head.entries) ||
      head.entries < 0 || !IsHexHash(text.substr(colon + 1))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "head \"", text, "\" is not N:HASH (an entry count and 64 lowercase hex digits, "
        "as `cpc audit head` prints it)"));
  }
  head.hash = std::string(text.substr(colon + 1));
  return head;
}

std::string AuditBreak::Describe() const {
  std::string text;
  switch (kind) {
    case AuditBreakKind::kMissingEntries:
      text = absl::StartsWith(found, "sequence ")
                 ? absl::StrCat("entry ", sequence, " is missing (the trail goes on at ",
                                found.substr(9), ")")
                 : absl::StrCat("entry ", sequence, " was deleted (its hash remains)");
      break;
    case AuditBreakKind::kMissingHash:
      text = absl::StrCat("entry ", sequence, " has no hash (it was added outside cpcd)");
      break;
    case AuditBreakKind::kBrokenLink:
      text = absl::StrCat("entry ", sequence, " does not follow entry ", sequence - 1,
                          ": it names previous hash ", Short(found), ", entry ", sequence - 1,
                          " has hash ", Short(expected), " (an entry or hash before it was "
                          "removed or rewritten)");
      break;
    case AuditBreakKind::kChangedEntry:
      text = absl::StrCat("entry ", sequence, " was changed after it was written: its hash is ",
                          Short(expected), ", its content now hashes to ", Short(found));
      break;
  }
  if (acknowledged_by != 0) absl::StrAppend(&text, " (acknowledged in entry ", acknowledged_by, ")");
  return text;
}

std::string AcknowledgementValue(const AuditBreak& b) {
  static constexpr const char* kKinds[] = {"missing_entries", "missing_hash", "broken_link",
                                           "changed_entry"};
  return JsonObject()
      .Add("broken_sequence", b.sequence)
      .Add("problem", kKinds[static_cast<int>(b.kind)])
      .Add("expected", b.expected)
      .Add("found", b.found)
      .Build();
}

const AuditBreak* AuditVerification::FirstUnacknowledged() const {
  for (const AuditBreak& b : breaks) {
    if (b.acknowledged_by == 0) return &b;
  }
  return nullptr;
}

AuditChainVerifier::AuditChainVerifier(std::optional<AuditHead> expect)
    : expect_(std::move(expect)), prev_hash_(kGenesisHash) {
  result_.head = {0, kGenesisHash};
}

void AuditChainVerifier::StartAfter(const AuditHead& trusted) {
  last_sequence_ = trusted.entries;
  prev_hash_ = trusted.hash;
  result_.entries = trusted.entries;
  result_.head = trusted;
}

void AuditChainVerifier::AddBreak(AuditBreak b) {
  if (result_.breaks.size() < AuditVerification::kMaxBreaks) {
    result_.breaks.push_back(std::move(b));
  } else {
    ++result_.breaks_not_listed;
  }
}

void AuditChainVerifier::Add(int64_t sequence, const AuditEntry* entry, const AuditLink* link) {
  const bool after_gap = sequence != last_sequence_ + 1;
  if (after_gap) {
    AddBreak({.sequence = last_sequence_ + 1,
              .kind = AuditBreakKind::kMissingEntries,
              .expected = absl::StrCat("sequence ", last_sequence_ + 1),
              .found = absl::StrCat("sequence ", sequence)});
  }
  bool intact = !after_gap;
  std::string hash;
  if (entry == nullptr) {
    AddBreak({.sequence = sequence,
              .kind = AuditBreakKind::kMissingEntries,
              .expected = absl::StrCat("sequence ", sequence),
              .found = "hash only"});
    hash = link->hash;
    intact = false;
  } else if (link == nullptr) {
    hash = AuditHash(*entry, prev_hash_);
    AddBreak({.sequence = sequence, .kind = AuditBreakKind::kMissingHash, .expected = hash,
              .found = "none"});
    intact = false;
  } else {
    // Across a gap the link cannot be checked: the gap is the break.
    if (!after_gap && link->prev_hash != prev_hash_) {
      AddBreak({.sequence = sequence, .kind = AuditBreakKind::kBrokenLink,
                .expected = prev_hash_, .found = link->prev_hash});
      intact = false;
    }
    const std::string content_hash = AuditHash(*entry, link->prev_hash);
    if (content_hash != link->hash) {
      AddBreak({.sequence = sequence, .kind = AuditBreakKind::kChangedEntry,
                .expected = link->hash, .found = content_hash});
      intact = false;
    }
    hash = link->hash;
  }
  if (intact && entry->action == AuditActionName(AuditAction::kAuditAcknowledgeBreak)) {
    acknowledgements_.emplace_back(entry->new_value, sequence);
  }
  // The next entry is checked against this one's stored hash, so one edit is
  // one break, not a break of everything after it.
  prev_hash_ = hash;
  if (expect_.has_value() && sequence == expect_->entries) expected_entry_hash_ = hash;
  if (entry != nullptr) ++result_.entries;
  last_sequence_ = sequence;
  result_.head = {sequence, hash};
}

AuditVerification AuditChainVerifier::Finish() {
  for (AuditBreak& b : result_.breaks) {
    const std::string value = AcknowledgementValue(b);
    for (const auto& [ack_value, ack_sequence] : acknowledgements_) {
      if (ack_sequence > b.sequence && ack_value == value) {
        b.acknowledged_by = ack_sequence;
        break;
      }
    }
  }
  if (expect_.has_value()) {
    const int64_t n = expect_->entries;
    if (n == 0) {
      if (expect_->hash != kGenesisHash) {
        result_.head_mismatch = "the head 0:HASH of an empty trail has 64 zeros as its hash";
      }
    } else if (!expected_entry_hash_.has_value()) {
      result_.head_mismatch =
          absl::StrCat("the trail ends at entry ", last_sequence_, ", but the head given names entry ",
                       n, ": entries were removed");
    } else if (*expected_entry_hash_ != expect_->hash) {
      result_.head_mismatch = absl::StrCat(
          "entry ", n, " has hash ", *expected_entry_hash_, ", not ", expect_->hash,
          " as in the head given: the trail was rewritten at or before entry ", n);
    } else {
      for (const AuditBreak& b : result_.breaks) {
        if (b.sequence <= n) {
          result_.head_mismatch = absl::StrCat(
              "the first ", n, " entries did not stay unchanged since the head given: ",
              b.Describe());
          break;
        }
      }
    }
  }
  return std::move(result_);
}

std::string SummarizeVerification(const AuditVerification& v) {
  int acknowledged = 0;
  for (const AuditBreak& b : v.breaks) acknowledged += b.acknowledged_by != 0;
  std::string text = absl::StrCat(v.entries, " entries, head ", FormatHead(v.head));
  if (acknowledged > 0) {
    absl::StrAppend(&text, ", ", acknowledged, " acknowledged break",
                    acknowledged == 1 ? "" : "s");
  }
  return text;
}

}  // namespace cpctrack::domain
