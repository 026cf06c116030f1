// QA's release and the infusion at the bedside. Pure decisions: the caller
// loads the facts and stores the result in one transaction.
#ifndef CPCTRACK_DOMAIN_RELEASE_STEPS_H_
#define CPCTRACK_DOMAIN_RELEASE_STEPS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/batch_steps.h"
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
  std::string recorded_by;
};

// The check at the bedside: the scanned unit is the unit issued, it was made
// for the patient scanned, and the plan is that patient's (FailedPrecondition
// "chain of identity: ..." on any mismatch); a fresh unit has not expired by
// `given_at`, when the infusion starts (FailedPrecondition "expired: ...").
absl::Status CheckBedside(const Unit& unit, const TreatmentPlan& plan,
                          absl::string_view scanned_unit_id, absl::string_view scanned_patient_id,
                          absl::Time given_at);

// An infusion of `unit` for `planned`: the batch released (and the release
// still valid), the bedside check passed at the infusion's start, the unit
// thawed, or fresh and held.
absl::StatusOr<Infusion> DecideInfusion(const Batch& batch, bool release_valid, const Unit& unit,
                                        const TreatmentPlan& plan, const PlannedInfusion& planned,
                                        absl::string_view scanned_unit_id,
                                        absl::string_view scanned_patient_id, Infusion infusion,
                                        const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RELEASE_STEPS_H_
