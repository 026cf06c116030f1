#include "server/followup_service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/signatures.h"

namespace cpctrack::server {
namespace {

std::string Resource(int64_t follow_up_id) { return absl::StrCat("followups/", follow_up_id); }

std::string ToJson(const domain::FollowUp& f) {
  return domain::JsonObject()
      .Add("follow_up_id", f.follow_up_id)
      .Add("batch_id", f.batch_id)
      .Add("patient_id", f.patient_id)
      .Add("qc_test_id", f.qc_test_id)
      .Add("deviation_id", f.deviation_id)
      .Add("summary", domain::DescribeFollowUp(f))
      .Add("opened_at", f.opened_at)
      .Add("opened_by", f.opened_by)
      .Build();
}

std::string ToJson(const domain::FollowUpAssessment& a) {
  return domain::JsonObject()
      .Add("text", a.text)
      .Add("adverse_event_suspected", a.adverse_event_suspected)
      .Add("signed_at", a.signed_at)
      .Add("signer", a.signer)
      .Build();
}

std::string ToJson(const domain::FollowUpAcknowledgement& a) {
  return domain::JsonObject()
      .Add("text", a.text)
      .Add("report_filed_on",
           a.report_filed_on.has_value() ? absl::FormatCivilTime(*a.report_filed_on) : "")
      .Add("signed_at", a.signed_at)
      .Add("signer", a.signer)
      .Build();
}

void SignatureToProto(store::Transaction& tx, const std::string& resource,
                      domain::SignatureMeaning meaning, v1::Signature* out) {
  absl::StatusOr<std::vector<domain::Signature>> signatures = tx.SignaturesFor(resource);
  if (!signatures.ok()) return;
  for (const domain::Signature& s : *signatures) {
    if (s.meaning == meaning) ToProto(s, out);
  }
}

absl::Status Reload(store::Transaction& tx, int64_t follow_up_id,
                    const std::vector<absl::Duration>& deadlines, v1::FollowUp* out) {
  ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(follow_up_id));
  ToProto(f, deadlines, absl::Now(), out);
  if (out->has_assessment()) {
    SignatureToProto(tx, Resource(follow_up_id), domain::SignatureMeaning::kFollowUpAssessed,
                     out->mutable_assessment()->mutable_signature());
  }
  if (out->has_acknowledgement()) {
    SignatureToProto(tx, Resource(follow_up_id), domain::SignatureMeaning::kFollowUpAcknowledged,
                     out->mutable_acknowledgement()->mutable_signature());
  }
  return absl::OkStatus();
}

// Audits and signs one step of follow-up `f` (QA's assessment or the
// physician's acknowledgement, `step_json`, already inserted) and answers with
// the case as it is now. The signature covers the case and the step.
absl::Status SignStep(store::Transaction& tx, const Caller& caller, const domain::FollowUp& f,
                      domain::AuditAction action, domain::SignatureMeaning meaning,
                      const std::string& step_json, const std::string& text,
                      const domain::StepContext& step, absl::string_view request_id,
                      const std::vector<absl::Duration>& deadlines, v1::FollowUp* response) {
  RETURN_IF_ERROR(AppendAudit(tx, step.now, caller.user, action, Resource(f.follow_up_id),
                              ToJson(f), step_json, text, request_id));
  v1::Signature ignored;  // Reload shows it with the step
  RETURN_IF_ERROR(RecordSignature(tx, caller, meaning, Resource(f.follow_up_id),
                                  absl::StrCat(ToJson(f), "\n", step_json), step.now, request_id,
                                  &ignored)
                      .status());
  return Reload(tx, f.follow_up_id, deadlines, response);
}

absl::Status RequireId(int64_t follow_up_id) {
  if (follow_up_id <= 0) return absl::InvalidArgumentError("follow_up_id: required");
  return absl::OkStatus();
}

}  // namespace

absl::Status StoreFollowUp(store::Transaction& tx, domain::FollowUp& f,
                           const domain::StepContext& step, absl::string_view request_id) {
  RETURN_IF_ERROR(tx.InsertFollowUp(f));
  return AppendAudit(tx, step.now, step.actor, domain::AuditAction::kFollowupOpen,
                     Resource(f.follow_up_id), "", ToJson(f), "positive after release", request_id);
}

grpc::ServerUnaryReactor* FollowUpService::ListFollowUps(grpc::CallbackServerContext* ctx,
                                                         const v1::ListFollowUpsRequest* request,
                                                         v1::ListFollowUpsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::FollowUp> all,
                       tx.ListFollowUps(request->open_only()));
      for (const domain::FollowUp& f : all) {
        RETURN_IF_ERROR(
            Reload(tx, f.follow_up_id, config_.follow_up_deadlines, response->add_follow_ups()));
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
    return store_.Read([&](store::Transaction& tx) {
      return Reload(tx, request->follow_up_id(), config_.follow_up_deadlines, response);
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
          const domain::StepContext step{absl::Now(), config_.time_zone, caller.user};
          return WriteOnce(
              store_, "AssessFollowUp", caller.user, *request, request->request_id(), response,
              [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(request->follow_up_id()));
                ASSIGN_OR_RETURN(domain::FollowUpAssessment a,
                                 domain::DecideAssessment(f, request->text(),
                                                          request->adverse_event_suspected(),
                                                          step));
                RETURN_IF_ERROR(tx.InsertAssessment(f.follow_up_id, a));
                return SignStep(tx, caller, f, domain::AuditAction::kFollowupAssess,
                                domain::SignatureMeaning::kFollowUpAssessed, ToJson(a), a.text,
                                step, request->request_id(), config_.follow_up_deadlines, response);
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
          const domain::StepContext step{absl::Now(), config_.time_zone, caller.user};
          return WriteOnce(
              store_, "AcknowledgeFollowUp", caller.user, *request, request->request_id(),
              response, [=, this](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(request->follow_up_id()));
                ASSIGN_OR_RETURN(domain::FollowUpAcknowledgement a,
                                 domain::DecideAcknowledgement(f, request->text(), filed, step));
                RETURN_IF_ERROR(tx.InsertAcknowledgement(f.follow_up_id, a));
                return SignStep(tx, caller, f, domain::AuditAction::kFollowupAcknowledge,
                                domain::SignatureMeaning::kFollowUpAcknowledged, ToJson(a), a.text,
                                step, request->request_id(), config_.follow_up_deadlines, response);
              });
        });
  });
}

}  // namespace cpctrack::server
