// UserService: recording people's qualifications and listing them with their
// uses.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "app/users.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "domain/where_used.h"
#include "server/api_mapping.h"
#include "server/auth_service.h"

namespace cpctrack::server {
namespace {

// The newest steps a listing looks at for uses.
constexpr int kMaxSteps = 5000;

void QualificationToProto(const domain::Qualification& q, absl::CivilDay today,
                          v1::Qualification* out) {
  out->set_qualification_id(q.qualification_id);
  out->set_user_name(q.user_name);
  out->set_procedure(static_cast<v1::Procedure>(q.procedure));
  out->set_qualified_on(domain::FormatDate(q.qualified_on));
  out->set_expires_on(domain::FormatDate(q.expires_on));
  out->set_evidence(q.evidence);
  ToProto(q.recorded_at, out->mutable_record_time());
  out->set_recorded_by(q.recorded_by);
  out->set_expired(q.expires_on < today);
}

// The batch a use is of: the audit trail names it in "batches/<id>/..."
// resources; a unit's ID ("units/<id>-01") starts with it.
std::string BatchOf(const domain::Use& action) {
  if (!action.batch_id.empty()) return action.batch_id;
  absl::string_view unit = action.resource;
  if (!absl::ConsumePrefix(&unit, "units/")) return "";
  return std::string(unit.substr(0, unit.find('-')));
}

}  // namespace

grpc::ServerUnaryReactor* UserService::RecordQualification(
    grpc::CallbackServerContext* ctx, const v1::RecordQualificationRequest* request,
    v1::Qualification* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    if (!v1::Procedure_IsValid(request->procedure())) {
      return absl::InvalidArgumentError(
          absl::StrCat("procedure: unknown value ", static_cast<int>(request->procedure())));
    }
    app::NewQualification q;
    q.user_name = request->user_name();
    q.procedure = static_cast<domain::Procedure>(request->procedure());
    if (!request->qualified_on().empty()) {
      ASSIGN_OR_RETURN(q.qualified_on, domain::ParseDate("qualified_on", request->qualified_on()));
    }
    ASSIGN_OR_RETURN(q.expires_on, domain::ParseDate("expires_on", request->expires_on()));
    q.evidence = request->evidence();
    const absl::CivilDay today = absl::ToCivilDay(write.now, write.zone);
    return WriteOnce(store_, "RecordQualification", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Qualification recorded,
                                        app::RecordQualification(tx, write, q));
                       QualificationToProto(recorded, today, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* UserService::ListQualifications(
    grpc::CallbackServerContext* ctx, const v1::ListQualificationsRequest* request,
    v1::ListQualificationsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId("user_name", request->user_name()));
    const absl::Time now = absl::Now();
    const absl::CivilDay today = absl::ToCivilDay(now, config_.time_zone);
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.GetUser(request->user_name()).status());
      ASSIGN_OR_RETURN(std::vector<domain::Qualification> held,
                       tx.LoadQualifications(request->user_name()));
      ASSIGN_OR_RETURN(std::vector<domain::Use> actions,
                       tx.UserActions(request->user_name(), absl::UnixEpoch(), now, kMaxSteps));
      for (const domain::Qualification& q : held) {
        QualificationToProto(q, today, response->add_qualifications());
      }
      // Newest first, as UserActions reads them; each under the
      // qualification it was recorded under.
      for (const domain::Use& action : actions) {
        const std::optional<domain::Step> step = domain::StepOfAction(action.detail);
        if (!step.has_value()) continue;
        const domain::Qualification* q = domain::QualificationFor(
            held, domain::ProcedureOf(*step), absl::ToCivilDay(action.at, config_.time_zone));
        if (q == nullptr) continue;  // recorded before it was required
        const int index = static_cast<int>(q - held.data());
        v1::QualificationUse* use = response->mutable_qualifications(index)->add_uses();
        use->set_step(std::string(domain::StepName(*step)));
        use->set_action(action.detail);
        use->set_batch_id(BatchOf(action));
        use->set_resource(action.resource);
        ToProto(action.at, use->mutable_record_time());
      }
      response->set_uses_truncated(static_cast<int>(actions.size()) == kMaxSteps);
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
