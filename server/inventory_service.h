#ifndef CPCTRACK_SERVER_INVENTORY_SERVICE_H_
#define CPCTRACK_SERVER_INVENTORY_SERVICE_H_

#include "cpctrack/v1/inventory.grpc.pb.h"
#include "domain/inventory.h"
#include "server/call_support.h"

namespace cpctrack::server {

class InventoryService final : public v1::InventoryService::CallbackService, private CallHandler {
 public:
  InventoryService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreateReagentLot(grpc::CallbackServerContext* ctx,
                                             const v1::CreateReagentLotRequest* request,
                                             v1::ReagentLot* response) override;
  grpc::ServerUnaryReactor* GetReagentLot(grpc::CallbackServerContext* ctx,
                                          const v1::GetReagentLotRequest* request,
                                          v1::ReagentLot* response) override;
  grpc::ServerUnaryReactor* ListReagentLots(grpc::CallbackServerContext* ctx,
                                            const v1::ListReagentLotsRequest* request,
                                            v1::ListReagentLotsResponse* response) override;
  // lot_acceptance.cc: QA's signed decision on a lot.
  grpc::ServerUnaryReactor* AcceptReagentLot(grpc::CallbackServerContext* ctx,
                                             const v1::AcceptReagentLotRequest* request,
                                             v1::ReagentLotDecision* response) override;
  grpc::ServerUnaryReactor* RejectReagentLot(grpc::CallbackServerContext* ctx,
                                             const v1::RejectReagentLotRequest* request,
                                             v1::ReagentLotDecision* response) override;
  grpc::ServerUnaryReactor* CreateEquipment(grpc::CallbackServerContext* ctx,
                                            const v1::CreateEquipmentRequest* request,
                                            v1::Equipment* response) override;
  grpc::ServerUnaryReactor* GetEquipment(grpc::CallbackServerContext* ctx,
                                         const v1::GetEquipmentRequest* request,
                                         v1::Equipment* response) override;
  grpc::ServerUnaryReactor* ListEquipment(grpc::CallbackServerContext* ctx,
                                          const v1::ListEquipmentRequest* request,
                                          v1::ListEquipmentResponse* response) override;
  grpc::ServerUnaryReactor* SetEquipmentStatus(grpc::CallbackServerContext* ctx,
                                               const v1::SetEquipmentStatusRequest* request,
                                               v1::Equipment* response) override;
  // equipment_upkeep.cc: calibration and maintenance.
  grpc::ServerUnaryReactor* RecordEquipmentUpkeep(
      grpc::CallbackServerContext* ctx, const v1::RecordEquipmentUpkeepRequest* request,
      v1::RecordEquipmentUpkeepResponse* response) override;
  grpc::ServerUnaryReactor* ListEquipmentDue(grpc::CallbackServerContext* ctx,
                                             const v1::ListEquipmentDueRequest* request,
                                             v1::ListEquipmentDueResponse* response) override;
  grpc::ServerUnaryReactor* ListProducts(grpc::CallbackServerContext* ctx,
                                         const v1::ListProductsRequest* request,
                                         v1::ListProductsResponse* response) override;
  grpc::ServerUnaryReactor* CreateProduct(grpc::CallbackServerContext* ctx,
                                          const v1::CreateProductRequest* request,
                                          v1::Product* response) override;

 private:
  // Verifies the signer, then records `decision` (its lot_number and
  // status/certificate/reason set) with its signature of `meaning`.
  grpc::ServerUnaryReactor* DecideLot(grpc::CallbackServerContext* ctx, const char* method,
                                      const google::protobuf::Message& request,
                                      const std::string& request_id,
                                      const v1::SignatureRequest& signature,
                                      domain::LotDecision decision,
                                      v1::ReagentLotDecision* response);

  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_INVENTORY_SERVICE_H_
