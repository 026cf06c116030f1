// The clinic's writes on a treatment plan: the plan with its planned
// infusions, the bedside check before an infusion and the infusion itself,
// signed by a second person who verified unit and patient identity.
#ifndef CPCTRACK_APP_TREATMENT_H_
#define CPCTRACK_APP_TREATMENT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/din.h"
#include "domain/units.h"
#include "domain/patient.h"
#include "domain/release_steps.h"
#include "domain/signature.h"
#include "domain/treatment_plan.h"
#include "store/store.h"

namespace cpctrack::app {

struct NewPlan {
  domain::Din batch_id;  // the batch that supplies the plan
  // The patient the requester meant; empty: the batch's. When given it must
  // be the batch's patient.
  std::string patient_id;
  // The plan number, the dose (fixed_cells or cells_per_kg) and the planned
  // infusions' days; IDs, sequence numbers, creator and time are set here.
  domain::TreatmentPlan plan;
};

struct PlanOutcome {
  domain::TreatmentPlan plan;  // as stored, with its IDs
  domain::Patient patient;     // the plan's, for the dose at their weight
};

// Creates the plan (domain::DecideCreatePlan) by `ctx.user` at `ctx.now`
// with its audit entry (plan.create).
absl::StatusOr<PlanOutcome> CreatePlan(store::Transaction& tx, const WriteContext& ctx,
                                       const NewPlan& request);

// What the person at the bedside scanned before an infusion.
struct BedsideScan {
  int64_t planned_infusion_id = 0;
  std::string unit_id;            // the unit the scan names (domain::ScannedUnitId)
  std::string scanned_unit_id;    // the unit label as scanned
  std::string scanned_patient_id; // the wristband as scanned
  absl::Time given_at;            // when the infusion starts (the thaw window ends)
};

// What the bedside check found: OK when unit, plan and patient match
// (domain::CheckBedside), else why not. (A struct, not a bare Status: the
// write's own failure and the check's refusal are different things.)
struct BedsideCheck {
  absl::Status outcome;
};

// Records the bedside check of `scan` by `ctx.user` (who must be qualified
// for infusions on the day of `scan.given_at`) whatever its outcome, with its
// audit entry (infusion.bedside_check or infusion.bedside_refused): a refused
// attempt stays on record. Run it in its own transaction before
// RecordInfusion, and commit it even when the check refuses.
absl::StatusOr<BedsideCheck> RecordBedsideCheck(store::Transaction& tx, const WriteContext& ctx,
                                                const BedsideScan& scan);

// The second person at the bedside, whose password cpcd checked.
struct Verifier {
  std::string user;
  std::string full_name;
};

struct NewInfusion {
  BedsideScan scan;
  // started_at, ended_at, viable_cells_given and adverse_events; the rest is
  // set here (verified_by from `verifier`).
  domain::Infusion infusion;
  Verifier verifier;
};

struct InfusionOutcome {
  domain::Infusion infusion;        // as stored, with its record ID
  domain::Signature verifier_signature;
  domain::Unit unit;                // infused
  int infusions_planned = 0;        // the plan's, after this one (domain::Readiness)
  int infusions_covered = 0;
};

// Records the infusion of `request.scan.unit_id` for its planned infusion by
// `ctx.user` at `ctx.now` (domain::DecideInfusion: released batch, bedside
// match, dose), the unit's infused event, the audit entry (infusion.record,
// with a late entry's reason when recorded late: `ctx.late_entry_reason`) and
// the verifier's signature (kIdentityVerified).
absl::StatusOr<InfusionOutcome> RecordInfusion(store::Transaction& tx, const WriteContext& ctx,
                                               const NewInfusion& request);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_TREATMENT_H_
