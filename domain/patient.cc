#include "domain/patient.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/plausibility.h"
#include "domain/text.h"

namespace cpctrack::domain {
namespace {

std::vector<std::pair<absl::string_view, ScreeningResult>> ScreeningFields(
    const Screening& s) {
  return {{"hbv", s.hbv}, {"hcv", s.hcv}, {"hiv", s.hiv},
          {"htlv1", s.htlv1}, {"syphilis", s.syphilis}};
}

}  // namespace

absl::string_view ScreeningResultName(ScreeningResult result) {
  switch (result) {
    case ScreeningResult::kUnspecified: return "UNSPECIFIED";
    case ScreeningResult::kNegative: return "NEGATIVE";
    case ScreeningResult::kPositive: return "POSITIVE";
    case ScreeningResult::kPending: return "PENDING";
  }
  return "UNKNOWN";
}

absl::Status ValidateIdentifier(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (id.size() > 40) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" is longer than 40 characters", field, id.substr(0, 40)));
  }
  for (char c : id) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" may contain only letters, digits, '-', '_', '.' and '/'",
          field, id));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePatient(const Patient& patient, absl::Time now) {
  if (auto s = ValidateIdentifier("patient_id", patient.patient_id); !s.ok()) return s;
  if (auto s = CheckRange("body_weight_kg", patient.body_weight_kg, 1, 400); !s.ok()) return s;
  for (const auto& [name, result] : ScreeningFields(patient.screening)) {
    if (result == ScreeningResult::kUnspecified) {
      return absl::InvalidArgumentError(absl::StrCat(
          "screening.", name, ": required (negative, positive or pending)"));
    }
  }
  if (patient.consent.given) {
    if (auto s = CheckNotFuture("consent.consent_time", patient.consent.consent_time, now);
        !s.ok()) {
      return s;
    }
    if (patient.consent.document_ref.size() > 100) {
      return absl::InvalidArgumentError(
          "consent.document_ref: longer than 100 characters");
    }
    if (auto s = ValidateText("consent.document_ref", patient.consent.document_ref); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Patient> DecidePatientUpdate(const Patient& current, const Patient& proposed,
                                            int expected_revision, absl::string_view reason,
                                            absl::Time now, absl::string_view actor) {
  if (auto s = CheckFreeText("reason", reason, 1000, true); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.message(), ": say why the patient's record changes"));
  }
  if (expected_revision <= 0) {
    return absl::InvalidArgumentError(
        "expected_revision: required (the revision of the patient the update was made from)");
  }
  if (expected_revision != current.revision) {
    return absl::AbortedError(absl::StrFormat(
        "patient %s changed since revision %d was read (now revision %d, by %s: %s); "
        "read it again and redo the update",
        current.patient_id, expected_revision, current.revision,
        current.revision > 1 ? current.updated_by : current.created_by,
        current.revision > 1 ? current.update_reason : "registered"));
  }
  if (proposed.patient_id != current.patient_id) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "patient_id: \"%s\" cannot become \"%s\"; a patient's ID never changes",
        current.patient_id, proposed.patient_id));
  }
  if (auto s = ValidatePatient(proposed, now); !s.ok()) return s;
  if (proposed.body_weight_kg == current.body_weight_kg &&
      proposed.screening == current.screening && proposed.consent == current.consent) {
    return absl::InvalidArgumentError(absl::StrCat(
        "patient ", current.patient_id, ": the update changes nothing"));
  }
  Patient next = current;
  next.body_weight_kg = proposed.body_weight_kg;
  next.screening = proposed.screening;
  next.consent = proposed.consent;
  next.revision = current.revision + 1;
  next.updated_at = now;
  next.updated_by = std::string(actor);
  next.update_reason = std::string(reason);
  return next;
}

absl::Status CheckEligibleForBatch(const Patient& patient) {
  if (!patient.consent.given) {
    return absl::FailedPreconditionError(absl::StrCat(
        "patient ", patient.patient_id,
        " has no recorded consent; record consent before creating a batch"));
  }
  std::vector<std::string> problems;
  for (const auto& [name, result] : ScreeningFields(patient.screening)) {
    if (result != ScreeningResult::kNegative) {
      problems.push_back(absl::StrCat(name, " ", ScreeningResultName(result)));
    }
  }
  if (!problems.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "patient ", patient.patient_id,
        " is not eligible: infectious-disease screening must be negative (",
        absl::StrJoin(problems, ", "), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PatientIdentifier> DecideAddPatientIdentifier(
    const Patient& patient, PatientIdentifier proposed,
    const std::vector<PatientIdentifier>& existing, absl::Time now, absl::string_view actor) {
  if (absl::Status s = ValidateIdentifier("kind", proposed.kind); !s.ok()) return s;
  if (absl::Status s = ValidateIdentifier("value", proposed.value); !s.ok()) return s;
  if (absl::Status s = CheckText("reason", proposed.reason, 1000, /*required=*/true); !s.ok()) {
    return s;
  }
  if (proposed.value == patient.patient_id) {
    return absl::AlreadyExistsError(absl::StrCat(
        "value: \"", proposed.value, "\" is already patient ", patient.patient_id, "'s ID"));
  }
  for (const PatientIdentifier& id : existing) {
    if (id.value == proposed.value) {
      return absl::AlreadyExistsError(absl::StrCat("value: patient ", patient.patient_id,
                                                   " already has ", id.kind, " \"", id.value,
                                                   "\""));
    }
  }
  proposed.patient_id = patient.patient_id;
  proposed.added_at = now;
  proposed.added_by = std::string(actor);
  return proposed;
}

}  // namespace cpctrack::domain
