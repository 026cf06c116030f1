// A result within the default product's release specification for each kind
// of test: the e2e tests that take a batch to release record these.
#ifndef CPCTRACK_TESTS_E2E_RELEASE_RESULTS_H_
#define CPCTRACK_TESTS_E2E_RELEASE_RESULTS_H_

#include <utility>

#include "cpctrack/v1/qc.pb.h"

namespace cpctrack::testing {

// Sets the value of `r` (not its times) for a test of `type`: NEGATIVE,
// 0.1 EU/mL, no organisms seen, CD73 99% CD90 98.5% CD105 97% CD45 0.5%
// HLA-DR 0.8%, viability 94%.
inline void SetPassingResult(cpctrack::v1::QcTestType type, cpctrack::v1::QcResult* r) {
  namespace v1 = ::cpctrack::v1;
  switch (type) {
    case v1::QC_TEST_TYPE_STERILITY:
    case v1::QC_TEST_TYPE_MYCOPLASMA:
      r->mutable_detection()->set_detection(v1::DETECTION_NEGATIVE);
      break;
    case v1::QC_TEST_TYPE_ENDOTOXIN: r->set_endotoxin_eu_per_ml(0.1); break;
    case v1::QC_TEST_TYPE_GRAM_STAIN:
      r->mutable_gram_stain()->set_finding(v1::GRAM_FINDING_NO_ORGANISMS_SEEN);
      break;
    case v1::QC_TEST_TYPE_FLOW_CYTOMETRY:
      for (auto [m, pct] : {std::pair{"CD73", 99.0}, std::pair{"CD90", 98.5},
                            std::pair{"CD105", 97.0}, std::pair{"CD45", 0.5},
                            std::pair{"HLA-DR", 0.8}}) {
        v1::MarkerResult* marker = r->mutable_flow()->add_markers();
        marker->set_marker(m);
        marker->set_percent_positive(pct);
      }
      break;
    default: r->set_viability_percent(94); break;
  }
}

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_RELEASE_RESULTS_H_
