#include "server/unit_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/readiness.h"
#include "domain/status_macros.h"
#include "domain/unit_steps.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"

namespace cpctrack::server {
namespace {

struct UnitFacts {
  domain::Batch batch;
  domain::Unit unit;
};

absl::StatusOr<UnitFacts> LoadUnitFacts(store::Transaction& tx, absl::string_view unit_id) {
  ASSIGN_OR_RETURN(auto parsed, domain::ParseUnitId("unit_id", unit_id));
  const std::string id = domain::UnitId(parsed.first, parsed.second);
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(parsed.first));
  return UnitFacts{std::move(batch), std::move(unit)};
}

// The unit as stored now, with its history and product.
absl::Status FillUnit(store::Transaction& tx, const domain::Batch& batch,
                      absl::string_view unit_id, bool with_events, v1::Unit* out) {
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(unit_id));
  ToProto(unit, out);
  out->set_product_code(batch.product_code);
  out->set_product_version(batch.product_version);
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  out->set_isbt_product_description_code(product.isbt_product_description_code);
  if (!with_events) return absl::OkStatus();
  // What the label says of a batch used under the physician's responsibility.
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> deviations, tx.LoadDeviations(batch.batch_id));
  const std::vector<domain::NonConformity> non_conformities = domain::NonConformities(deviations);
  out->set_non_conforming(domain::NonConformingText(non_conformities));
  for (const domain::NonConformity& n : non_conformities) {
    out->add_non_conforming_deviation_ids(n.deviation_id);
  }
  ASSIGN_OR_RETURN(std::vector<domain::UnitEvent> events, tx.LoadUnitEvents(unit_id));
  for (const domain::UnitEvent& e : events) ToProto(e, out->add_events());
  ASSIGN_OR_RETURN(std::vector<domain::LateEntry> late, tx.LoadLateEntries(batch.batch_id));
  for (const domain::LateEntry& e : late) {
    if (e.IsAbout(absl::StrCat("units/", unit_id))) ToProto(e, out->add_late_entries());
  }
  return absl::OkStatus();
}

// Appends `event` with its audit entry, whose reason is the event's unless
// `why` says more (a late entry's reason).
absl::Status StoreUnitEvent(store::Transaction& tx, const domain::Unit& before,
                            const domain::UnitEvent& event, domain::AuditAction action,
                            absl::Time now, absl::string_view request_id,
                            absl::string_view why = "") {
  RETURN_IF_ERROR(tx.InsertUnitEvent(event));
  return AppendAudit(tx, now, event.by, action, absl::StrCat("units/", event.unit_id),
                     domain::ToJson(before), domain::ToJson(event),
                     why.empty() ? absl::string_view(event.reason) : why, request_id);
}

