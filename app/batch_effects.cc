#include "app/batch_effects.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "app/audit.h"

namespace cpctrack::app {
namespace {

domain::AuditAction UnitAction(domain::UnitEventKind kind) {
  switch (kind) {
    case domain::UnitEventKind::kQuarantined:
      return domain::AuditAction::kUnitQuarantine;
    case domain::UnitEventKind::kQuarantineLifted:
      return domain::AuditAction::kUnitLiftQuarantine;
    case domain::UnitEventKind::kDisposed:
      return domain::AuditAction::kUnitDispose;
    default:
      return domain::AuditAction::kUnitUpdate;
  }
}

}  // namespace

absl::StatusOr<StoredEffects> StoreEffects(store::Transaction& tx, domain::Batch& batch,
                                           domain::BatchEffects effects, absl::Time now,
                                           absl::string_view actor, absl::string_view reason,
                                           absl::string_view request_id) {
  StoredEffects stored;
  const std::string batch_resource = absl::StrCat("batches/", batch.batch_id.compact());
  for (domain::Deviation& d : effects.deviations_to_open) {
    RETURN_IF_ERROR(tx.InsertDeviation(batch.batch_id, d));
    RETURN_IF_ERROR(AppendAudit(tx, now, actor, domain::AuditAction::kDeviationOpen,
                                absl::StrCat(batch_resource, "/deviations/", d.deviation_id), "",
                                domain::ToJson(d), d.description, request_id));
    stored.opened.push_back(std::move(d));
  }
  for (const domain::UnitChange& change : effects.unit_changes) {
    ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(change.unit_id));
    domain::UnitEvent event;
    event.unit_id = change.unit_id;
    event.kind = change.event;
    event.from_state = change.from;
    event.to_state = change.to;
    event.from_position = unit.position;
    if (change.event != domain::UnitEventKind::kDisposed) event.to_position = unit.position;
    event.at = now;
    event.by = std::string(actor);
    event.reason = std::string(reason);
    RETURN_IF_ERROR(tx.InsertUnitEvent(event));
    RETURN_IF_ERROR(AppendAudit(tx, now, actor, UnitAction(change.event),
                                absl::StrCat("units/", change.unit_id), domain::ToJson(unit),
                                domain::ToJson(event), reason, request_id));
    stored.changed_unit_ids.push_back(change.unit_id);
  }
  if (effects.new_state.has_value() && *effects.new_state != batch.state) {
    const domain::Batch before = batch;
    batch.state = *effects.new_state;
    batch.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateBatchSummary(batch));
    RETURN_IF_ERROR(
        tx.InsertStateChange(batch.batch_id, before.state, batch.state, now, actor, reason));
    RETURN_IF_ERROR(AppendAudit(tx, now, actor, domain::AuditAction::kBatchUpdate, batch_resource,
                                domain::ToJson(before), domain::ToJson(batch), reason, request_id));
  }
  return stored;
}

}  // namespace cpctrack::app
