#include "server/credentials.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace cpctrack::server {

absl::StatusOr<PasswordHashing> ParsePasswordHashing(absl::string_view name) {
  if (name == "interactive") return PasswordHashing::kInteractive;
  if (name == "moderate") return PasswordHashing::kModerate;
  if (name == "fast-for-tests") return PasswordHashing::kFastForTests;
  return absl::InvalidArgumentError(absl::StrCat(
      "--password_hashing: \"", name, "\" is not interactive, moderate or fast-for-tests"));
}

absl::Status InitCrypto() {
  if (sodium_init() < 0) return absl::InternalError("libsodium cannot be initialized");
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(absl::string_view password, PasswordHashing cost) {
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (cost == PasswordHashing::kModerate) {
    ops = crypto_pwhash_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_MEMLIMIT_MODERATE;
  } else if (cost == PasswordHashing::kFastForTests) {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash the password");
  }
  return std::string(out);
}

bool PasswordMatches(absl::string_view hash, absl::string_view password) {
  const std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string NewSessionToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string TokenHash(absl::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace cpctrack::server
