// Passwords and session tokens, with libsodium: passwords only as Argon2id
// hashes, tokens only as SHA-256 hashes.
#ifndef CPCTRACK_SERVER_CREDENTIALS_H_
#define CPCTRACK_SERVER_CREDENTIALS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpctrack::server {

// Argon2id cost of new password hashes. Verification always uses the cost
// stored in the hash, so changing this affects only passwords set later.
enum class PasswordHashing {
  kInteractive,  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): the default
  kModerate,     // MODERATE (3 passes, 256 MiB): slower logins and signatures
  kFastForTests, // MIN limits: only for test suites, never for real passwords
};

// "interactive", "moderate", "fast-for-tests".
absl::StatusOr<PasswordHashing> ParsePasswordHashing(absl::string_view name);

// Initializes libsodium; Internal if it cannot. Safe to call repeatedly.
absl::Status InitCrypto();

// An Argon2id hash in crypto_pwhash_str format ("$argon2id$v=19$m=…").
absl::StatusOr<std::string> HashPassword(absl::string_view password, PasswordHashing cost);
bool PasswordMatches(absl::string_view hash, absl::string_view password);

// 32 random bytes, base64url without padding: what the client holds.
std::string NewSessionToken();
// The raw SHA-256 of a token: what the database holds.
std::string TokenHash(absl::string_view token);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_CREDENTIALS_H_
