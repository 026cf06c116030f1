// Patients, known only by the clinic's pseudonymous ID, and whether a harvest
// from them may be processed.
#ifndef CPCTRACK_DOMAIN_PATIENT_H_
#define CPCTRACK_DOMAIN_PATIENT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
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
};

struct Consent {
  bool given = false;
  absl::Time consent_time = absl::InfinitePast();
  std::string document_ref;
};

struct Patient {
  std::string patient_id;
  double body_weight_kg = 0;
  Screening screening;
  Consent consent;
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

// A clinic-assigned identifier (patient, equipment, lot): 1-40 characters of
// letters, digits, '-', '_', '.', '/'. `field` names it in the error.
absl::Status ValidateIdentifier(absl::string_view field, absl::string_view id);

// Plausible weight, every screening result stated, consent time not in the
// future.
absl::Status ValidatePatient(const Patient& patient, absl::Time now);

// A batch may be made only for a consenting patient whose screening is
// negative for every agent; FailedPrecondition names what is missing.
absl::Status CheckEligibleForBatch(const Patient& patient);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PATIENT_H_
