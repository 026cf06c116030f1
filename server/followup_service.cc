#include "server/followup_service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "app/followups.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/signatures.h"

namespace cpctrack::server {
namespace {

// The case as the API shows it, with the signature of each step signed.
void FillFollowUp(const app::FollowUpState& state, const std::vector<absl::Duration>& deadlines,
                  v1::FollowUp* out) {
  ToProto(state.follow_up, deadlines, absl::Now(), out);
  for (const domain::Signature& s : state.signatures) {
    if (s.meaning == domain::SignatureMeaning::kFollowUpAssessed && out->has_assessment()) {
      ToProto(s, out->mutable_assessment()->mutable_signature());
    }
    if (s.meaning == domain::SignatureMeaning::kFollowUpAcknowledged &&
        out->has_acknowledgement()) {
      ToProto(s, out->mutable_acknowledgement()->mutable_signature());
    }
  }
}

absl::Status RequireId(int64_t follow_up_id) {
  if (follow_up_id <= 0) return absl::InvalidArgumentError("follow_up_id: required");
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* FollowUpService::ListFollowUps(grpc::CallbackServerContext* ctx,
                                                         const v1::ListFollowUpsRequest* request,
                                                         v1::ListFollowUpsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::FollowUp> all,
                       tx.ListFollowUps(request->open_only()));
      for (const domain::FollowUp& f : all) {
        ASSIGN_OR_RETURN(app::FollowUpState state, app::LoadFollowUp(tx, f.follow_up_id));
        FillFollowUp(state, config_.follow_up_deadlines, response->add_follow_ups());
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* FollowUpService::GetFollowUp(grpc::CallbackServerContext* ctx,
                                                       const v1::GetFollowUpRequest* request,
                                                       v1::FollowUp* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId(request->follow_up_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(app::FollowUpState state, app::LoadFollowUp(tx, request->follow_up_id()));
      FillFollowUp(state, config_.follow_up_deadlines, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* FollowUpService::AssessFollowUp(
    grpc::CallbackServerContext* ctx, const v1::AssessFollowUpRequest* request,
    v1::FollowUp* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    RETURN_IF_ERROR(RequireId(request->follow_up_id()));
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request->request_id()));
          return WriteOnce(
              store_, "AssessFollowUp", write.user, *request, request->request_id(), response,
              [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(app::FollowUpState state,
                                 app::AssessFollowUp(tx, write, request->follow_up_id(),
                                                     request->text(),
                                                     request->adverse_event_suspected()));
                FillFollowUp(state, config_.follow_up_deadlines, response);
                return absl::OkStatus();
              });
        });
  });
}

grpc::ServerUnaryReactor* FollowUpService::AcknowledgeFollowUp(
    grpc::CallbackServerContext* ctx, const v1::AcknowledgeFollowUpRequest* request,
    v1::FollowUp* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    RETURN_IF_ERROR(RequireId(request->follow_up_id()));
    std::optional<absl::CivilDay> filed;
    if (!request->report_filed_on().empty()) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(request->report_filed_on(), &day)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "report_filed_on: \"", request->report_filed_on(), "\" is not a date (YYYY-MM-DD)"));
      }
      filed = day;
    }
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request->request_id()));
          return WriteOnce(
              store_, "AcknowledgeFollowUp", write.user, *request, request->request_id(),
              response, [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(app::FollowUpState state,
                                 app::AcknowledgeFollowUp(tx, write, request->follow_up_id(),
                                                          request->text(), filed));
                FillFollowUp(state, config_.follow_up_deadlines, response);
                return absl::OkStatus();
              });
        });
  });
}

}  // namespace cpctrack::server
