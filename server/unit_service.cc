#include "server/unit_service.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/units.h"
#include "domain/readiness.h"
#include "domain/status_macros.h"
#include "domain/unit_steps.h"
#include "server/api_mapping.h"

namespace cpctrack::server {
namespace {

// A unit as a write answers it: with its batch's product.
void UnitToProto(const domain::Unit& unit, const domain::Batch& batch,
                 const domain::Product& product, v1::Unit* out) {
  ToProto(unit, out);
  out->set_product_code(batch.product_code);
  out->set_product_version(batch.product_version);
  out->set_isbt_product_description_code(product.isbt_product_description_code);
}

// The unit as stored now, with its history, product and what its label says.
absl::Status FillUnit(store::Transaction& tx, const app::UnitFacts& facts, v1::Unit* out) {
  const domain::Batch& batch = facts.batch;
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  UnitToProto(facts.unit, batch, product, out);
  // What the label says of a batch used under the physician's responsibility.
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> deviations, tx.LoadDeviations(batch.batch_id));
  const std::vector<domain::NonConformity> non_conformities = domain::NonConformities(deviations);
  out->set_non_conforming(domain::NonConformingText(non_conformities));
  for (const domain::NonConformity& n : non_conformities) {
    out->add_non_conforming_deviation_ids(n.deviation_id);
  }
  const std::string& unit_id = facts.unit.unit_id;
  ASSIGN_OR_RETURN(std::vector<domain::UnitEvent> events, tx.LoadUnitEvents(unit_id));
  for (const domain::UnitEvent& e : events) ToProto(e, out->add_events());
  ASSIGN_OR_RETURN(std::vector<domain::LateEntry> late, tx.LoadLateEntries(batch.batch_id));
  for (const domain::LateEntry& e : late) {
    if (e.IsAbout(absl::StrCat("units/", unit_id))) ToProto(e, out->add_late_entries());
  }
  return absl::OkStatus();
}

void NewUnitsToProto(const app::NewUnits& made,
                     google::protobuf::RepeatedPtrField<v1::Unit>* out) {
  for (const domain::Unit& unit : made.units) {
    UnitToProto(unit, made.batch, made.product, out->Add());
  }
}

}  // namespace

grpc::ServerUnaryReactor* UnitService::FreezeUnits(grpc::CallbackServerContext* ctx,
                                                   const v1::FreezeUnitsRequest* request,
                                                   v1::FreezeUnitsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::FreezePlan plan;
    ASSIGN_OR_RETURN(plan.kind, FromProto(request->kind()));
    plan.frozen_at = FromProto(request->frozen_time());
    plan.freezing_medium = request->freezing_medium();
    plan.medium_lot = request->medium_lot();
    plan.freezer_program = request->freezer_program();
    plan.freezer_id = request->freezer_id();
    for (int i = 0; i < request->units_size(); ++i) {
      const v1::UnitSpec& spec = request->units(i);
      ASSIGN_OR_RETURN(domain::Position position,
                       domain::ParsePosition(absl::StrCat("units[", i, "].position"),
                                             spec.position()));
      plan.units.push_back({spec.cells(), spec.volume_ml(), std::move(position)});
    }
    return WriteOnce(store_, "FreezeUnits", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::NewUnits made,
                                        app::FreezeUnits(tx, write, din, plan));
                       NewUnitsToProto(made, response->mutable_units());
                       response->set_batch_state(static_cast<v1::BatchState>(made.batch.state));
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UnitService::FormulateFreshUnits(
    grpc::CallbackServerContext* ctx, const v1::FormulateFreshUnitsRequest* request,
    v1::FormulateFreshUnitsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::FormulatePlan plan;
    plan.formulated_at = FromProto(request->formulated_time());
    plan.medium = request->medium();
    plan.medium_lot = request->medium_lot();
    for (const v1::FreshUnitSpec& spec : request->units()) {
      plan.units.push_back({spec.cells(), spec.volume_ml()});
    }
    return WriteOnce(store_, "FormulateFreshUnits", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::NewUnits made,
                                        app::FormulateFreshUnits(tx, write, din, plan));
                       NewUnitsToProto(made, response->mutable_units());
                       response->set_batch_state(static_cast<v1::BatchState>(made.batch.state));
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UnitService::GetUnit(grpc::CallbackServerContext* ctx,
                                               const v1::GetUnitRequest* request,
                                               v1::Unit* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(app::UnitFacts facts, app::LoadUnitFacts(tx, request->unit_id()));
      return FillUnit(tx, facts, response);
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Position to,
                     domain::ParsePosition("to_position", request->to_position()));
    std::optional<absl::Time> moved_at;
    if (request->has_moved_time()) moved_at = FromProto(request->moved_time());
    return WriteOnce(store_, "MoveUnit", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::UnitWrite moved,
                                        app::MoveUnit(tx, write, request->unit_id(), to, moved_at,
                                                      request->reason()));
                       UnitToProto(moved.unit, moved.batch, moved.product, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UnitService::ThawUnit(grpc::CallbackServerContext* ctx,
                                                const v1::ThawUnitRequest* request,
                                                v1::ThawUnitResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    ASSIGN_OR_RETURN(domain::ThawResult thaw, FromProto(request->thaw()));
    return WriteOnce(store_, "ThawUnit", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::UnitWrite thawed,
                                        app::ThawUnit(tx, write, request->unit_id(), thaw));
                       for (const domain::Deviation& d : thawed.opened_deviations) {
                         ToProto(d, thawed.batch.batch_id, response->add_opened_deviations());
                       }
                       UnitToProto(thawed.unit, thawed.batch, thawed.product,
                                   response->mutable_unit());
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UnitService::DisposeUnit(grpc::CallbackServerContext* ctx,
                                                   const v1::DisposeUnitRequest* request,
                                                   v1::Unit* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    return WriteOnce(store_, "DisposeUnit", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::UnitWrite disposed,
                                        app::DisposeUnit(tx, write, request->unit_id(),
                                                         request->reason()));
                       UnitToProto(disposed.unit, disposed.batch, disposed.product, response);
                       return absl::OkStatus();
                     });
  });
}

}  // namespace cpctrack::server
