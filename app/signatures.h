// Electronic signatures inside a write: stored bound to the exact content of
// the record signed, with their audit entry. The signer's password is
// checked before the write is queued (server/signatures.h): by the time the
// application layer sees a signature, its signer is who the context says.
#ifndef CPCTRACK_APP_SIGNATURES_H_
#define CPCTRACK_APP_SIGNATURES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/write_context.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// Stores `ctx.user`'s signature (`ctx.full_name`, at `ctx.now`) of
// `resource`, whose content is `record_content`, with an audit entry.
// AlreadyExists if that record already carries a signature of this meaning.
absl::StatusOr<domain::Signature> RecordSignature(store::Transaction& tx, const WriteContext& ctx,
                                                  domain::SignatureMeaning meaning,
                                                  absl::string_view resource,
                                                  absl::string_view record_content);

// Whether `signature` was made on this very content of its record.
bool SignatureMatches(const domain::Signature& signature, absl::string_view record_content);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_SIGNATURES_H_
