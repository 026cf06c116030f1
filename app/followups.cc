#include "app/followups.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
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

// Audits and signs one step of follow-up `f` (QA's assessment or the
// physician's acknowledgement, `step_json`, already inserted) and answers the
// case as it is now. The signature covers the case and the step.
absl::StatusOr<FollowUpState> SignStep(store::Transaction& tx, const WriteContext& ctx,
                                       const domain::FollowUp& f, domain::AuditAction action,
                                       domain::SignatureMeaning meaning,
                                       const std::string& step_json, const std::string& text) {
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, action, Resource(f.follow_up_id), ToJson(f),
                              step_json, text, ctx.request_id));
  RETURN_IF_ERROR(RecordSignature(tx, ctx, meaning, Resource(f.follow_up_id),
                                  absl::StrCat(ToJson(f), "\n", step_json))
                      .status());
  return LoadFollowUp(tx, f.follow_up_id);
}

}  // namespace

absl::Status StoreFollowUp(store::Transaction& tx, const WriteContext& ctx,
                           domain::FollowUp& follow_up) {
  RETURN_IF_ERROR(tx.InsertFollowUp(follow_up));
  return AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kFollowupOpen,
                     Resource(follow_up.follow_up_id), "", ToJson(follow_up),
                     "positive after release", ctx.request_id);
}

absl::StatusOr<FollowUpState> AssessFollowUp(store::Transaction& tx, const WriteContext& ctx,
                                             int64_t follow_up_id, const std::string& text,
                                             bool adverse_event_suspected) {
  ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(follow_up_id));
  ASSIGN_OR_RETURN(domain::FollowUpAssessment a,
                   domain::DecideAssessment(f, text, adverse_event_suspected, ctx.step()));
  RETURN_IF_ERROR(tx.InsertAssessment(f.follow_up_id, a));
  return SignStep(tx, ctx, f, domain::AuditAction::kFollowupAssess,
                  domain::SignatureMeaning::kFollowUpAssessed, ToJson(a), a.text);
}

absl::StatusOr<FollowUpState> AcknowledgeFollowUp(store::Transaction& tx, const WriteContext& ctx,
                                                  int64_t follow_up_id, const std::string& text,
                                                  std::optional<absl::CivilDay> report_filed_on) {
  ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(follow_up_id));
  ASSIGN_OR_RETURN(domain::FollowUpAcknowledgement a,
                   domain::DecideAcknowledgement(f, text, report_filed_on, ctx.step()));
  RETURN_IF_ERROR(tx.InsertAcknowledgement(f.follow_up_id, a));
  return SignStep(tx, ctx, f, domain::AuditAction::kFollowupAcknowledge,
                  domain::SignatureMeaning::kFollowUpAcknowledged, ToJson(a), a.text);
}

absl::StatusOr<FollowUpState> LoadFollowUp(store::Transaction& tx, int64_t follow_up_id) {
  ASSIGN_OR_RETURN(domain::FollowUp f, tx.GetFollowUp(follow_up_id));
  ASSIGN_OR_RETURN(std::vector<domain::Signature> signatures,
                   tx.SignaturesFor(Resource(follow_up_id)));
  return FollowUpState{std::move(f), std::move(signatures)};
}

}  // namespace cpctrack::app
