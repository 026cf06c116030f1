#include "server/readiness_support.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

void ToProto(const app::BatchReadiness& loaded, const domain::Readiness& r, v1::Readiness* out) {
  const domain::Batch& batch = loaded.batch.batch;
  out->set_batch_id(batch.batch_id.compact());
  out->set_patient_id(batch.patient_id);
  out->set_batch_state(static_cast<v1::BatchState>(batch.state));
  out->set_quarantine_reason(app::QuarantineReason(loaded.batch.deviations));
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