// Inserts units just made (frozen or formulated), each with its audit entry
// and its late entry if the step was recorded late, and the batch's new
// state; fills `out` with them as stored.
absl::Status StoreNewUnits(store::Transaction& tx, domain::Batch& batch,
                           const std::vector<domain::Unit>& units,
                           const std::vector<domain::LateEntry>& late_entries,
                           domain::BatchState new_state, domain::AuditAction action,
                           absl::string_view reason, const domain::StepContext& step,
                           absl::string_view request_id,
                           google::protobuf::RepeatedPtrField<v1::Unit>* out) {
  for (const domain::Unit& unit : units) {
    RETURN_IF_ERROR(tx.InsertUnit(unit));
    const std::string resource = absl::StrCat("units/", unit.unit_id);
    std::string why;
    for (const domain::LateEntry& late : late_entries) {
      if (late.resource == resource) {
        ASSIGN_OR_RETURN(why, StoreLateEntry(tx, batch.batch_id, late));
      }
    }
    RETURN_IF_ERROR(AppendAudit(tx, step.now, step.actor, action, resource, "",
                                domain::ToJson(unit), why, request_id));
  }
  domain::BatchEffects effects;
  effects.new_state = new_state;
  RETURN_IF_ERROR(
      StoreEffects(tx, batch, std::move(effects), step.now, step.actor, reason, request_id)
          .status());
  for (const domain::Unit& unit : units) {
    RETURN_IF_ERROR(FillUnit(tx, batch, unit.unit_id, false, out->Add()));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* UnitService::FreezeUnits(grpc::CallbackServerContext* ctx,
                                                   const v1::FreezeUnitsRequest* request,
                                                   v1::FreezeUnitsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::FreezePlan plan;
    ASSIGN_OR_RETURN(plan.kind, FromProto(request->kind()));
    plan.frozen_at = FromProto(request->frozen_time());
    plan.freezing_medium = request->freezing_medium();
    plan.medium_lot = request->medium_lot();
    plan.freezer_program = request->freezer_program();
    plan.freezer_id = request->freezer_id();
    std::vector<domain::Position> positions;
    for (int i = 0; i < request->units_size(); ++i) {
      const v1::UnitSpec& spec = request->units(i);
      ASSIGN_OR_RETURN(domain::Position position,
                       domain::ParsePosition(absl::StrCat("units[", i, "].position"),
                                             spec.position()));
      plan.units.push_back({spec.cells(), spec.volume_ml(), position});
      positions.push_back(std::move(position));
    }
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(
        store_, "FreezeUnits", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, din, Records::kReadByRules));
          ASSIGN_OR_RETURN(std::vector<domain::Unit> existing, tx.LoadUnits(din));
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
                           domain::DecideFreeze(facts.batch, facts.history, existing, plan,
                                                facts.product, storage, resources, step));
          RETURN_IF_ERROR(
              RequireQualified(tx, user, domain::Step::kFreeze, plan.frozen_at, config_.time_zone));
          RETURN_IF_ERROR(
              StoreNewUnits(tx, facts.batch, decision.units, decision.late_entries,
                            decision.new_state, domain::AuditAction::kUnitFreeze,
                            absl::StrCat("frozen into ", decision.units.size(), " units"), step,
                            request->request_id(), response->mutable_units()));
          response->set_batch_state(static_cast<v1::BatchState>(facts.batch.state));
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* UnitService::FormulateFreshUnits(
    grpc::CallbackServerContext* ctx, const v1::FormulateFreshUnitsRequest* request,
    v1::FormulateFreshUnitsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::FormulatePlan plan;
    plan.formulated_at = FromProto(request->formulated_time());
    plan.medium = request->medium();
    plan.medium_lot = request->medium_lot();
    for (const v1::FreshUnitSpec& spec : request->units()) {
      plan.units.push_back({spec.cells(), spec.volume_ml()});
    }
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(
        store_, "FormulateFreshUnits", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, din, Records::kReadByRules));
          ASSIGN_OR_RETURN(std::vector<domain::Unit> existing, tx.LoadUnits(din));
          domain::StepResources resources;
          if (auto lot = tx.GetReagentLot(plan.medium_lot); lot.ok()) {
            resources.lots.emplace(plan.medium_lot, *std::move(lot));
          }
          ASSIGN_OR_RETURN(domain::FormulateDecision decision,
                           domain::DecideFormulate(facts.batch, facts.history, existing, plan,
                                                   facts.product, resources, step));
          RETURN_IF_ERROR(RequireQualified(tx, user, domain::Step::kFormulate, plan.formulated_at,
                                           config_.time_zone));
          RETURN_IF_ERROR(
              StoreNewUnits(tx, facts.batch, decision.units, decision.late_entries,
                            decision.new_state, domain::AuditAction::kUnitFormulate,
                            absl::StrCat("formulated as ", decision.units.size(), " fresh units"),
                            step, request->request_id(), response->mutable_units()));
          response->set_batch_state(static_cast<v1::BatchState>(facts.batch.state));
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* UnitService::GetUnit(grpc::CallbackServerContext* ctx,
                                               const v1::GetUnitRequest* request,
                                               v1::Unit* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, request->unit_id()));
      return FillUnit(tx, facts.batch, facts.unit.unit_id, true, response);
    });
  });
}

