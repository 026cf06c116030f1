#include "server/inventory_service.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* InventoryService::CreateReagentLot(
    grpc::CallbackServerContext* ctx, const v1::CreateReagentLotRequest* request,
    v1::ReagentLot* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::ReagentLot lot, FromProto(request->lot()));
    RETURN_IF_ERROR(domain::ValidateReagentLot(lot));
    const absl::Time now = absl::Now();
    lot.created_at = now;
    lot.created_by = user;
    return WriteOnce(store_, "CreateReagentLot", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       RETURN_IF_ERROR(tx.InsertReagentLot(lot));
                       RETURN_IF_ERROR(AppendAudit(tx, now, user, domain::AuditAction::kLotCreate,
                                                   absl::StrCat("lots/", lot.lot_number), "",
                                                   domain::ToJson(lot), "", request->request_id()));
                       ToProto(lot, now, config_.time_zone, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* InventoryService::GetReagentLot(
    grpc::CallbackServerContext* ctx, const v1::GetReagentLotRequest* request,
    v1::ReagentLot* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId("lot_number", request->lot_number()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::ReagentLot lot, tx.GetReagentLot(request->lot_number()));
      ToProto(lot, absl::Now(), config_.time_zone, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* InventoryService::ListReagentLots(
    grpc::CallbackServerContext* ctx, const v1::ListReagentLotsRequest* request,
    v1::ListReagentLotsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    const absl::Time now = absl::Now();
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<domain::ReagentLot> page, tx.ListReagentLots(after, limit));
      for (const auto& lot : page.items) {
        ToProto(lot, now, config_.time_zone, response->add_lots());
      }
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* InventoryService::CreateEquipment(
    grpc::CallbackServerContext* ctx, const v1::CreateEquipmentRequest* request,
    v1::Equipment* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Equipment equipment, FromProto(request->equipment()));
    RETURN_IF_ERROR(domain::ValidateEquipment(equipment));
    const absl::Time now = absl::Now();
    equipment.created_at = now;
    equipment.created_by = user;
    // From now on, a kind that needs calibration is used only once calibrated.
    equipment.calibration_required = domain::NeedsCalibration(equipment.kind);
    return WriteOnce(store_, "CreateEquipment", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       RETURN_IF_ERROR(tx.InsertEquipment(equipment));
                       RETURN_IF_ERROR(
                           AppendAudit(tx, now, user, domain::AuditAction::kEquipmentCreate,
                                       absl::StrCat("equipment/", equipment.equipment_id), "",
                                       domain::ToJson(equipment), "", request->request_id()));
                       ToProto(equipment, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* InventoryService::GetEquipment(
    grpc::CallbackServerContext* ctx, const v1::GetEquipmentRequest* request,
    v1::Equipment* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId("equipment_id", request->equipment_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::Equipment equipment, tx.GetEquipment(request->equipment_id()));
      ToProto(equipment, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* InventoryService::ListEquipment(
    grpc::CallbackServerContext* ctx, const v1::ListEquipmentRequest* request,
    v1::ListEquipmentResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<domain::Equipment> page, tx.ListEquipment(after, limit));
      for (const auto& e : page.items) ToProto(e, response->add_equipment());
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* InventoryService::SetEquipmentStatus(
    grpc::CallbackServerContext* ctx, const v1::SetEquipmentStatusRequest* request,
    v1::Equipment* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::EquipmentStatus status, FromProto(request->status()));
    RETURN_IF_ERROR(domain::ValidateStatusChange(status, request->reason()));
    const absl::Time now = absl::Now();
    return WriteOnce(
        store_, "SetEquipmentStatus", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(domain::Equipment before, tx.GetEquipment(request->equipment_id()));
          RETURN_IF_ERROR(tx.InsertEquipmentStatus(before.equipment_id, status,
                                                   request->reason(), now, user));
          domain::Equipment after = before;
          after.status = status;
          after.status_reason = request->reason();
          RETURN_IF_ERROR(AppendAudit(tx, now, user, domain::AuditAction::kEquipmentSetStatus,
                                      absl::StrCat("equipment/", before.equipment_id),
                                      domain::ToJson(before), domain::ToJson(after),
                                      request->reason(), request->request_id()));
          ToProto(after, response);
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* InventoryService::ListProducts(grpc::CallbackServerContext* ctx,
                                                         const v1::ListProductsRequest* request,
                                                         v1::ListProductsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::Product> products, tx.ListProducts());
      for (const auto& p : products) ToProto(p, response->add_products());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* InventoryService::CreateProduct(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateProductRequest* request,
                                                          v1::Product* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    RETURN_IF_ERROR(RequireId("product.product_code", request->product().product_code()));
    const absl::Time now = absl::Now();
    return WriteOnce(
        store_, "CreateProduct", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          absl::StatusOr<domain::Product> latest =
              tx.GetLatestProduct(request->product().product_code());
          if (!latest.ok() && !absl::IsNotFound(latest.status())) return latest.status();
          domain::Product base = latest.ok() ? *latest : domain::DefaultProduct();
          const int version = latest.ok() ? latest->version + 1 : 1;
          ASSIGN_OR_RETURN(domain::Product product, MergeProduct(request->product(), base));
          product.version = version;
          RETURN_IF_ERROR(domain::ValidateProduct(product));
          RETURN_IF_ERROR(tx.InsertProduct(product, now));
          v1::Product created;
          ToProto(product, &created);
          std::string json;
          if (!google::protobuf::util::MessageToJsonString(created, &json).ok()) json = "{}";
          RETURN_IF_ERROR(
              AppendAudit(tx, now, user, domain::AuditAction::kProductCreate,
                          absl::StrCat("products/", product.product_code, "/versions/", version),
                          latest.ok() ? absl::StrCat("version ", latest->version) : "", json, "",
                          request->request_id()));
          *response = std::move(created);
          return absl::OkStatus();
        });
  });
}

}  // namespace cpctrack::server
