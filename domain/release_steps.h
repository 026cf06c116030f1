// QA's release and the infusion at the bedside. Pure decisions: the caller
// loads the facts and stores the result in one transaction.
#ifndef CPCTRACK_DOMAIN_RELEASE_STEPS_H_
#define CPCTRACK_DOMAIN_RELEASE_STEPS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/batch_steps.h"
#include "domain/patient.h"
#include "domain/readiness.h"
#include "domain/treatment_plan.h"
#include "domain/units.h"

namespace cpctrack::domain {

// The release signature, bound to the record as evaluated now. Refused
// (FailedPrecondition) listing every criterion not met or pending.
absl::StatusOr<Release> DecideRelease(const ReadinessFacts& facts, const StepContext& ctx);

struct Infusion {
  int64_t infusion_record_id = 0;  // 0 until stored
  int64_t planned_infusion_id = 0;
  std::string unit_id;
  absl::Time started_at = absl::InfinitePast();
  absl::Time ended_at = absl::InfinitePast();
  // Defaults to the unit's viable cells: after thaw, or as formulated (fresh).
  int64_t viable_cells_given = 0;
  std::string adverse_events;      // "" when none
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;  // who scanned
  std::string verified_by;  // the second person, who signed for the identity check
};

// What the bedside scans are compared with besides the unit and the plan.
struct BedsideIdentity {
  // The unit's product version's ISBT 128 Product Description Code ("" for
  // none): a scanned product code must carry it.
  std::string isbt_product_description_code;
  // The clinic's identifiers of the unit's patient (e.g. the wristband's
  // medical record number), any of which the wristband may carry.
  std::vector<PatientIdentifier> patient_identifiers;
};

// The check at the bedside. `scanned_unit` and `scanned_patient` are what the
// scanners typed (domain/scan.h): a malformed scan or a failing DIN check is
// InvalidArgument. The scan must name this unit (and its product, when it
// carries a product code), the unit must be one issued for infusion (thawed,
// or fresh and held), the wristband must carry the patient's ID or one of
// the clinic's identifiers of that patient, and the plan must be that
// patient's (FailedPrecondition "chain of identity: ..." on any mismatch); a
// fresh unit has not expired by `given_at`, when the infusion starts
// (FailedPrecondition "expired: ...").
absl::Status CheckBedside(const Unit& unit, const TreatmentPlan& plan,
                          const BedsideIdentity& identity, absl::string_view scanned_unit,
                          absl::string_view scanned_patient, absl::Time given_at);

// Two people at the bedside: the one who scans (`scanner`) and a second who
// verifies unit and patient identity and signs for it. The verifier must be
// another person (FailedPrecondition) who may record infusions
// (PermissionDenied).
absl::Status CheckBedsideVerifier(absl::string_view scanner, absl::string_view verifier,
                                  const std::vector<Role>& verifier_roles);

// An infusion of `unit` for `planned`: the batch released (and the release
// still valid), the bedside check passed at the infusion's start, the unit
// thawed, or fresh and held.
absl::StatusOr<Infusion> DecideInfusion(const Batch& batch, bool release_valid, const Unit& unit,
                                        const TreatmentPlan& plan, const PlannedInfusion& planned,
                                        const BedsideIdentity& identity,
                                        absl::string_view scanned_unit_id,
                                        absl::string_view scanned_patient_id, Infusion infusion,
                                        const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RELEASE_STEPS_H_
