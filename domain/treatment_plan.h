// A patient's treatment plan: its regulatory number (Japan: the plan
// registered with MHLW after review by a Certified Committee for Regenerative
// Medicine), the dose per infusion and the planned infusions, supplied by one
// batch of the same patient.
#ifndef CPCTRACK_DOMAIN_TREATMENT_PLAN_H_
#define CPCTRACK_DOMAIN_TREATMENT_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/dose.h"
#include "domain/patient.h"

namespace cpctrack::domain {

struct PlannedInfusion {
  int64_t infusion_id = 0;  // 0 until stored
  int sequence = 0;         // 1.. in date order
  absl::CivilDay planned_day;  // in the facility's time zone
};

struct TreatmentPlan {
  int64_t plan_id = 0;  // 0 until stored
  std::string patient_id;
  std::string batch_id;  // compact DIN of the batch that supplies it
  std::string plan_number;
  // Exactly one: viable cells per infusion, fixed or per kg of body weight.
  std::optional<double> fixed_cells;
  std::optional<double> cells_per_kg;
  std::vector<PlannedInfusion> infusions;  // in date order
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

inline constexpr int kMaxPlannedInfusions = 20;

// A new plan for `batch` (which must be the patient's) with its infusions
// numbered in date order. Planned days may not be in the past.
absl::StatusOr<TreatmentPlan> DecideCreatePlan(const Patient& patient, const Batch& batch,
                                               TreatmentPlan plan, const StepContext& ctx);

// Viable cells per infusion and in all, at the patient's current weight.
absl::StatusOr<DoseNeed> PlanDose(const TreatmentPlan& plan, const Patient& patient);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_TREATMENT_PLAN_H_
