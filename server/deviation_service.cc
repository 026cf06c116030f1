#include "server/deviation_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/deviation_steps.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/excursion_support.h"
#include "server/sign_in.h"
#include "server/signatures.h"

namespace cpctrack::server {
namespace {

struct DeviationFacts {
  domain::Batch batch;
  std::vector<domain::Deviation> all;
  domain::Deviation deviation;
};

absl::StatusOr<DeviationFacts> LoadDeviationFacts(store::Transaction& tx, int64_t deviation_id) {
  if (deviation_id <= 0) return absl::InvalidArgumentError("deviation_id: required");
  ASSIGN_OR_RETURN(std::string batch_id, tx.DeviationBatch(deviation_id));
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> all, tx.LoadDeviations(din));
  for (const domain::Deviation& d : all) {
    if (d.deviation_id == deviation_id) return DeviationFacts{std::move(batch), all, d};
  }
  return absl::InternalError(absl::StrCat("deviation ", deviation_id, " vanished"));
}

std::string DeviationResource(const domain::Batch& batch, int64_t deviation_id) {
  return server::DeviationResource(batch.batch_id, deviation_id);
}

// The deviation as stored now.
absl::Status Reload(store::Transaction& tx, int64_t deviation_id, v1::Deviation* out) {
  ASSIGN_OR_RETURN(DeviationFacts facts, LoadDeviationFacts(tx, deviation_id));
  ToProto(facts.deviation, facts.batch.batch_id, out);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* DeviationService::OpenDeviation(grpc::CallbackServerContext* ctx,
                                                          const v1::OpenDeviationRequest* request,
                                                          v1::Deviation* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    ASSIGN_OR_RETURN(domain::DeviationKind kind, FromProto(request->kind()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "OpenDeviation", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
                       ASSIGN_OR_RETURN(domain::Deviation d,
                                        domain::DecideOpenDeviation(batch, kind,
                                                                    request->description(), step));
                       RETURN_IF_ERROR(tx.InsertDeviation(din, d));
                       RETURN_IF_ERROR(
                           AppendAudit(tx, step.now, user, domain::AuditAction::kDeviationOpen,
                                       DeviationResource(batch, d.deviation_id), "",
                                       domain::ToJson(d), d.description, request->request_id()));
                       ToProto(d, din, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* DeviationService::AddDeviationNote(
    grpc::CallbackServerContext* ctx, const v1::AddDeviationNoteRequest* request,
    v1::Deviation* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "AddDeviationNote", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(DeviationFacts facts,
                                        LoadDeviationFacts(tx, request->deviation_id()));
                       ASSIGN_OR_RETURN(domain::DeviationNote note,
                                        domain::DecideAddNote(facts.batch, facts.deviation,
                                                              request->text(), step));
                       RETURN_IF_ERROR(tx.InsertDeviationNote(request->deviation_id(), note));
                       RETURN_IF_ERROR(
                           AppendAudit(tx, step.now, user, domain::AuditAction::kDeviationAddNote,
                                       DeviationResource(facts.batch, request->deviation_id()), "",
                                       domain::ToJson(note), "", request->request_id()));
                       return Reload(tx, request->deviation_id(), response);
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
  const std::string& user = caller.user;
  const domain::StepContext step{absl::Now(), config_.time_zone, user};
  return WriteOnce(
      store_, "CloseDeviation", user, *request, request->request_id(), response,
      [=, this](store::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(DeviationFacts facts, LoadDeviationFacts(tx, request->deviation_id()));
        ASSIGN_OR_RETURN(std::optional<domain::BatchState> before,
                         tx.StateBeforeQuarantine(facts.batch.batch_id));
        ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(facts.batch.batch_id));
        ASSIGN_OR_RETURN(std::vector<domain::QcTest> tests, tx.LoadTests(facts.batch.batch_id));
        ASSIGN_OR_RETURN(const domain::Disposition disposition, FromProto(request->disposition()));
        ASSIGN_OR_RETURN(
            domain::CloseDecision decision,
            domain::DecideCloseDeviation(
                facts.batch, before.value_or(domain::BatchState::kRegistered), facts.deviation,
                facts.all, units, tests,
                domain::CloseRequest{disposition, request->reason(),
                                     physician.has_value() ? physician->user
                                                           : request->physician()},
                step));
        RETURN_IF_ERROR(tx.InsertDeviationClosure(request->deviation_id(), decision.closure));
        const std::string resource = DeviationResource(facts.batch, request->deviation_id());
        RETURN_IF_ERROR(AppendAudit(tx, step.now, user, domain::AuditAction::kDeviationClose,
                                    resource, domain::ToJson(facts.deviation),
                                    domain::ToJson(decision.closure), decision.closure.reason,
                                    request->request_id()));
        // Signed: the deviation as it stood and the closure that disposes of it.
        const std::string signed_content = absl::StrCat(domain::ToJson(facts.deviation), "\n",
                                                        domain::ToJson(decision.closure));
        RETURN_IF_ERROR(RecordSignature(tx, caller, domain::SignatureMeaning::kDeviationDisposition,
                                        resource, signed_content, step.now,
                                        request->request_id(), response->mutable_signature())
                            .status());
        // The physician's request, signed on the same record.
        if (physician.has_value()) {
          RETURN_IF_ERROR(RecordSignature(tx, *physician,
                                          domain::SignatureMeaning::kPhysicianUseRequested,
                                          resource, signed_content, step.now,
                                          request->request_id(),
                                          response->mutable_physician_signature())
                              .status());
        }
        const std::string cause =
            absl::StrCat("deviation ", request->deviation_id(), " closed: ",
                         domain::DispositionName(disposition), " (", decision.closure.reason, ")");
        ASSIGN_OR_RETURN(StoredEffects effects,
                         StoreEffects(tx, facts.batch, std::move(decision.effects), step.now, user,
                                      cause, request->request_id()));
        response->set_batch_state(static_cast<v1::BatchState>(facts.batch.state));
        for (const std::string& id : effects.changed_unit_ids) {
          response->add_changed_unit_ids(id);
        }
        return Reload(tx, request->deviation_id(), response->mutable_deviation());
      });
}

grpc::ServerUnaryReactor* DeviationService::GetDeviation(grpc::CallbackServerContext* ctx,
                                                         const v1::GetDeviationRequest* request,
                                                         v1::Deviation* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) {
      return Reload(tx, request->deviation_id(), response);
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
