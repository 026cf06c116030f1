// Patients: registration, revisions (screening, consent, weight; a patient
// no longer eligible puts their batches in process under a deviation) and
// the clinic's identifiers. Proto-free.
#ifndef CPCTRACK_APP_PATIENTS_H_
#define CPCTRACK_APP_PATIENTS_H_

#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/patient.h"
#include "store/store.h"

namespace cpctrack::app {

// `ctx.user` registers `patient` (ID, weight, screening, consent) at
// `ctx.now`; InvalidArgument per domain::ValidatePatient.
absl::StatusOr<domain::Patient> CreatePatient(store::Transaction& tx, const WriteContext& ctx,
                                              domain::Patient patient);

// `ctx.user` revises patient `proposed.patient_id` with `proposed`'s weight,
// screening and consent, for `reason`, from revision `expected_revision`
// (Aborted if the patient changed since). Returns the new revision.
absl::StatusOr<domain::Patient> UpdatePatient(store::Transaction& tx, const WriteContext& ctx,
                                              const domain::Patient& proposed,
                                              int expected_revision, absl::string_view reason);

// `ctx.user` adds `proposed` (kind, value, reason) to patient
// `proposed.patient_id`; AlreadyExists when the value names another patient.
absl::StatusOr<domain::PatientIdentifier> AddPatientIdentifier(
    store::Transaction& tx, const WriteContext& ctx, const domain::PatientIdentifier& proposed);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_PATIENTS_H_
