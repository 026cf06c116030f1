#include "domain/followup.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

std::optional<FollowUp> DecideFollowUp(const Batch& batch, bool released,
                                       const QcSample& sample, const QcTest& test,
                                       const QcValue& value,
                                       const std::vector<InfusionOnRecord>& infused,
                                       const BatchEffects& effects, const StepContext& ctx) {
  if (!IsContamination(value)) return std::nullopt;
  if (!released && infused.empty()) return std::nullopt;
  FollowUp f;
  f.batch_id = batch.batch_id.compact();
  f.patient_id = batch.patient_id;
  f.qc_test_id = test.test_id;
  f.finding = absl::StrCat(QcTestTypeName(test.type), " test ", test.test_id, " ",
                           DescribeValue(value), " (sample ", sample.sample_id, ", ",
                           SamplePointName(sample.point), ")");
  f.opened_at = ctx.now;
  f.opened_by = ctx.actor;
  f.infused = infused;
  for (const UnitChange& change : effects.unit_changes) {
    if (change.event == UnitEventKind::kQuarantined) f.held_unit_ids.push_back(change.unit_id);
  }
  return f;
}

absl::StatusOr<FollowUpAssessment> DecideAssessment(const FollowUp& f, std::string text,
                                                    bool adverse_event_suspected,
                                                    const StepContext& ctx) {
  if (f.assessment.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("follow-up ", f.follow_up_id, " was assessed by ", f.assessment->signer,
                     " at ", FormatUtc(f.assessment->signed_at), "; an assessment is signed once"));
  }
  RETURN_IF_ERROR(CheckText("text", text, 4000, true));
  return FollowUpAssessment{std::move(text), adverse_event_suspected, ctx.now, ctx.actor};
}

absl::StatusOr<FollowUpAcknowledgement> DecideAcknowledgement(
    const FollowUp& f, std::string text, std::optional<absl::CivilDay> report_filed_on,
    const StepContext& ctx) {
  if (f.acknowledgement.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "follow-up ", f.follow_up_id, " was acknowledged by ", f.acknowledgement->signer, " at ",
        FormatUtc(f.acknowledgement->signed_at), "; an acknowledgement is signed once"));
  }
  if (!f.assessment.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "follow-up ", f.follow_up_id,
        " has no QA assessment yet; the physician acknowledges QA's signed assessment"));
  }
  if (f.assessment->signer == ctx.actor) {
    return absl::PermissionDeniedError(absl::StrCat(
        "follow-up ", f.follow_up_id, ": ", ctx.actor,
        " signed QA's assessment and cannot also acknowledge it as the physician"));
  }
  RETURN_IF_ERROR(CheckText("text", text, 4000, true));
  if (f.assessment->adverse_event_suspected && !report_filed_on.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "report_filed_on: required: QA's assessment of follow-up ", f.follow_up_id,
        " suspects an adverse event; give the date the report was filed"));
  }
  if (report_filed_on.has_value()) {
    const absl::CivilDay opened = absl::ToCivilDay(f.opened_at, ctx.facility_zone);
    const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.facility_zone);
    if (*report_filed_on < opened || *report_filed_on > today) {
      return absl::InvalidArgumentError(absl::StrCat(
          "report_filed_on: ", absl::FormatCivilTime(*report_filed_on), " must be between ",
          absl::FormatCivilTime(opened), " (the case was opened) and today (",
          absl::FormatCivilTime(today), ")"));
    }
  }
  return FollowUpAcknowledgement{std::move(text), report_filed_on, ctx.now, ctx.actor};
}

std::vector<DeadlineStatus> FollowUpDeadlines(const FollowUp& f,
                                              const std::vector<absl::Duration>& deadlines,
                                              absl::Time now) {
  std::vector<DeadlineStatus> out;
  for (absl::Duration d : deadlines) {
    DeadlineStatus s;
    s.name = absl::StrCat("report within ", DescribeDuration(d));
    s.due_at = f.opened_at + d;
    s.overdue = f.Open() && now > s.due_at;
    out.push_back(std::move(s));
  }
  return out;
}

std::string DescribeFollowUp(const FollowUp& f) {
  std::string out = absl::StrCat(f.finding, " on batch ", f.batch_id, "; ");
  if (f.infused.empty()) {
    absl::StrAppend(&out, "released, no unit infused yet");
  } else {
    std::vector<std::string> given;
    for (const InfusionOnRecord& i : f.infused) {
      given.push_back(absl::StrCat(i.unit_id, " infused into ", i.patient_id, " on ",
                                   FormatUtc(i.started_at), " (plan ", i.plan_number, ")"));
    }
    absl::StrAppend(&out, absl::StrJoin(given, "; "));
  }
  absl::StrAppend(&out, f.held_unit_ids.empty()
                            ? "; no unit left to hold"
                            : absl::StrCat("; held: ", absl::StrJoin(f.held_unit_ids, ", ")));
  return out;
}

}  // namespace cpctrack::domain
