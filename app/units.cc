#include "app/units.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/batch_steps.h"
#include "app/qualifications.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

// Appends `event` with its audit entry, whose reason is the event's unless
// `why` says more (a late entry's reason).
absl::Status StoreUnitEvent(store::Transaction& tx, const WriteContext& ctx,
                            const domain::Unit& before, const domain::UnitEvent& event,
                            domain::AuditAction action, absl::string_view why = "") {
  RETURN_IF_ERROR(tx.InsertUnitEvent(event));
  return AppendAudit(tx, ctx.now, event.by, action, absl::StrCat("units/", event.unit_id),
                     domain::ToJson(before), domain::ToJson(event),
                     why.empty() ? absl::string_view(event.reason) : why, ctx.request_id);
}

// The unit as stored now.
absl::StatusOr<UnitWrite> UnitAfter(store::Transaction& tx, UnitFacts facts) {
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(facts.unit.unit_id));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(facts.batch.product_code, facts.batch.product_version));
  return UnitWrite{std::move(facts.batch), std::move(product), std::move(unit), {}};
}

// Inserts units just made (frozen or formulated), each with its audit entry
// and its late entry if the step was recorded late, and the batch's new
// state; answers them as stored.
absl::StatusOr<NewUnits> StoreNewUnits(store::Transaction& tx, const WriteContext& ctx,
                                       BatchFacts& facts, const std::vector<domain::Unit>& units,
                                       const std::vector<domain::LateEntry>& late_entries,
                                       domain::BatchState new_state, domain::AuditAction action,
                                       absl::string_view reason) {
  for (const domain::Unit& unit : units) {
    RETURN_IF_ERROR(tx.InsertUnit(unit));
    const std::string resource = absl::StrCat("units/", unit.unit_id);
    std::string why;
    for (const domain::LateEntry& late : late_entries) {
      if (late.resource == resource) {
        ASSIGN_OR_RETURN(why, StoreLateEntry(tx, facts.batch.batch_id, late));
      }
    }
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, action, resource, "",
                                domain::ToJson(unit), why, ctx.request_id));
  }
  domain::BatchEffects effects;
  effects.new_state = new_state;
  RETURN_IF_ERROR(
      StoreEffects(tx, facts.batch, std::move(effects), ctx.now, ctx.user, reason, ctx.request_id)
          .status());
  NewUnits out{facts.batch, facts.product, {}};
  for (const domain::Unit& unit : units) {
    ASSIGN_OR_RETURN(domain::Unit stored, tx.GetUnit(unit.unit_id));
    out.units.push_back(std::move(stored));
  }
  return out;
}

}  // namespace

absl::StatusOr<UnitFacts> LoadUnitFacts(store::Transaction& tx, absl::string_view unit_id) {
  ASSIGN_OR_RETURN(auto parsed, domain::ParseUnitId("unit_id", unit_id));
  const std::string id = domain::UnitId(parsed.first, parsed.second);
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(parsed.first));
  return UnitFacts{std::move(batch), std::move(unit)};
}

absl::StatusOr<NewUnits> FreezeUnits(store::Transaction& tx, const WriteContext& ctx,
                                     const domain::Din& batch_id, const domain::FreezePlan& plan) {
  ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, batch_id, Records::kReadByRules));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> existing, tx.LoadUnits(batch_id));
  std::vector<domain::Position> positions;
  for (const domain::FreezeUnit& unit : plan.units) positions.push_back(unit.position);
  ASSIGN_OR_RETURN(domain::StorageFacts storage, tx.LoadStorageFacts(positions));
  domain::StepResources resources;
  if (auto lot = tx.GetReagentLot(plan.medium_lot); lot.ok()) {
    resources.lots.emplace(plan.medium_lot, *std::move(lot));
  }
  if (!plan.freezer_id.empty()) {
    if (auto freezer = tx.GetEquipment(plan.freezer_id); freezer.ok()) {
      resources.equipment.emplace(plan.freezer_id, *std::move(freezer));
    }
  }
  ASSIGN_OR_RETURN(domain::FreezeDecision decision,
                   domain::DecideFreeze(facts.batch, facts.history, existing, plan, facts.product,
                                        storage, resources, ctx.step()));
  RETURN_IF_ERROR(RequireQualified(tx, ctx.user, domain::Step::kFreeze, plan.frozen_at, ctx.zone));
  return StoreNewUnits(tx, ctx, facts, decision.units, decision.late_entries, decision.new_state,
                       domain::AuditAction::kUnitFreeze,
                       absl::StrCat("frozen into ", decision.units.size(), " units"));
}

