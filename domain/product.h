// A product (protocol) and the part of its specification that governs the
// culture. Versioned: a batch keeps the version it was made under.
#ifndef CPCTRACK_DOMAIN_PRODUCT_H_
#define CPCTRACK_DOMAIN_PRODUCT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/qc.h"

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// A flow-cytometry marker's acceptance range, % of cells positive.
struct MarkerLimit {
  std::string marker;  // canonical: upper case, "CD79A" for CD79α
  double min_percent = 0;
  double max_percent = 100;
};

// Acceptance criteria for QC results: a result outside them is out of
// specification and opens a deviation.
struct QcSpecification {
  double min_viability_percent = 70;            // in process and at release
  double min_post_thaw_viability_percent = 70;  // after thaw
  // Derived from 5 EU/kg/h (IV) for a 50 kg patient given 250 mL in one hour.
  double max_endotoxin_eu_per_ml = 1.0;
  std::vector<MarkerLimit> markers;  // ISCT minimal criteria by default
};

// ISCT: CD73, CD90, CD105 >= 95 %; CD45, CD34, CD14, CD11B, CD79A, CD19,
// HLA-DR <= 2 %.
std::vector<MarkerLimit> IsctMarkerLimits();

// "cd79α" -> "CD79A", " hla-dr " -> "HLA-DR".
std::string CanonicalMarker(absl::string_view marker);

// A test the release specification requires, and how long its result takes
// from the start (inoculation): a pending result due after a planned infusion
// puts that infusion at risk.
struct RequiredTest {
  QcTestType type = QcTestType::kUnspecified;
  absl::Duration turnaround = absl::Hours(24);
};

// Sample points whose results count for release.
bool CountsForRelease(SamplePoint point);

struct Product {
  std::string product_code;
  int version = 1;
  std::string name;
  // Processing (P0 seeding) later than this after collection is a deviation.
  absl::Duration max_processing_delay = absl::Hours(48);
  int max_passage = 5;
  double max_cumulative_population_doublings = 30;
  QcSpecification qc;
  // Release specification.
  int64_t min_viable_cells_per_dose = 10'000'000;
  absl::Duration fresh_shelf_life = absl::Hours(48);  // fresh product, at 2-8 °C
  std::vector<RequiredTest> required_tests;  // DOMAIN.md §6 by default
  // The ISBT 128 Product Description Code its unit labels carry (Data
  // Structure 003, see domain/isbt_barcode.h), e.g. "S1234" from ICCBBA's
  // database or a local/facility code "DAX12". "" for none: no label then.
  std::string isbt_product_description_code;
};

// Sterility (14 days), mycoplasma (NAT, 1 day), endotoxin, Gram stain, flow
// cytometry identity and viability.
std::vector<RequiredTest> DefaultRequiredTests();

// InvalidArgument naming the field when a new product version is incomplete
// or implausible.
absl::Status ValidateProduct(const Product& product);

// The ready-made product shipped with cpctrack, with DOMAIN.md's defaults.
Product DefaultProduct();

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PRODUCT_H_
