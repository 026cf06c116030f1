#include "app/patients.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "domain/audit.h"
#include "domain/deviation_rules.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

std::string PatientResource(absl::string_view patient_id) {
  return absl::StrCat("patients/", patient_id);
}

// A patient who is no longer eligible (a positive screening result, consent
// withdrawn) puts every batch still in process under a deviation, in the
// same transaction as the update that says so.
absl::Status FlagPatientBatches(store::Transaction& tx, const WriteContext& ctx,
                                const domain::Patient& before, const domain::Patient& after) {
  std::optional<domain::Deviation> deviation =
      domain::RaisePatientDeviation(before, after, ctx.now, ctx.user);
  if (!deviation.has_value()) return absl::OkStatus();
  store::BatchFilter filter;
  filter.patient_id = after.patient_id;
  std::string after_key;
  do {
    ASSIGN_OR_RETURN(store::Page<store::BatchSummary> page,
                     tx.ListBatches(filter, after_key, 500));
    for (const store::BatchSummary& summary : page.items) {
      if (!domain::AffectedByPatientChange(summary.batch)) continue;
      domain::Deviation d = *deviation;
      RETURN_IF_ERROR(tx.InsertDeviation(summary.batch.batch_id, d));
      RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kDeviationOpen,
                                  absl::StrCat("batches/", summary.batch.batch_id.compact(),
                                               "/deviations/", d.deviation_id),
                                  "", domain::ToJson(d), d.description, ctx.request_id));
    }
    after_key = page.next_key;
  } while (!after_key.empty());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::Patient> CreatePatient(store::Transaction& tx, const WriteContext& ctx,
                                              domain::Patient patient) {
  RETURN_IF_ERROR(domain::ValidatePatient(patient, ctx.now));
  patient.created_at = ctx.now;
  patient.created_by = ctx.user;
  RETURN_IF_ERROR(tx.InsertPatient(patient));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kPatientCreate,
                              PatientResource(patient.patient_id), "", domain::ToJson(patient),
                              "", ctx.request_id));
  return patient;
}

absl::StatusOr<domain::Patient> UpdatePatient(store::Transaction& tx, const WriteContext& ctx,
                                              const domain::Patient& proposed,
                                              int expected_revision, absl::string_view reason) {
  ASSIGN_OR_RETURN(domain::Patient current, tx.GetPatient(proposed.patient_id));
  ASSIGN_OR_RETURN(domain::Patient next,
                   domain::DecidePatientUpdate(current, proposed, expected_revision, reason,
                                               ctx.now, ctx.user));
  RETURN_IF_ERROR(tx.InsertPatientRevision(next));
  RETURN_IF_ERROR(FlagPatientBatches(tx, ctx, current, next));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kPatientUpdate,
                              PatientResource(next.patient_id), domain::ToJson(current),
                              domain::ToJson(next), reason, ctx.request_id));
  return next;
}

absl::StatusOr<domain::PatientIdentifier> AddPatientIdentifier(
    store::Transaction& tx, const WriteContext& ctx, const domain::PatientIdentifier& proposed) {
  ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(proposed.patient_id));
  // A wristband must name one patient: not another's cpctrack ID either.
  if (proposed.value != patient.patient_id && tx.GetPatient(proposed.value).ok()) {
    return absl::AlreadyExistsError(absl::StrCat("identifier.value: \"", proposed.value,
                                                 "\" is patient ", proposed.value,
                                                 "'s ID; an identifier names one patient"));
  }
  ASSIGN_OR_RETURN(std::vector<domain::PatientIdentifier> existing,
                   tx.LoadPatientIdentifiers(patient.patient_id));
  ASSIGN_OR_RETURN(domain::PatientIdentifier id,
                   domain::DecideAddPatientIdentifier(patient, proposed, existing, ctx.now,
                                                      ctx.user));
  RETURN_IF_ERROR(tx.InsertPatientIdentifier(id));
  RETURN_IF_ERROR(
      AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kPatientAddIdentifier,
                  PatientResource(patient.patient_id), "",
                  domain::JsonObject().Add("kind", id.kind).Add("value", id.value).Build(),
                  id.reason, ctx.request_id));
  return id;
}

}  // namespace cpctrack::app
