// Loads everything readiness depends on for one batch, in one transaction:
// what the board and a batch's readiness show, what a release is decided on
// and what an infusion checks the release against. Mapping it to the API is
// the server's (server/readiness_support.h).
#ifndef CPCTRACK_APP_READINESS_H_
#define CPCTRACK_APP_READINESS_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/batch_steps.h"
#include "domain/din.h"
#include "domain/patient.h"
#include "domain/readiness.h"
#include "domain/signature.h"
#include "domain/treatment_plan.h"
#include "store/store.h"

namespace cpctrack::app {

// Owns the facts; `facts` points into them (hence held by unique_ptr).
struct BatchReadiness {
  BatchFacts batch;
  std::optional<domain::TreatmentPlan> plan;
  std::optional<domain::Patient> patient;
  // The plan's planned infusions already given (empty without a plan).
  absl::flat_hash_set<int64_t> given;
  // The electronic signature of facts.release, when one is on record.
  std::optional<domain::Signature> release_signature;
  domain::ReadinessFacts facts;
};

// Readiness is judged at `now`; `zone`: the facility's, where a planned day
// ends.
absl::StatusOr<std::unique_ptr<BatchReadiness>> LoadReadiness(store::Transaction& tx,
                                                              const domain::Din& batch_id,
                                                              absl::Time now,
                                                              absl::TimeZone zone);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_READINESS_H_
