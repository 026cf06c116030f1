// QA's release and the infusion at the bedside. Pure decisions: the caller
// loads the facts and stores the result in one transaction.
#ifndef CPCTRACK_DOMAIN_RELEASE_STEPS_H_
#define CPCTRACK_DOMAIN_RELEASE_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "domain/batch_steps.h"
#include "domain/late_entry.h"
#include "domain/patient.h"
#include "domain/quarantine.h"
#include "domain/readiness.h"
#include "domain/treatment_plan.h"
#include "domain/units.h"

namespace cpctrack::domain {

// PermissionDenied, naming the records, when `signer` recorded any production
// step, QC result or unit of the batch: the person who releases did not make
// or test it.
absl::Status CheckReleaseIndependent(const ReadinessFacts& facts, absl::string_view signer);

// The release signature, bound to the record as evaluated now. Refused
// (PermissionDenied) unless the signer is independent of the batch, then
// (FailedPrecondition) listing every criterion not met or pending. A batch
// whose only shortfalls are covered by the physician's signed request is
// released as non-conforming: the meaning names the deviations.
// The decision carries what it does to the batch: RELEASED, by the lifecycle
// table.
struct ReleaseDecision {
  Release release;
  BatchEffects effects;
};
absl::StatusOr<ReleaseDecision> DecideRelease(const ReadinessFacts& facts,
                                              const StepContext& ctx);

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
  // Set when the infusion is recorded more than the product's max_entry_delay
  // after its start (late_entry.h): "infusions/<id>" once stored.
  std::optional<LateEntry> late_entry;
};

// What the bedside checks besides the unit and the plan: what its scans are
// compared with, and the product's window from thaw to infusion.
struct BedsideFacts {
  // The unit's product version's ISBT 128 Product Description Code ("" for
  // none): a scanned product code must carry it.
  std::string isbt_product_description_code;
  // The clinic's identifiers of the unit's patient (e.g. the wristband's
  // medical record number), any of which the wristband may carry.
  std::vector<PatientIdentifier> patient_identifiers;
  // The unit's product version's longest time from thaw to the start of
  // infusion.
  absl::Duration max_thaw_to_infusion = absl::Hours(4);
  // Its longest delay between an event and its record (late_entry.h).
  absl::Duration max_entry_delay = absl::Hours(24);
};

// The check at the bedside. `scanned_unit` and `scanned_patient` are what the
// scanners typed (domain/scan.h): a malformed scan or a failing DIN check is
// InvalidArgument. The scan must name this unit (and its product, when it
// carries a product code), the unit must be one issued for infusion (thawed,
// or fresh and held), the wristband must carry the patient's ID or one of
// the clinic's identifiers of that patient, and the plan must be that
// patient's (FailedPrecondition "chain of identity: ..." on any mismatch); the
// unit has not expired by `given_at`, when the infusion starts
// (FailedPrecondition "expired: ..."), and a thawed unit's infusion starts
// within the product's window from its thaw (FailedPrecondition "thawed too
// long ago: ..."; a start exactly at the window's end is within it).
absl::Status CheckBedside(const Unit& unit, const TreatmentPlan& plan,
                          const BedsideFacts& facts, absl::string_view scanned_unit,
                          absl::string_view scanned_patient, absl::Time given_at);

// Two people at the bedside: the one who scans (`scanner`) and a second who
// verifies unit and patient identity and signs for it. The verifier must be
// another person (FailedPrecondition) who may record infusions
// (PermissionDenied).
absl::Status CheckBedsideVerifier(absl::string_view scanner, absl::string_view verifier,
                                  const std::vector<Role>& verifier_roles);

// An infusion of `unit` for `planned`: the batch released (and the release
// still valid), the bedside check passed at the infusion's start, the unit
// thawed, or fresh and held; recorded late, with ctx.late_entry_reason.
absl::StatusOr<Infusion> DecideInfusion(const Batch& batch, bool release_valid, const Unit& unit,
                                        const TreatmentPlan& plan, const PlannedInfusion& planned,
                                        const BedsideFacts& facts,
                                        absl::string_view scanned_unit_id,
                                        absl::string_view scanned_patient_id, Infusion infusion,
                                        const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RELEASE_STEPS_H_
