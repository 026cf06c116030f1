// Mapping: users, signatures, patients' identifiers, treatment plans and
// follow-ups.
#include "domain/status_macros.h"
#include "mapping/mapping.h"

namespace cpctrack::mapping {

void ToProto(const domain::User& user, v1::User* out) {
  out->set_user_name(user.name);
  out->set_full_name(user.full_name);
  for (domain::Role role : user.roles) out->add_roles(static_cast<v1::Role>(role));
  out->set_disabled(user.disabled);
  ToProto(user.created_at, out->mutable_create_time());
  out->set_created_by(user.created_by);
}

void ToProto(const domain::Signature& signature, v1::Signature* out) {
  out->set_signer(signature.signer);
  out->set_full_name(signature.full_name);
  out->set_meaning(std::string(domain::SignatureMeaningText(signature.meaning)));
  ToProto(signature.signed_at, out->mutable_signed_at());
  out->set_resource(signature.resource);
  out->set_content_sha256(signature.content_sha256);
}

void ToProto(const domain::PatientIdentifier& id, v1::PatientIdentifier* out) {
  out->set_patient_id(id.patient_id);
  out->set_kind(id.kind);
  out->set_value(id.value);
  out->set_reason(id.reason);
  ToProto(id.added_at, out->mutable_add_time());
  out->set_added_by(id.added_by);
}

absl::StatusOr<domain::TreatmentPlan> FromProto(const v1::TreatmentPlan& p) {
  domain::TreatmentPlan plan;
  plan.plan_number = p.plan_number();
  switch (p.dose_case()) {
    case v1::TreatmentPlan::kFixedCells: plan.fixed_cells = p.fixed_cells(); break;
    case v1::TreatmentPlan::kCellsPerKg: plan.cells_per_kg = p.cells_per_kg(); break;
    case v1::TreatmentPlan::DOSE_NOT_SET:
      return absl::InvalidArgumentError("plan.dose: give fixed_cells or cells_per_kg");
  }
  for (const v1::PlannedInfusion& i : p.infusions()) {
    domain::PlannedInfusion planned;
    ASSIGN_OR_RETURN(planned.planned_day, domain::ParseDate("planned_date", i.planned_date()));
    plan.infusions.push_back(planned);
  }
  return plan;
}

void ToProto(const domain::FollowUp& f, const std::vector<absl::Duration>& deadlines,
             absl::Time now, v1::FollowUp* out) {
  out->set_follow_up_id(f.follow_up_id);
  out->set_batch_id(f.batch_id);
  out->set_patient_id(f.patient_id);
  out->set_qc_test_id(f.qc_test_id);
  out->set_deviation_id(f.deviation_id);
  out->set_finding(f.finding);
  ToProto(f.opened_at, out->mutable_opened_at());
  out->set_opened_by(f.opened_by);
  for (const domain::InfusionOnRecord& i : f.infused) {
    v1::FollowUpInfusion* given = out->add_infused();
    given->set_infusion_record_id(i.infusion_record_id);
    given->set_unit_id(i.unit_id);
    given->set_patient_id(i.patient_id);
    ToProto(i.started_at, given->mutable_started_at());
    given->set_planned_infusion_id(i.planned_infusion_id);
    given->set_plan_number(i.plan_number);
  }
  for (const std::string& id : f.held_unit_ids) out->add_held_unit_ids(id);
  if (f.assessment.has_value()) {
    out->mutable_assessment()->set_text(f.assessment->text);
    out->mutable_assessment()->set_adverse_event_suspected(f.assessment->adverse_event_suspected);
  }
  if (f.acknowledgement.has_value()) {
    out->mutable_acknowledgement()->set_text(f.acknowledgement->text);
    if (f.acknowledgement->report_filed_on.has_value()) {
      out->mutable_acknowledgement()->set_report_filed_on(
          absl::FormatCivilTime(*f.acknowledgement->report_filed_on));
    }
  }
  out->set_open(f.Open());
  out->set_summary(domain::DescribeFollowUp(f));
  for (const domain::DeadlineStatus& d : domain::FollowUpDeadlines(f, deadlines, now)) {
    v1::FollowUpDeadline* deadline = out->add_deadlines();
    deadline->set_name(d.name);
    ToProto(d.due_at, deadline->mutable_due_at());
    deadline->set_overdue(d.overdue);
  }
}

}  // namespace cpctrack::mapping
