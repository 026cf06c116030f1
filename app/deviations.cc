#include "app/deviations.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

std::string DeviationResource(const domain::Din& batch_id, int64_t deviation_id) {
  return absl::StrCat("batches/", batch_id.compact(), "/deviations/", deviation_id);
}

absl::StatusOr<DeviationFacts> LoadDeviationFacts(store::Transaction& tx, int64_t deviation_id) {
  if (deviation_id <= 0) return absl::InvalidArgumentError("deviation_id: required");
  ASSIGN_OR_RETURN(std::string batch_id, tx.DeviationBatch(deviation_id));
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> all, tx.LoadDeviations(din));
  for (const domain::Deviation& d : all) {
    if (d.deviation_id == deviation_id) return DeviationFacts{std::move(batch), all, d};
  }
  return absl::InternalError(absl::StrCat("deviation ", deviation_id, " vanished"));
}

absl::StatusOr<domain::Deviation> OpenDeviation(store::Transaction& tx, const WriteContext& ctx,
                                                const domain::Din& batch_id,
                                                domain::DeviationKind kind,
                                                const std::string& description) {
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(batch_id));
  ASSIGN_OR_RETURN(domain::Deviation d,
                   domain::DecideOpenDeviation(batch, kind, description, ctx.step()));
  RETURN_IF_ERROR(tx.InsertDeviation(batch_id, d));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kDeviationOpen,
                              DeviationResource(batch.batch_id, d.deviation_id), "",
                              domain::ToJson(d), d.description, ctx.request_id));
  return d;
}

absl::StatusOr<DeviationFacts> AddDeviationNote(store::Transaction& tx, const WriteContext& ctx,
                                                int64_t deviation_id, const std::string& text) {
  ASSIGN_OR_RETURN(DeviationFacts facts, LoadDeviationFacts(tx, deviation_id));
  ASSIGN_OR_RETURN(domain::DeviationNote note,
                   domain::DecideAddNote(facts.batch, facts.deviation, text, ctx.step()));
  RETURN_IF_ERROR(tx.InsertDeviationNote(deviation_id, note));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kDeviationAddNote,
                              DeviationResource(facts.batch.batch_id, deviation_id), "",
                              domain::ToJson(note), "", ctx.request_id));
  return LoadDeviationFacts(tx, deviation_id);
}

absl::StatusOr<ClosedDeviation> CloseDeviation(store::Transaction& tx, const WriteContext& ctx,
                                               int64_t deviation_id,
                                               const domain::CloseRequest& request,
                                               const std::optional<Signer>& physician) {
  ASSIGN_OR_RETURN(DeviationFacts facts, LoadDeviationFacts(tx, deviation_id));
  ASSIGN_OR_RETURN(std::optional<domain::BatchState> before,
                   tx.StateBeforeQuarantine(facts.batch.batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(facts.batch.batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::QcTest> tests, tx.LoadTests(facts.batch.batch_id));
  ASSIGN_OR_RETURN(domain::CloseDecision decision,
                   domain::DecideCloseDeviation(
                       facts.batch, before.value_or(domain::BatchState::kRegistered),
                       facts.deviation, facts.all, units, tests, request, ctx.step()));
  RETURN_IF_ERROR(tx.InsertDeviationClosure(deviation_id, decision.closure));
  const std::string resource = DeviationResource(facts.batch.batch_id, deviation_id);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kDeviationClose,
                              resource, domain::ToJson(facts.deviation),
                              domain::ToJson(decision.closure), decision.closure.reason,
                              ctx.request_id));
  // Signed: the deviation as it stood and the closure that disposes of it.
  const std::string signed_content =
      absl::StrCat(domain::ToJson(facts.deviation), "\n", domain::ToJson(decision.closure));
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, ctx, domain::SignatureMeaning::kDeviationDisposition,
                                   resource, signed_content));
  // The physician's request, signed on the same record.
  std::optional<domain::Signature> physician_signature;
  if (physician.has_value()) {
    WriteContext by_physician = ctx;
    by_physician.user = physician->user;
    by_physician.full_name = physician->full_name;
    ASSIGN_OR_RETURN(physician_signature,
                     RecordSignature(tx, by_physician,
                                     domain::SignatureMeaning::kPhysicianUseRequested, resource,
                                     signed_content));
  }
  const std::string cause =
      absl::StrCat("deviation ", deviation_id, " closed: ",
                   domain::DispositionName(request.disposition), " (", decision.closure.reason, ")");
  ASSIGN_OR_RETURN(StoredEffects effects,
                   StoreEffects(tx, facts.batch, std::move(decision.effects), ctx.now, ctx.user,
                                cause, ctx.request_id));
  ASSIGN_OR_RETURN(DeviationFacts after, LoadDeviationFacts(tx, deviation_id));
  return ClosedDeviation{std::move(after), std::move(effects.changed_unit_ids),
                         std::move(signature), std::move(physician_signature)};
}

}  // namespace cpctrack::app