absl::StatusOr<NewUnits> FormulateFreshUnits(store::Transaction& tx, const WriteContext& ctx,
                                             const domain::Din& batch_id,
                                             const domain::FormulatePlan& plan) {
  ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, batch_id, Records::kReadByRules));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> existing, tx.LoadUnits(batch_id));
  domain::StepResources resources;
  if (auto lot = tx.GetReagentLot(plan.medium_lot); lot.ok()) {
    resources.lots.emplace(plan.medium_lot, *std::move(lot));
  }
  ASSIGN_OR_RETURN(domain::FormulateDecision decision,
                   domain::DecideFormulate(facts.batch, facts.history, existing, plan,
                                           facts.product, resources, ctx.step()));
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kFormulate, plan.formulated_at, ctx.zone));
  return StoreNewUnits(tx, ctx, facts, decision.units, decision.late_entries, decision.new_state,
                       domain::AuditAction::kUnitFormulate,
                       absl::StrCat("formulated as ", decision.units.size(), " fresh units"));
}

absl::StatusOr<UnitWrite> MoveUnit(store::Transaction& tx, const WriteContext& ctx,
                                   absl::string_view unit_id, const domain::Position& to,
                                   std::optional<absl::Time> moved_at, const std::string& reason) {
  ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, unit_id));
  ASSIGN_OR_RETURN(domain::StorageFacts storage, tx.LoadStorageFacts({to}));
  ASSIGN_OR_RETURN(domain::UnitEvent event,
                   domain::DecideMove(facts.batch, facts.unit, to, moved_at.value_or(ctx.now),
                                      reason, storage, ctx.step()));
  RETURN_IF_ERROR(StoreUnitEvent(tx, ctx, facts.unit, event, domain::AuditAction::kUnitMove));
  return UnitAfter(tx, std::move(facts));
}

absl::StatusOr<UnitWrite> ThawUnit(store::Transaction& tx, const WriteContext& ctx,
                                   absl::string_view unit_id, const domain::ThawResult& thaw) {
  ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, unit_id));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(facts.batch.product_code, facts.batch.product_version));
  ASSIGN_OR_RETURN(domain::ThawDecision decision,
                   domain::DecideThaw(facts.batch, facts.unit, thaw, product, ctx.step()));
  RETURN_IF_ERROR(RequireQualified(tx, ctx.user, domain::Step::kThaw, thaw.thawed_at, ctx.zone));
  std::string why;
  if (decision.late_entry.has_value()) {
    ASSIGN_OR_RETURN(why, StoreLateEntry(tx, facts.batch.batch_id, *decision.late_entry));
  }
  RETURN_IF_ERROR(
      StoreUnitEvent(tx, ctx, facts.unit, decision.event, domain::AuditAction::kUnitThaw, why));
  RETURN_IF_ERROR(tx.InsertThaw(facts.unit.unit_id, decision.thaw));
  ASSIGN_OR_RETURN(StoredEffects effects,
                   StoreEffects(tx, facts.batch, std::move(decision.effects), ctx.now, ctx.user,
                                absl::StrCat("unit ", facts.unit.unit_id, " thawed"),
                                ctx.request_id));
  ASSIGN_OR_RETURN(UnitWrite out, UnitAfter(tx, std::move(facts)));
  out.opened_deviations = std::move(effects.opened);
  return out;
}

absl::StatusOr<UnitWrite> DisposeUnit(store::Transaction& tx, const WriteContext& ctx,
                                      absl::string_view unit_id, const std::string& reason) {
  ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, unit_id));
  ASSIGN_OR_RETURN(domain::UnitEvent event,
                   domain::DecideDisposeUnit(facts.batch, facts.unit, reason, ctx.step()));
  RETURN_IF_ERROR(StoreUnitEvent(tx, ctx, facts.unit, event, domain::AuditAction::kUnitDispose));
  return UnitAfter(tx, std::move(facts));
}

}  // namespace cpctrack::app
