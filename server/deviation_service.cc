#include "server/deviation_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/deviations.h"
#include "domain/deviation_steps.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/sign_in.h"
#include "server/signatures.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* DeviationService::OpenDeviation(grpc::CallbackServerContext* ctx,
                                                          const v1::OpenDeviationRequest* request,
                                                          v1::Deviation* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    ASSIGN_OR_RETURN(domain::DeviationKind kind, FromProto(request->kind()));
    return WriteOnce(store_, "OpenDeviation", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Deviation d,
                                        app::OpenDeviation(tx, write, din, kind,
                                                           request->description()));
                       ToProto(d, din, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* DeviationService::AddDeviationNote(
    grpc::CallbackServerContext* ctx, const v1::AddDeviationNoteRequest* request,
    v1::Deviation* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    return WriteOnce(store_, "AddDeviationNote", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::DeviationFacts after,
                                        app::AddDeviationNote(tx, write, request->deviation_id(),
                                                              request->text()));
                       ToProto(after.deviation, after.batch.batch_id, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* DeviationService::CloseDeviation(
    grpc::CallbackServerContext* ctx, const v1::CloseDeviationRequest* request,
    v1::CloseDeviationResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(domain::Disposition disposition, FromProto(request->disposition()));
    // The physician's request is verified only when it can stand: named,
    // another person, for this disposition. Otherwise the domain refuses it
    // with the reason that comes first (a positive test, a missing request).
    const bool physician_signs =
        disposition == domain::Disposition::kUseUnderPhysicianResponsibility &&
        !request->physician().empty() && request->physician() != caller.user;
    if (physician_signs && request->physician_signature().password().empty()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "physician_signature.password: required: ", request->physician(),
          " requests the use under their responsibility and signs with their own password"));
    }
    // A QA disposition is a signature: the password, checked before the write.
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          if (!physician_signs) return CloseSigned(request, response, caller, std::nullopt);
          // The physician re-authenticates like a login (throttled, failures
          // audited, limited per signer), then must hold the physician role.
          return LabelRefusal(
              CheckPassword(
                  store_, *config_.password_pool, request->physician(),
                  request->physician_signature().password(),
                  "physician's request for use under their responsibility", absl::Now(),
                  absl::StrCat("signer:", request->physician()),
                  [=, this](store::UserAccount account) -> Reply {
                    RETURN_IF_ERROR(domain::CheckPhysicianRequest(
                        caller.user, account.user.name, account.user.roles));
                    if (account.user.disabled) {
                      return absl::PermissionDeniedError(
                          absl::StrCat("physician: ", account.user.name,
                                       " is disabled and cannot sign a request"));
                    }
                    return CloseSigned(request, response, caller,
                                       Caller{account.user.name, account.user.full_name,
                                              account.user.roles});
                  }),
              "physician_signature: not accepted: ");
        });
  });
}

// The closure with QA's signature and, for use under the physician's
// responsibility, the physician's signed request, in one transaction.
Reply DeviationService::CloseSigned(const v1::CloseDeviationRequest* request,
                                    v1::CloseDeviationResponse* response, const Caller& caller,
                                    std::optional<Caller> physician) {
  ASSIGN_OR_RETURN(app::WriteContext write,
                   WriteContextFor(caller, config_, request->request_id()));
  ASSIGN_OR_RETURN(const domain::Disposition disposition, FromProto(request->disposition()));
  const domain::CloseRequest close{disposition, request->reason(),
                                   physician.has_value() ? physician->user : request->physician()};
  std::optional<app::Signer> physician_signer;
  if (physician.has_value()) physician_signer = app::Signer{physician->user, physician->full_name};
  return WriteOnce(store_, "CloseDeviation", write.user, *request, request->request_id(), response,
                   [=](store::Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(app::ClosedDeviation closed,
                                      app::CloseDeviation(tx, write, request->deviation_id(),
                                                          close, physician_signer));
                     ToProto(closed.signature, response->mutable_signature());
                     if (closed.physician_signature.has_value()) {
                       ToProto(*closed.physician_signature,
                               response->mutable_physician_signature());
                     }
                     response->set_batch_state(
                         static_cast<v1::BatchState>(closed.after.batch.state));
                     for (const std::string& id : closed.changed_unit_ids) {
                       response->add_changed_unit_ids(id);
                     }
                     ToProto(closed.after.deviation, closed.after.batch.batch_id,
                             response->mutable_deviation());
                     return absl::OkStatus();
                   });
}

grpc::ServerUnaryReactor* DeviationService::GetDeviation(grpc::CallbackServerContext* ctx,
                                                         const v1::GetDeviationRequest* request,
                                                         v1::Deviation* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(app::DeviationFacts facts,
                       app::LoadDeviationFacts(tx, request->deviation_id()));
      ToProto(facts.deviation, facts.batch.batch_id, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DeviationService::ListDeviations(
    grpc::CallbackServerContext* ctx, const v1::ListDeviationsRequest* request,
    v1::ListDeviationsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    store::DeviationFilter filter;
    filter.open_only = request->open_only();
    if (!request->batch_id().empty()) {
      ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
      filter.batch_id = din.compact();
    }
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<store::DeviationRow> page,
                       tx.ListDeviations(filter, after, limit));
      for (const store::DeviationRow& row : page.items) {
        ToProto(row.deviation, row.batch_id, response->add_deviations());
      }
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
