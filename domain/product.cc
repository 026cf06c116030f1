#include "domain/product.h"

#include "domain/isbt_barcode.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

std::vector<MarkerLimit> IsctMarkerLimits() {
  std::vector<MarkerLimit> limits;
  for (const char* m : {"CD73", "CD90", "CD105"}) limits.push_back({m, 95, 100});
  for (const char* m : {"CD45", "CD34", "CD14", "CD11B", "CD79A", "CD19", "HLA-DR"}) {
    limits.push_back({m, 0, 2});
  }
  return limits;
}

std::string CanonicalMarker(absl::string_view marker) {
  std::string out = absl::StrReplaceAll(absl::StripAsciiWhitespace(marker),
                                        {{"\xce\xb1", "A"}, {"\xce\x91", "A"}});  // α, Α
  absl::AsciiStrToUpper(&out);
  return out;
}

Product DefaultProduct() {
  Product product;
  product.product_code = "ADSC-STD";
  product.version = 1;
  // A local/facility code (ST-001 §2.4.3: D + 4): a facility with its own or
  // an ICCBBA code makes a new product version with it.
  product.isbt_product_description_code = "DADSC";
  product.name = "ADSC standard";
  product.max_processing_delay = absl::Hours(48);
  product.max_passage = 5;
  product.max_cumulative_population_doublings = 30;
  product.qc.markers = IsctMarkerLimits();
  product.required_tests = DefaultRequiredTests();
  return product;
}

std::vector<RequiredTest> DefaultRequiredTests() {
  return {{QcTestType::kSterility, absl::Hours(14 * 24)},
          {QcTestType::kMycoplasma, absl::Hours(24)},
          {QcTestType::kEndotoxin, absl::Hours(24)},
          {QcTestType::kGramStain, absl::Hours(2)},
          {QcTestType::kFlowCytometry, absl::Hours(48)},
          {QcTestType::kViability, absl::Hours(1)}};
}

bool CountsForRelease(SamplePoint point) {
  return point == SamplePoint::kFinalHarvest || point == SamplePoint::kFinalProduct;
}

absl::Status ValidateProduct(const Product& p) {
  RETURN_IF_ERROR(CheckText("product_code", p.product_code, 40, true));
  RETURN_IF_ERROR(CheckText("name", p.name, 200, true));
  if (!p.isbt_product_description_code.empty()) {
    RETURN_IF_ERROR(ValidateProductDescriptionCode(p.isbt_product_description_code));
  }
  RETURN_IF_ERROR(CheckRange("max_processing_delay_hours",
                             absl::ToDoubleHours(p.max_processing_delay), 1, 24 * 14));
  RETURN_IF_ERROR(CheckRange("max_passage", p.max_passage, 0, 30));
  RETURN_IF_ERROR(CheckRange("max_cumulative_population_doublings",
                             p.max_cumulative_population_doublings, 1, 100));
  RETURN_IF_ERROR(CheckRange("min_viability_percent", p.qc.min_viability_percent, 0, 100));
  RETURN_IF_ERROR(CheckRange("min_post_thaw_viability_percent",
                             p.qc.min_post_thaw_viability_percent, 0, 100));
  RETURN_IF_ERROR(
      CheckRange("max_endotoxin_eu_per_ml", p.qc.max_endotoxin_eu_per_ml, 0.001, 1000));
  RETURN_IF_ERROR(CheckCount("min_viable_cells_per_dose", p.min_viable_cells_per_dose));
  RETURN_IF_ERROR(
      CheckRange("fresh_shelf_life_hours", absl::ToDoubleHours(p.fresh_shelf_life), 1, 24 * 30));
  for (const MarkerLimit& m : p.qc.markers) {
    RETURN_IF_ERROR(CheckText("markers.marker", m.marker, 20, true));
    if (!(0 <= m.min_percent && m.min_percent <= m.max_percent && m.max_percent <= 100)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "markers[", m.marker, "]: need 0 <= min_percent <= max_percent <= 100"));
    }
  }
  for (const RequiredTest& t : p.required_tests) {
    if (QcTestTypeName(t.type) == "UNSPECIFIED") {
      return absl::InvalidArgumentError("required_tests.type: unknown test type");
    }
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
