#include "domain/product.h"

#include "domain/isbt_barcode.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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

std::vector<MarkerLimit> AdscMarkerLimits() {
  std::vector<MarkerLimit> limits;
  for (const char* m : {"CD73", "CD90", "CD105", "CD44"}) limits.push_back({m, 80, 100});
  for (const char* m : {"CD45", "CD31", "CD235A"}) limits.push_back({m, 0, 2});
  return limits;
}

std::string DescribeMarkerLimits(const std::vector<MarkerLimit>& limits) {
  std::vector<std::string> parts;
  for (const MarkerLimit& m : limits) {
    parts.push_back(absl::StrFormat("%s %g-%g%%", m.marker, m.min_percent, m.max_percent));
  }
  return absl::StrJoin(parts, ", ");
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
  product.qc.markers = AdscMarkerLimits();
  product.required_tests = DefaultRequiredTests();
  return product;
}

Product FreshProduct() {
  Product product = DefaultProduct();
  product.product_code = "ADSC-FRESH";
  product.version = 1;
  product.name = "ADSC fresh (released on rapid and in-process results)";
  product.fresh_shelf_life = absl::Hours(48);
  const std::vector<SamplePoint> final_product = {SamplePoint::kFinalProduct};
  RequiredTest sterility{QcTestType::kSterility, "USP <71> culture", absl::Hours(14 * 24)};
  sterility.basis = ReleaseBasis::kInterimReading;
  sterility.min_interim = absl::Hours(72);
  sterility.sample_points = {SamplePoint::kPassage};
  sterility.follow_up_points = final_product;
  RequiredTest mycoplasma{QcTestType::kMycoplasma, "NAT", absl::Hours(24)};
  mycoplasma.sample_points = final_product;
  RequiredTest endotoxin{QcTestType::kEndotoxin, "LAL (kinetic)", absl::Hours(1)};
  endotoxin.sample_points = final_product;
  RequiredTest gram{QcTestType::kGramStain, "", absl::Hours(2)};
  gram.sample_points = final_product;
  RequiredTest flow{QcTestType::kFlowCytometry, "", absl::Hours(24)};
  flow.sample_points = {SamplePoint::kPassage, SamplePoint::kFinalHarvest};
  RequiredTest viability{QcTestType::kViability, "", absl::Hours(1)};
  viability.sample_points = final_product;
  product.required_tests = {sterility, mycoplasma, endotoxin, gram, flow, viability};
  return product;
}

absl::string_view ReleaseBasisName(ReleaseBasis basis) {
  switch (basis) {
    case ReleaseBasis::kFinalResult: return "FINAL_RESULT";
    case ReleaseBasis::kInterimReading: return "INTERIM_READING";
  }
  return "UNSPECIFIED";
}

std::vector<SamplePoint> ReleasePoints(const RequiredTest& required) {
  if (!required.sample_points.empty()) return required.sample_points;
  return {SamplePoint::kFinalHarvest, SamplePoint::kFinalProduct};
}

std::vector<SamplePoint> FollowUpPoints(const RequiredTest& required) {
  if (required.basis != ReleaseBasis::kInterimReading) return {};
  if (!required.follow_up_points.empty()) return required.follow_up_points;
  return {SamplePoint::kFinalProduct};
}

std::string DescribePoints(const std::vector<SamplePoint>& points) {
  std::vector<std::string> names;
  for (SamplePoint p : points) names.emplace_back(SamplePointName(p));
  return absl::StrJoin(names, ", ");
}

std::vector<RequiredTest> DefaultRequiredTests() {
  return {{QcTestType::kSterility, "USP <71> culture", absl::Hours(14 * 24)},
          {QcTestType::kMycoplasma, "NAT", absl::Hours(24)},
          {QcTestType::kEndotoxin, "LAL", absl::Hours(24)},
          {QcTestType::kGramStain, "", absl::Hours(2)},
          {QcTestType::kFlowCytometry, "", absl::Hours(48)},
          {QcTestType::kViability, "", absl::Hours(1)}};
}

