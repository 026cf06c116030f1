#include "server/inventory_service.h"

#include "absl/strings/str_cat.h"
#include "app/inventory.h"
#include "domain/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* InventoryService::CreateReagentLot(
    grpc::CallbackServerContext* ctx, const v1::CreateReagentLotRequest* request,
    v1::ReagentLot* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::ReagentLot lot, FromProto(request->lot()));
    return WriteOnce(store_, "CreateReagentLot", write.user, *request, request->request_id(),
                     response, [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::ReagentLot created,
                                        app::CreateReagentLot(tx, write, lot));
                       ToProto(created, write.now, config_.time_zone, response);
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Equipment equipment, FromProto(request->equipment()));
    return WriteOnce(store_, "CreateEquipment", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Equipment created,
                                        app::CreateEquipment(tx, write, equipment));
                       ToProto(created, response);
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::EquipmentStatus status, FromProto(request->status()));
    return WriteOnce(store_, "SetEquipmentStatus", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Equipment after,
                                        app::SetEquipmentStatus(tx, write,
                                                                request->equipment_id(), status,
                                                                request->reason()));
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    RETURN_IF_ERROR(RequireId("product.product_code", request->product().product_code()));
    return WriteOnce(
        store_, "CreateProduct", write.user, *request, request->request_id(), response,
        [=](store::Transaction& tx) -> absl::Status {
          // The audit trail shows the version as the API answers it.
          v1::Product created;
          RETURN_IF_ERROR(app::CreateProduct(
                              tx, write, request->product().product_code(),
                              [&](const domain::Product& base) {
                                return MergeProduct(request->product(), base);
                              },
                              [&](const domain::Product& product) {
                                ToProto(product, &created);
                                std::string json;
                                if (!google::protobuf::util::MessageToJsonString(created, &json)
                                         .ok()) {
                                  json = "{}";
                                }
                                return json;
                              })
                              .status());
          *response = std::move(created);
          return absl::OkStatus();
        });
  });
}

}  // namespace cpctrack::server
