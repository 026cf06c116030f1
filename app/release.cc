#include "app/release.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/release_steps.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

absl::StatusOr<ReleaseOutcome> ReleaseBatch(store::Transaction& tx, const WriteContext& ctx,
                                            const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(std::unique_ptr<BatchReadiness> loaded,
                   LoadReadiness(tx, batch_id, ctx.now, ctx.zone));
  ASSIGN_OR_RETURN(domain::ReleaseDecision decision,
                   domain::DecideRelease(loaded->facts, ctx.step()));
  domain::Release& release = decision.release;
  RETURN_IF_ERROR(tx.InsertRelease(batch_id, release));
  const std::string resource =
      absl::StrCat("batches/", batch_id.compact(), "/releases/", release.release_id);
  const std::string record = domain::ToJson(release);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kBatchRelease,
                              resource, "", record, release.meaning, ctx.request_id));
  // Signed: the release, and through its record hash the batch record
  // exactly as evaluated.
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, ctx, domain::SignatureMeaning::kBatchReleased, resource,
                                   record));
  RETURN_IF_ERROR(StoreEffects(tx, loaded->batch.batch, std::move(decision.effects), ctx.now,
                               ctx.user, release.meaning, ctx.request_id)
                      .status());
  loaded->release_signature = signature;
  loaded->facts.release = std::move(release);
  return ReleaseOutcome{std::move(loaded), std::move(signature)};
}

}  // namespace cpctrack::app
