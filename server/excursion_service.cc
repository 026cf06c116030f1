// DeviationService's excursions: one event opened as a parent with a child
// deviation on every batch it reached, in one transaction; closed by QA once
// every child is disposed of.
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/excursion.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/deviation_service.h"
#include "server/excursion_support.h"
#include "server/signatures.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* DeviationService::OpenExcursion(grpc::CallbackServerContext* ctx,
                                                          const v1::OpenExcursionRequest* request,
                                                          v1::Excursion* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    domain::Excursion excursion;
    excursion.scope = static_cast<domain::ExcursionScope>(request->scope());
    excursion.subject = request->subject();
    if (request->has_from_time()) excursion.from = FromProto(request->from_time());
    if (request->has_to_time()) excursion.to = FromProto(request->to_time());
    excursion.description = request->description();
    const domain::StepContext step{absl::Now(), config_.time_zone, user, ""};
    return WriteOnce(store_, "OpenExcursion", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(
                           domain::Excursion stored,
                           OpenExcursionIn(tx, excursion, step, request->request_id()));
                       return FillExcursion(tx, stored.excursion_id, response);
                     });
  });
}

grpc::ServerUnaryReactor* DeviationService::GetExcursion(grpc::CallbackServerContext* ctx,
                                                         const v1::GetExcursionRequest* request,
                                                         v1::Excursion* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) {
      return FillExcursion(tx, request->excursion_id(), response);
    });
  });
}

grpc::ServerUnaryReactor* DeviationService::CloseExcursion(grpc::CallbackServerContext* ctx,
                                                           const v1::CloseExcursionRequest* request,
                                                           v1::CloseExcursionResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    if (request->excursion_id() <= 0) {
      return absl::InvalidArgumentError("excursion_id: required");
    }
    // QA's conclusion of the investigation is a signature, like the
    // dispositions of the children it sums up.
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          const domain::StepContext step{absl::Now(), config_.time_zone, caller.user, ""};
          return WriteOnce(
              store_, "CloseExcursion", caller.user, *request, request->request_id(), response,
              [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(domain::Excursion excursion,
                                 tx.GetExcursion(request->excursion_id()));
                ASSIGN_OR_RETURN(std::vector<store::DeviationRow> rows,
                                 tx.ExcursionChildren(request->excursion_id()));
                std::vector<std::pair<std::string, domain::Deviation>> children;
                for (store::DeviationRow& row : rows) {
                  children.emplace_back(row.batch_id, std::move(row.deviation));
                }
                ASSIGN_OR_RETURN(
                    domain::ExcursionClosure closure,
                    domain::DecideCloseExcursion(excursion, children, request->reason(), step));
                RETURN_IF_ERROR(tx.InsertExcursionClosure(excursion.excursion_id, closure));
                const std::string resource = ExcursionResource(excursion.excursion_id);
                RETURN_IF_ERROR(AppendAudit(tx, step.now, caller.user,
                                            domain::AuditAction::kExcursionClose, resource,
                                            domain::ToJson(excursion), domain::ToJson(closure),
                                            closure.reason, request->request_id()));
                const std::string signed_content =
                    absl::StrCat(domain::ToJson(excursion), "\n", domain::ToJson(closure));
                RETURN_IF_ERROR(
                    RecordSignature(tx, caller, domain::SignatureMeaning::kDeviationDisposition,
                                    resource, signed_content, step.now, request->request_id(),
                                    response->mutable_signature())
                        .status());
                return FillExcursion(tx, excursion.excursion_id, response->mutable_excursion());
              });
        });
  });
}

}  // namespace cpctrack::server
