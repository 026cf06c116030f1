#include "app/readiness.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

absl::StatusOr<std::unique_ptr<BatchReadiness>> LoadReadiness(store::Transaction& tx,
                                                              const domain::Din& batch_id,
                                                              absl::Time now,
                                                              absl::TimeZone zone) {
  ASSIGN_OR_RETURN(BatchFacts batch, LoadBatchFacts(tx, batch_id, Records::kReadByRules));
  auto loaded =
      std::make_unique<BatchReadiness>(BatchReadiness{std::move(batch), {}, {}, {}, {}, {}});
  ASSIGN_OR_RETURN(loaded->plan, tx.PlanForBatch(batch_id));
  domain::ReadinessFacts& f = loaded->facts;
  if (loaded->plan.has_value()) {
    ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(loaded->batch.batch.patient_id));
    loaded->patient = std::move(patient);
    ASSIGN_OR_RETURN(std::vector<domain::Infusion> infusions, tx.LoadInfusions(batch_id));
    absl::flat_hash_set<int64_t> planned;
    for (const domain::PlannedInfusion& p : loaded->plan->infusions) planned.insert(p.infusion_id);
    for (const domain::Infusion& i : infusions) {
      if (planned.contains(i.planned_infusion_id) &&
          loaded->given.insert(i.planned_infusion_id).second) {
        f.infusions_given.push_back(i.planned_infusion_id);
      }
    }
    f.plan = &*loaded->plan;
    f.patient = &*loaded->patient;
  }
  f.batch = &loaded->batch.batch;
  f.product = &loaded->batch.product;
  f.history = &loaded->batch.history;
  f.deviations = loaded->batch.deviations;
  ASSIGN_OR_RETURN(f.samples, tx.LoadSamples(batch_id));
  ASSIGN_OR_RETURN(f.tests, tx.LoadTests(batch_id));
  ASSIGN_OR_RETURN(f.units, tx.LoadUnits(batch_id));
  ASSIGN_OR_RETURN(f.release, tx.LatestRelease(batch_id));
  ASSIGN_OR_RETURN(f.follow_ups, tx.LoadFollowUps(batch_id));
  if (f.release.has_value()) {
    ASSIGN_OR_RETURN(std::vector<domain::Signature> signatures,
                     tx.SignaturesFor(absl::StrCat("batches/", batch_id.compact(), "/releases/",
                                                   f.release->release_id)));
    if (!signatures.empty()) loaded->release_signature = std::move(signatures.back());
  }
  f.now = now;
  f.zone = zone;
  return loaded;
}

}  // namespace cpctrack::app
