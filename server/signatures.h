// Electronic signatures for every signed step (result review, deviation
// disposition, release): the signer re-enters their password in the same
// request, and the signature is stored bound to the exact record content.
#ifndef CPCTRACK_SERVER_SIGNATURES_H_
#define CPCTRACK_SERVER_SIGNATURES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cpctrack/v1/signatures.pb.h"
#include "domain/signature.h"
#include "server/api_mapping.h"
#include "server/call_support.h"
#include "server/password_pool.h"
#include "store/store.h"

namespace cpctrack::server {

// Re-authenticates `caller` with the password in `request`, like a login
// (throttled, failures audited), on `pool`: Argon2id is slow. Answers OK, or
// UNAUTHENTICATED for a missing or wrong password; the write that the
// signature authorizes follows with Then().
Reply VerifySigner(store::Store& store, PasswordPool& pool, const Caller& caller,
                   const v1::SignatureRequest& request, absl::Time now);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SIGNATURES_H_
