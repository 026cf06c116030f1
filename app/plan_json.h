// The treatment plan as its plan.create audit entry records it: the JSON the
// API's TreatmentPlan message prints as (proto3 JSON, protobuf 3.21's
// printer: lowerCamelCase names, 64-bit integers quoted, defaults left out),
// which the entry has recorded since plans were first created. Written out
// here, byte for byte, because the application layer does not link the API.
#ifndef CPCTRACK_APP_PLAN_JSON_H_
#define CPCTRACK_APP_PLAN_JSON_H_

#include <string>

#include "domain/patient.h"
#include "domain/treatment_plan.h"

namespace cpctrack::app {

// `plan` as stored (with its IDs), just created: none of its planned
// infusions given yet. cellsPerInfusion is the dose at `patient`'s weight.
std::string PlanJson(const domain::TreatmentPlan& plan, const domain::Patient& patient);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_PLAN_JSON_H_
