// InventoryService: calibration and maintenance records, and what falls due.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/inventory.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/inventory_service.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* InventoryService::RecordEquipmentUpkeep(
    grpc::CallbackServerContext* ctx, const v1::RecordEquipmentUpkeepRequest* request,
    v1::RecordEquipmentUpkeepResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    if (!v1::UpkeepKind_IsValid(request->kind())) {
      return absl::InvalidArgumentError(
          absl::StrCat("kind: unknown value ", static_cast<int>(request->kind())));
    }
    app::NewUpkeep upkeep;
    upkeep.equipment_id = request->equipment_id();
    upkeep.kind = static_cast<domain::UpkeepKind>(request->kind());
    if (request->has_performed_at()) upkeep.performed_at = FromProto(request->performed_at());
    ASSIGN_OR_RETURN(upkeep.next_due, domain::ParseDate("next_due", request->next_due()));
    upkeep.certificate = request->certificate();
    return WriteOnce(store_, "RecordEquipmentUpkeep", write.user, *request,
                     request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::UpkeepOutcome out,
                                        app::RecordEquipmentUpkeep(tx, write, upkeep));
                       ToProto(out.record, response->mutable_record());
                       ToProto(out.equipment, response->mutable_equipment());
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* InventoryService::ListEquipmentDue(
    grpc::CallbackServerContext* ctx, const v1::ListEquipmentDueRequest* request,
    v1::ListEquipmentDueResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateDueWindow(request->within_days()));
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), config_.time_zone);
    const absl::CivilDay until = today + request->within_days();
    std::vector<std::pair<domain::UpkeepDue, domain::Equipment>> due;
    RETURN_IF_ERROR(store_.Read([&](store::Transaction& tx) -> absl::Status {
      // A facility's equipment is a few hundred pieces at most: read it all.
      std::string after;
      do {
        ASSIGN_OR_RETURN(store::Page<domain::Equipment> page, tx.ListEquipment(after, 500));
        for (const domain::Equipment& e : page.items) {
          for (domain::UpkeepDue d : domain::DueBy(e, today, until)) due.emplace_back(d, e);
        }
        after = page.next_key;
      } while (!after.empty());
      return absl::OkStatus();
    }));
    // Soonest first; never-calibrated equipment before everything.
    std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
      return a.first.due.value_or(absl::CivilDay::min()) <
             b.first.due.value_or(absl::CivilDay::min());
    });
    for (const auto& [d, e] : due) {
      v1::EquipmentDue* out = response->add_due();
      out->set_equipment_id(e.equipment_id);
      out->set_name(e.name);
      out->set_equipment_kind(static_cast<v1::EquipmentKind>(e.kind));
      out->set_kind(static_cast<v1::UpkeepKind>(d.kind));
      if (d.due) out->set_due_date(domain::FormatDate(*d.due));
      out->set_lapsed(d.lapsed);
      out->set_status(static_cast<v1::EquipmentStatus>(e.status));
    }
    response->set_today(domain::FormatDate(today));
    return absl::OkStatus();
  });
}

}  // namespace cpctrack::server