const RequiredTest* FindRequiredTest(const Product& product, QcTestType type) {
  for (const RequiredTest& t : product.required_tests) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

bool NeedsIncubation(QcTestType type) {
  return type == QcTestType::kSterility || type == QcTestType::kMycoplasma;
}

absl::Duration MinIncubation(const Product& product, QcTestType type) {
  if (const RequiredTest* t = FindRequiredTest(product, type)) return t->min_incubation;
  static const Product* defaults = [] {
    auto* p = new Product;
    p->required_tests = DefaultRequiredTests();
    return p;
  }();
  const RequiredTest* t = FindRequiredTest(*defaults, type);
  return t == nullptr ? absl::ZeroDuration() : t->min_incubation;
}

bool CountsForRelease(SamplePoint point) {
  return point == SamplePoint::kFinalHarvest || point == SamplePoint::kFinalProduct;
}

namespace {

absl::Status CheckPoints(absl::string_view field, const std::vector<SamplePoint>& points) {
  for (size_t i = 0; i < points.size(); ++i) {
    if (SamplePointName(points[i]) == "UNSPECIFIED") {
      return absl::InvalidArgumentError(absl::StrCat(field, ": unknown sample point"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (points[j] == points[i]) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": ", SamplePointName(points[i]), " is given twice"));
      }
    }
  }
  return absl::OkStatus();
}

// An interim reading can only stand in for a culture's final result, and only
// when someone follows that result after release.
absl::Status ValidateReleaseBasis(absl::string_view field, const RequiredTest& t) {
  RETURN_IF_ERROR(CheckPoints(absl::StrCat(field, ".sample_points"), t.sample_points));
  RETURN_IF_ERROR(CheckPoints(absl::StrCat(field, ".follow_up_points"), t.follow_up_points));
  if (ReleaseBasisName(t.basis) == "UNSPECIFIED") {
    return absl::InvalidArgumentError(absl::StrCat(field, ".basis: unknown release basis"));
  }
  if (t.basis == ReleaseBasis::kFinalResult) {
    if (!t.follow_up_points.empty() || t.min_interim != absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": follow-up points and a minimum interim reading need basis INTERIM_READING "
                 "(the final result is followed after release)"));
    }
    return absl::OkStatus();
  }
  if (!NeedsIncubation(t.type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".basis: INTERIM_READING is for a culture with an incubation (STERILITY, "
               "MYCOPLASMA); a ", QcTestTypeName(t.type), " test is released on its result"));
  }
  if (!(t.min_interim > absl::ZeroDuration() && t.min_interim < t.min_incubation)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s.min_interim_hours: %g must be above 0 and below the minimum incubation (%g h)", field,
        absl::ToDoubleHours(t.min_interim), absl::ToDoubleHours(t.min_incubation)));
  }
  return absl::OkStatus();
}

}  // namespace

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
  RETURN_IF_ERROR(CheckRange("frozen_shelf_life_days", absl::ToDoubleHours(p.frozen_shelf_life) / 24,
                             1, 365 * 30));
  RETURN_IF_ERROR(CheckRange("max_thaw_to_infusion_hours",
                             absl::ToDoubleHours(p.max_thaw_to_infusion), 0.1, 72));
  RETURN_IF_ERROR(
      CheckRange("max_entry_delay_hours", absl::ToDoubleHours(p.max_entry_delay), 1, 24 * 30));
  RETURN_IF_ERROR(CheckRange("min_transport_temperature_c", p.min_transport_temperature_c, -200, 60));
  RETURN_IF_ERROR(CheckRange("max_transport_temperature_c", p.max_transport_temperature_c,
                             p.min_transport_temperature_c, 60));
  for (size_t i = 0; i < p.required_tests.size(); ++i) {
    const RequiredTest& t = p.required_tests[i];
    if (QcTestTypeName(t.type) == "UNSPECIFIED") {
      return absl::InvalidArgumentError("required_tests.type: unknown test type");
    }
    const std::string field = absl::StrCat("required_tests[", QcTestTypeName(t.type), "]");
    RETURN_IF_ERROR(CheckText(absl::StrCat(field, ".method"), t.method, 200, false));
    RETURN_IF_ERROR(CheckRange(absl::StrCat(field, ".min_incubation_hours"),
                               absl::ToDoubleHours(t.min_incubation), 0.01, 24 * 60));
    RETURN_IF_ERROR(ValidateReleaseBasis(field, t));
    for (size_t j = 0; j < i; ++j) {
      if (p.required_tests[j].type == t.type) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": given twice; a product requires each test type once"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
