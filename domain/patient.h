// Patients, known only by the clinic's pseudonymous ID, and whether a harvest
// from them may be processed.
#ifndef CPCTRACK_DOMAIN_PATIENT_H_
#define CPCTRACK_DOMAIN_PATIENT_H_

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class ScreeningResult { kUnspecified = 0, kNegative = 1, kPositive = 2, kPending = 3 };

absl::string_view ScreeningResultName(ScreeningResult result);

struct Screening {
  ScreeningResult hbv = ScreeningResult::kUnspecified;
  ScreeningResult hcv = ScreeningResult::kUnspecified;
  ScreeningResult hiv = ScreeningResult::kUnspecified;
  ScreeningResult htlv1 = ScreeningResult::kUnspecified;
  ScreeningResult syphilis = ScreeningResult::kUnspecified;

  friend bool operator==(const Screening&, const Screening&) = default;
};

struct Consent {
  bool given = false;
  absl::Time consent_time = absl::InfinitePast();
  std::string document_ref;

  friend bool operator==(const Consent&, const Consent&) = default;
};

// A patient as of its latest revision. Revisions are append-only: an update
// (a screening result that arrived, a new weight) is a new revision with a
// reason, and the earlier ones stay on record.
struct Patient {
  std::string patient_id;
  double body_weight_kg = 0;
  Screening screening;
  Consent consent;
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
  int revision = 1;
  absl::Time updated_at = absl::InfinitePast();  // of this revision
  std::string updated_by;
  std::string update_reason;
};

// A clinic-assigned identifier (patient, equipment, lot): 1-40 characters of
// letters, digits, '-', '_', '.', '/'. `field` names it in the error.
absl::Status ValidateIdentifier(absl::string_view field, absl::string_view id);

// An identifier the clinic gives the patient besides cpctrack's pseudonymous
// ID, e.g. the medical record number printed on the wristband. Append-only:
// added with a reason, never changed; each value names one patient.
struct PatientIdentifier {
  std::string patient_id;
  std::string kind;   // what the clinic calls it, e.g. "MRN"
  std::string value;  // e.g. "0012345"
  std::string reason;
  absl::Time added_at = absl::InfinitePast();
  std::string added_by;
};

// `proposed` (kind, value, reason) for `patient`, stamped with `now` and
// `actor`. InvalidArgument naming the field: kind and value identifiers (see
// ValidateIdentifier), a reason; AlreadyExists when `existing` (the patient's
// identifiers) has the value, or the value is another patient's ID.
absl::StatusOr<PatientIdentifier> DecideAddPatientIdentifier(
    const Patient& patient, PatientIdentifier proposed,
    const std::vector<PatientIdentifier>& existing, absl::Time now, absl::string_view actor);

// Plausible weight, every screening result stated, consent time not in the
// future.
absl::Status ValidatePatient(const Patient& patient, absl::Time now);

// The next revision of `current`: `proposed`'s weight, screening and consent,
// for `reason`. `expected_revision` is the revision the update was made from:
// Aborted if the patient changed since (a stale or replayed update must not
// overwrite a newer result). InvalidArgument if the reason is missing, the
// values are implausible or nothing changes.
absl::StatusOr<Patient> DecidePatientUpdate(const Patient& current, const Patient& proposed,
                                            int expected_revision, absl::string_view reason,
                                            absl::Time now, absl::string_view actor);

// A batch may be made only for a consenting patient whose screening is
// negative for every agent; FailedPrecondition names what is missing.
absl::Status CheckEligibleForBatch(const Patient& patient);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PATIENT_H_
