#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "app/storage.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/unit_service.h"

namespace cpctrack::server {
namespace {

// The tank with its racks, boxes and the units occupying their positions.
absl::Status FillTank(store::Transaction& tx, absl::string_view tank_id, v1::Tank* out) {
  ASSIGN_OR_RETURN(domain::Tank tank, tx.GetTank(tank_id));
  ToProto(tank, out);
  ASSIGN_OR_RETURN(std::vector<std::string> racks, tx.ListRacks(tank_id));
  ASSIGN_OR_RETURN(std::vector<domain::Box> boxes, tx.ListBoxes(tank_id));
  absl::flat_hash_map<std::string, v1::Rack*> rack_by_name;
  for (const std::string& name : racks) {
    v1::Rack* rack = out->add_racks();
    rack->set_name(name);
    rack_by_name[name] = rack;
  }
  absl::flat_hash_map<std::string, v1::Box*> box_by_id;
  int capacity = 0;
  for (const domain::Box& b : boxes) {
    v1::Box* box = rack_by_name[b.rack]->add_boxes();
    ToProto(b, box);
    box_by_id[b.box_id] = box;
    capacity += b.rows * b.columns;
  }
  store::UnitFilter filter;
  filter.location = std::string(tank_id);
  std::string after;
  int occupied = 0;
  do {
    ASSIGN_OR_RETURN(store::Page<domain::Unit> page, tx.ListUnits(filter, after, 500));
    for (const domain::Unit& u : page.items) {
      if (!u.position.has_value()) continue;
      auto it = box_by_id.find(u.position->box_id);
      if (it == box_by_id.end()) continue;
      ToProto(u, it->second->add_units());
      it->second->set_occupied(it->second->occupied() + 1);
      ++occupied;
    }
    after = page.next_key;
  } while (!after.empty());
  out->set_capacity(capacity);
  out->set_occupied(occupied);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* StorageService::CreateTank(grpc::CallbackServerContext* ctx,
                                                     const v1::CreateTankRequest* request,
                                                     v1::Tank* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    domain::Tank tank;
    tank.tank_id = request->tank_id();
    tank.name = request->name();
    ASSIGN_OR_RETURN(tank.temperature_class, FromProto(request->temperature_class()));
    return WriteOnce(store_, "CreateTank", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Tank created, app::CreateTank(tx, write, tank));
                       return FillTank(tx, created.tank_id, response);
                     });
  });
}

grpc::ServerUnaryReactor* StorageService::AddRack(grpc::CallbackServerContext* ctx,
                                                  const v1::AddRackRequest* request,
                                                  v1::Tank* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    return WriteOnce(store_, "AddRack", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       RETURN_IF_ERROR(
                           app::AddRack(tx, write, request->tank_id(), request->rack()));
                       return FillTank(tx, request->tank_id(), response);
                     });
  });
}

grpc::ServerUnaryReactor* StorageService::AddBox(grpc::CallbackServerContext* ctx,
                                                 const v1::AddBoxRequest* request,
                                                 v1::Box* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    domain::Box box;
    box.tank_id = request->tank_id();
    box.rack = request->rack();
    box.name = request->box();
    box.rows = request->rows();
    box.columns = request->columns();
    return WriteOnce(store_, "AddBox", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Box added, app::AddBox(tx, write, box));
                       ToProto(added, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* StorageService::GetTank(grpc::CallbackServerContext* ctx,
                                                  const v1::GetTankRequest* request,
                                                  v1::Tank* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId("tank_id", request->tank_id()));
    return store_.Read(
        [&](store::Transaction& tx) { return FillTank(tx, request->tank_id(), response); });
  });
}

grpc::ServerUnaryReactor* StorageService::ListTanks(grpc::CallbackServerContext* ctx,
                                                    const v1::ListTanksRequest* request,
                                                    v1::ListTanksResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::Tank> tanks, tx.ListTanks());
      for (const domain::Tank& t : tanks) ToProto(t, response->add_tanks());
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