grpc::ServerUnaryReactor* UnitService::ListUnits(grpc::CallbackServerContext* ctx,
                                                 const v1::ListUnitsRequest* request,
                                                 v1::ListUnitsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    store::UnitFilter filter;
    if (!request->batch_id().empty()) {
      ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
      filter.batch_id = din.compact();
    }
    filter.patient_id = request->patient_id();
    if (request->state() != v1::UNIT_STATE_UNSPECIFIED) {
      ASSIGN_OR_RETURN(filter.state, FromProto(request->state()));
    }
    filter.location = request->location();
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<domain::Unit> page, tx.ListUnits(filter, after, limit));
      for (const domain::Unit& u : page.items) ToProto(u, response->add_units());
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* UnitService::MoveUnit(grpc::CallbackServerContext* ctx,
                                                const v1::MoveUnitRequest* request,
                                                v1::Unit* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Position to,
                     domain::ParsePosition("to_position", request->to_position()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    absl::Time moved_at =
        request->has_moved_time() ? FromProto(request->moved_time()) : step.now;
    return WriteOnce(store_, "MoveUnit", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, request->unit_id()));
                       ASSIGN_OR_RETURN(domain::StorageFacts storage, tx.LoadStorageFacts({to}));
                       ASSIGN_OR_RETURN(domain::UnitEvent event,
                                        domain::DecideMove(facts.batch, facts.unit, to, moved_at,
                                                           request->reason(), storage, step));
                       RETURN_IF_ERROR(StoreUnitEvent(tx, facts.unit, event,
                                                      domain::AuditAction::kUnitMove, step.now,
                                                      request->request_id()));
                       return FillUnit(tx, facts.batch, facts.unit.unit_id, false, response);
                     });
  });
}

grpc::ServerUnaryReactor* UnitService::ThawUnit(grpc::CallbackServerContext* ctx,
                                                const v1::ThawUnitRequest* request,
                                                v1::ThawUnitResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::ThawResult thaw, FromProto(request->thaw()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(
        store_, "ThawUnit", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, request->unit_id()));
          ASSIGN_OR_RETURN(domain::Product product,
                           tx.GetProduct(facts.batch.product_code, facts.batch.product_version));
          ASSIGN_OR_RETURN(domain::ThawDecision decision,
                           domain::DecideThaw(facts.batch, facts.unit, thaw, product, step));
          RETURN_IF_ERROR(
              RequireQualified(tx, user, domain::Step::kThaw, thaw.thawed_at, config_.time_zone));
          std::string why;
          if (decision.late_entry.has_value()) {
            ASSIGN_OR_RETURN(why, StoreLateEntry(tx, facts.batch.batch_id, *decision.late_entry));
          }
          RETURN_IF_ERROR(StoreUnitEvent(tx, facts.unit, decision.event,
                                         domain::AuditAction::kUnitThaw, step.now,
                                         request->request_id(), why));
          RETURN_IF_ERROR(tx.InsertThaw(facts.unit.unit_id, decision.thaw));
          ASSIGN_OR_RETURN(StoredEffects effects,
                           StoreEffects(tx, facts.batch, std::move(decision.effects), step.now,
                                        user, absl::StrCat("unit ", facts.unit.unit_id, " thawed"),
                                        request->request_id()));
          for (const domain::Deviation& d : effects.opened) {
            ToProto(d, facts.batch.batch_id, response->add_opened_deviations());
          }
          return FillUnit(tx, facts.batch, facts.unit.unit_id, false, response->mutable_unit());
        });
  });
}

grpc::ServerUnaryReactor* UnitService::DisposeUnit(grpc::CallbackServerContext* ctx,
                                                   const v1::DisposeUnitRequest* request,
                                                   v1::Unit* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "DisposeUnit", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(UnitFacts facts, LoadUnitFacts(tx, request->unit_id()));
                       ASSIGN_OR_RETURN(domain::UnitEvent event,
                                        domain::DecideDisposeUnit(facts.batch, facts.unit,
                                                                  request->reason(), step));
                       RETURN_IF_ERROR(StoreUnitEvent(tx, facts.unit, event,
                                                      domain::AuditAction::kUnitDispose, step.now,
                                                      request->request_id()));
                       return FillUnit(tx, facts.batch, facts.unit.unit_id, false, response);
                     });
  });
}

}  // namespace cpctrack::server
