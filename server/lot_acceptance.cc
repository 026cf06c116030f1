// InventoryService: QA's signed decision on a reagent lot received into
// QUARANTINE (issue 17 item 3).
#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
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
        .Then([=, this, &request]() mutable -> Reply {
          const absl::Time now = absl::Now();
          decision.decided_at = now;
          decision.decided_by = caller.user;
          return WriteOnce(
              store_, method, caller.user, request, request_id, response,
              [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(domain::ReagentLot before, tx.GetReagentLot(decision.lot_number));
                ASSIGN_OR_RETURN(domain::ReagentLot after, domain::DecideLot(before, decision));
                RETURN_IF_ERROR(tx.InsertLotDecision(decision));
                const bool accepted = decision.status == domain::LotStatus::kAccepted;
                const std::string resource = absl::StrCat("lots/", before.lot_number);
                RETURN_IF_ERROR(AppendAudit(
                    tx, now, caller.user,
                    accepted ? domain::AuditAction::kLotAccept : domain::AuditAction::kLotReject,
                    resource, domain::ToJson(before), domain::ToJson(after),
                    accepted ? decision.certificate : decision.reason, request_id));
                // Signed: the lot as it stands after the decision.
                RETURN_IF_ERROR(RecordSignature(tx, caller,
                                                accepted ? domain::SignatureMeaning::kMaterialAccepted
                                                         : domain::SignatureMeaning::kMaterialRejected,
                                                resource, domain::ToJson(after), now, request_id,
                                                response->mutable_signature())
                                    .status());
                ToProto(after, now, config_.time_zone, response->mutable_lot());
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
