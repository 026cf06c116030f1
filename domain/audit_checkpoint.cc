#include "domain/audit_checkpoint.h"

#include <sodium.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cpctrack::domain {
namespace {

constexpr char kMagic[] = "cpctrack audit checkpoint v1";

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

bool IsHex(absl::string_view text, size_t digits) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) {
      return false;
    }
  }
  return true;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// What the signature covers: every line but the signature's.
std::string SignedText(const AuditHead& head, absl::Time at, absl::string_view key_hex) {
  return absl::StrCat(kMagic, "\nentries ", head.entries, "\nhead ", head.hash, "\ntime ",
                      Rfc3339(at), "\nkey ", key_hex, "\n");
}

}  // namespace

std::string CheckpointKey::PublicHex() const { return Hex(public_key); }

CheckpointKey NewCheckpointKey() {
  (void)sodium_init();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  CheckpointKey key{std::string(reinterpret_cast<char*>(pk), sizeof pk),
                    std::string(reinterpret_cast<char*>(sk), sizeof sk)};
  sodium_memzero(sk, sizeof sk);
  return key;
}

absl::StatusOr<CheckpointKey> CheckpointKeyFromSecret(absl::string_view secret_key) {
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint key: ", secret_key.size(), " bytes; an Ed25519 secret key has ",
        crypto_sign_SECRETKEYBYTES));
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(secret_key.data()));
  return CheckpointKey{std::string(reinterpret_cast<char*>(pk), sizeof pk),
                       std::string(secret_key)};
}

AuditCheckpoint SignCheckpoint(const AuditHead& head, absl::Time at, const CheckpointKey& key) {
  AuditCheckpoint cp{head, absl::FromUnixSeconds(absl::ToUnixSeconds(at)), key.PublicHex(), ""};
  const std::string text = SignedText(cp.head, cp.at, cp.key_hex);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), reinterpret_cast<const unsigned char*>(key.secret_key.data()));
  cp.signature_hex = Hex(absl::string_view(reinterpret_cast<char*>(sig), sizeof sig));
  return cp;
}

std::string FormatCheckpoint(const AuditCheckpoint& cp) {
  return absl::StrCat(SignedText(cp.head, cp.at, cp.key_hex), "signature ", cp.signature_hex,
                      "\n");
}

std::string CheckpointLogLine(const AuditCheckpoint& cp) {
  return absl::StrCat(kMagic, " entries=", cp.head.entries, " head=", cp.head.hash,
                      " time=", Rfc3339(cp.at), " key=", cp.key_hex,
                      " signature=", cp.signature_hex);
}

absl::StatusOr<AuditCheckpoint> ParseCheckpoint(absl::string_view text) {
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (!absl::ConsumePrefix(&rest, kMagic)) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: does not start with \"", kMagic, "\""));
  }
  AuditCheckpoint cp;
  bool has_entries = false, has_head = false, has_time = false;
  // Both forms reduce to NAME VALUE pairs.
  std::vector<std::string> words =
      absl::StrSplit(rest, absl::ByAnyChar(" \n="), absl::SkipEmpty());
  for (size_t i = 0; i + 1 < words.size(); i += 2) {
    const std::string& name = words[i];
    const std::string& value = words[i + 1];
    if (name == "entries") {
      has_entries = absl::SimpleAtoi(value, &cp.head.entries) && cp.head.entries >= 0;
    } else if (name == "head") {
      cp.head.hash = value;
      has_head = IsHex(value, 64);
    } else if (name == "time") {
      std::string error;
      has_time = absl::ParseTime("%Y-%m-%dT%H:%M:%SZ", value, &cp.at, &error);
    } else if (name == "key") {
      cp.key_hex = value;
    } else if (name == "signature") {
      cp.signature_hex = value;
    }
  }
  if (!has_entries || !has_head || !has_time || !IsHex(cp.key_hex, 64) ||
      !IsHex(cp.signature_hex, 128)) {
    return absl::InvalidArgumentError(
        "checkpoint: needs entries N, head (64 hex), time (RFC 3339 UTC), key (64 hex) and "
        "signature (128 hex)");
  }
  return cp;
}

absl::Status VerifyCheckpoint(const AuditCheckpoint& cp, absl::string_view trusted_key_hex) {
  (void)sodium_init();
  if (!trusted_key_hex.empty() && cp.key_hex != trusted_key_hex) {
    return absl::PermissionDeniedError(absl::StrCat(
        "checkpoint of ", cp.head.entries, " entries is signed by key ", cp.key_hex.substr(0, 16),
        "…, not the trusted key ", std::string(trusted_key_hex.substr(0, 16)), "…"));
  }
  const std::string pk = absl::HexStringToBytes(cp.key_hex);
  const std::string sig = absl::HexStringToBytes(cp.signature_hex);
  const std::string text = SignedText(cp.head, cp.at, cp.key_hex);
  if (pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size(),
                                  reinterpret_cast<const unsigned char*>(pk.data())) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "checkpoint of ", cp.head.entries, " entries: the signature does not match its content"));
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
