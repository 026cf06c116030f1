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

// Stores `caller`'s signature of `resource` whose content is
// `record_content` (with an audit entry) in `tx`, and fills `out`.
// AlreadyExists if that record already carries a signature of this meaning.
absl::StatusOr<domain::Signature> RecordSignature(store::Transaction& tx, const Caller& caller,
                                                  domain::SignatureMeaning meaning,
                                                  absl::string_view resource,
                                                  absl::string_view record_content,
                                                  absl::Time at, absl::string_view request_id,
                                                  v1::Signature* out);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SIGNATURES_H_
