// Loads everything readiness depends on for one batch, in one transaction,
// and maps the answer to the API.
#ifndef CPCTRACK_SERVER_READINESS_SUPPORT_H_
#define CPCTRACK_SERVER_READINESS_SUPPORT_H_

#include <memory>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "cpctrack/v1/treatment.pb.h"
#include "domain/readiness.h"
#include "domain/signature.h"
#include "server/app_layer.h"
#include "store/store.h"

namespace cpctrack::server {

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

// `zone`: the facility's, where a planned day ends.
absl::StatusOr<std::unique_ptr<BatchReadiness>> LoadReadiness(store::Transaction& tx,
                                                              const domain::Din& batch_id,
                                                              absl::Time now,
                                                              absl::TimeZone zone);

void ToProto(const BatchReadiness& loaded, const domain::Readiness& readiness,
             v1::Readiness* out);

// "sterility: pending (test 7 pending, result due ...)" for each criterion
// not met or pending.
std::vector<std::string> OpenCriteria(const domain::Readiness& readiness);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_READINESS_SUPPORT_H_
