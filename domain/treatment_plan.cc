#include "domain/treatment_plan.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/inventory.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

absl::StatusOr<TreatmentPlan> DecideCreatePlan(const Patient& patient, const Batch& batch,
                                               TreatmentPlan plan, const StepContext& ctx) {
  if (batch.patient_id != patient.patient_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "batch_id: batch ", batch.batch_id.compact(), " belongs to patient ", batch.patient_id,
        ", not ", patient.patient_id, " (chain of identity)"));
  }
  if (batch.state == BatchState::kRejected || batch.state == BatchState::kDisposed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "batch_id: batch ", batch.batch_id.compact(), " is ", BatchStateName(batch.state),
        " and cannot supply a plan"));
  }
  RETURN_IF_ERROR(CheckText("plan_number", plan.plan_number, 64, true));
  if (plan.infusions.empty() || plan.infusions.size() > kMaxPlannedInfusions) {
    return absl::InvalidArgumentError(absl::StrCat("planned_infusions: give 1 to ",
                                                   kMaxPlannedInfusions, " planned dates, got ",
                                                   plan.infusions.size()));
  }
  std::sort(plan.infusions.begin(), plan.infusions.end(),
            [](const PlannedInfusion& a, const PlannedInfusion& b) {
              return a.planned_day < b.planned_day;
            });
  const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.facility_zone);
  for (size_t i = 0; i < plan.infusions.size(); ++i) {
    PlannedInfusion& p = plan.infusions[i];
    if (p.planned_day < today) {
      return absl::InvalidArgumentError(absl::StrCat("planned_infusions: ", FormatDate(p.planned_day),
                                                     " is in the past"));
    }
    if (i > 0 && p.planned_day == plan.infusions[i - 1].planned_day) {
      return absl::InvalidArgumentError(
          absl::StrCat("planned_infusions: ", FormatDate(p.planned_day), " is given twice"));
    }
    p.sequence = static_cast<int>(i) + 1;
  }
  plan.patient_id = patient.patient_id;
  plan.batch_id = batch.batch_id.compact();
  RETURN_IF_ERROR(PlanDose(plan, patient).status());
  plan.created_at = ctx.now;
  plan.created_by = ctx.actor;
  return plan;
}

absl::StatusOr<DoseNeed> PlanDose(const TreatmentPlan& plan, const Patient& patient) {
  DosePlan dose;
  dose.fixed_cells = plan.fixed_cells;
  dose.cells_per_kg = plan.cells_per_kg;
  dose.body_weight_kg = patient.body_weight_kg;
  dose.infusions = static_cast<int>(plan.infusions.size());
  return CellsNeeded(dose);
}

}  // namespace cpctrack::domain
