// QA's release of a batch for infusion: an electronic signature of the
// release and, through its record hash, of the batch record exactly as
// evaluated. Whether the batch may be released and what the release does to
// it are the domain's (domain::DecideRelease).
#ifndef CPCTRACK_APP_RELEASE_H_
#define CPCTRACK_APP_RELEASE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "app/readiness.h"
#include "app/write_context.h"
#include "domain/din.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

struct ReleaseOutcome {
  // The batch as the release leaves it: facts.release is the new release
  // (with its ID), release_signature its signature, the batch its new state.
  std::unique_ptr<BatchReadiness> readiness;
  domain::Signature signature;  // == *readiness->release_signature
};

// Releases batch `batch_id`, signed by `ctx.user` (`ctx.full_name`) at
// `ctx.now`: the release row, its audit entry (batch.release), the signature
// (kBatchReleased, with its audit entry) and the release's effects on the
// batch and its units. The signer's password is checked before (by cpcd).
absl::StatusOr<ReleaseOutcome> ReleaseBatch(store::Transaction& tx, const WriteContext& ctx,
                                            const domain::Din& batch_id);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_RELEASE_H_
