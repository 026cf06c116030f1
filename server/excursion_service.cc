// DeviationService's excursions: one event opened as a parent with a child
// deviation on every batch it reached, in one transaction; closed by QA once
// every child is disposed of.
#include <utility>
#include <vector>

#include "app/excursions.h"
#include "domain/excursion.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/deviation_service.h"
#include "server/excursion_support.h"
#include "server/signatures.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* DeviationService::OpenExcursion(grpc::CallbackServerContext* ctx,
                                                          const v1::OpenExcursionRequest* request,
                                                          v1::Excursion* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    domain::Excursion excursion;
    excursion.scope = static_cast<domain::ExcursionScope>(request->scope());
    excursion.subject = request->subject();
    if (request->has_from_time()) excursion.from = FromProto(request->from_time());
    if (request->has_to_time()) excursion.to = FromProto(request->to_time());
    excursion.description = request->description();
    return WriteOnce(store_, "OpenExcursion", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Excursion stored,
                                        app::OpenExcursion(tx, write, excursion));
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
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request->request_id()));
          return WriteOnce(
              store_, "CloseExcursion", write.user, *request, request->request_id(), response,
              [=](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(
                    app::ClosedExcursion closed,
                    app::CloseExcursion(tx, write, request->excursion_id(), request->reason()));
                ToProto(closed.signature, response->mutable_signature());
                return FillExcursion(tx, closed.excursion.excursion_id,
                                     response->mutable_excursion());
              });
        });
  });
}

}  // namespace cpctrack::server
