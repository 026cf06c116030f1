// InventoryService: QA's signed decision on a reagent lot received into
// QUARANTINE (issue 17 item 3).
#include "app/inventory.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/inventory_service.h"
#include "server/signatures.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* InventoryService::DecideLot(
    grpc::CallbackServerContext* ctx, const char* method,
    const google::protobuf::Message& request, const std::string& request_id,
    const v1::SignatureRequest& signature, domain::LotDecision decision,
    v1::ReagentLotDecision* response) {
  return Respond(ctx, [&, decision](const Caller& caller) -> Reply {
    RETURN_IF_ERROR(RequireId("lot_number", decision.lot_number));
    // A signature: the password, checked before the write.
    return VerifySigner(store_, *config_.password_pool, caller, signature, absl::Now())
        .Then([=, this, &request]() -> Reply {
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request_id));
          return WriteOnce(
              store_, method, write.user, request, request_id, response,
              [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(
                    app::LotDecisionOutcome out,
                    decision.status == domain::LotStatus::kAccepted
                        ? app::AcceptReagentLot(tx, write, decision.lot_number,
                                                decision.certificate)
                        : app::RejectReagentLot(tx, write, decision.lot_number, decision.reason));
                ToProto(out.signature, response->mutable_signature());
                ToProto(out.lot, write.now, config_.time_zone, response->mutable_lot());
                return absl::OkStatus();
              });
        });
  });
}

grpc::ServerUnaryReactor* InventoryService::AcceptReagentLot(
    grpc::CallbackServerContext* ctx, const v1::AcceptReagentLotRequest* request,
    v1::ReagentLotDecision* response) {
  domain::LotDecision decision;
  decision.lot_number = request->lot_number();
  decision.status = domain::LotStatus::kAccepted;
  decision.certificate = request->certificate();
  return DecideLot(ctx, "AcceptReagentLot", *request, request->request_id(),
                   request->signature(), std::move(decision), response);
}

grpc::ServerUnaryReactor* InventoryService::RejectReagentLot(
    grpc::CallbackServerContext* ctx, const v1::RejectReagentLotRequest* request,
    v1::ReagentLotDecision* response) {
  domain::LotDecision decision;
  decision.lot_number = request->lot_number();
  decision.status = domain::LotStatus::kRejected;
  decision.reason = request->reason();
  return DecideLot(ctx, "RejectReagentLot", *request, request->request_id(),
                   request->signature(), std::move(decision), response);
}

}  // namespace cpctrack::server
