#include "server/readiness_support.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/signatures.h"

namespace cpctrack::server {

absl::StatusOr<std::unique_ptr<BatchReadiness>> LoadReadiness(store::Transaction& tx,
                                                              const domain::Din& batch_id,
                                                              absl::Time now,
                                                              absl::TimeZone zone) {
  ASSIGN_OR_RETURN(BatchFacts batch, LoadBatchFacts(tx, batch_id, Records::kReadByRules));
  auto loaded = std::make_unique<BatchReadiness>(BatchReadiness{std::move(batch), {}, {}, {}, {}, {}});
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

void ToProto(const BatchReadiness& loaded, const domain::Readiness& r, v1::Readiness* out) {
  const domain::Batch& batch = loaded.batch.batch;
  out->set_batch_id(batch.batch_id.compact());
  out->set_patient_id(batch.patient_id);
  out->set_batch_state(static_cast<v1::BatchState>(batch.state));
  out->set_quarantine_reason(QuarantineReason(loaded.batch.deviations));
  out->set_ready(r.ready);
  for (const domain::Criterion& c : r.criteria) {
    v1::Criterion* p = out->add_criteria();
    p->set_name(c.name);
    p->set_status(static_cast<v1::CriterionStatus>(c.status));
    p->set_value(c.value);
    p->set_limit(c.limit);
  }
  if (r.projection.has_value()) {
    v1::Projection* p = out->mutable_projection();
    p->set_target_cells(r.projection->target_cells);
    if (r.projection->ready_at.has_value()) ToProto(*r.projection->ready_at, p->mutable_ready_time());
    p->set_basis(r.projection->basis);
  }
  out->set_infusions_planned(r.infusions_planned);
  out->set_infusions_covered(r.infusions_covered);
  if (r.results_due.has_value()) ToProto(*r.results_due, out->mutable_results_due());
  for (const domain::NonConformity& n : r.non_conformities) {
    v1::NonConformity* p = out->add_non_conformities();
    p->set_deviation_id(n.deviation_id);
    p->set_description(n.description);
    p->set_physician(n.physician);
  }
  out->set_non_conforming(domain::NonConformingText(r.non_conformities));
  out->set_record_hash(domain::BatchRecordHash(loaded.facts));
  if (loaded.facts.release.has_value()) {
    const domain::Release& release = *loaded.facts.release;
    v1::ReleaseSignature* s = out->mutable_release();
    s->set_release_id(release.release_id);
    s->set_signer(release.signer);
    s->set_meaning(release.meaning);
    ToProto(release.signed_at, s->mutable_sign_time());
    s->set_record_hash(release.record_hash);
    if (loaded.release_signature.has_value()) {
      ToProto(*loaded.release_signature, s->mutable_signature());
    }
  }
}

std::vector<std::string> OpenCriteria(const domain::Readiness& readiness) {
  std::vector<std::string> out;
  for (const domain::Criterion& c : readiness.criteria) {
    // A non-conforming criterion does not block; NonConformingText names it.
    if (c.status == domain::CriterionStatus::kMet ||
        c.status == domain::CriterionStatus::kNonConforming) {
      continue;
    }
    out.push_back(absl::StrCat(c.name, ": ", domain::CriterionStatusName(c.status), " (",
                               c.value, ")"));
  }
  return out;
}

}  // namespace cpctrack::server
