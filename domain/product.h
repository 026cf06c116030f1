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
  // IFATS/ISCT 2013 by default. A marker recorded but absent here (CD34 for
  // adipose-derived cells) is shown, never judged.
  std::vector<MarkerLimit> markers;
};

// ISCT 2006 (bone-marrow MSCs): CD73, CD90, CD105 >= 95 %; CD45, CD34, CD14,
// CD11B, CD79A, CD19, HLA-DR <= 2 %. The default of product versions made
// before IFATS/ISCT 2013 was adopted.
std::vector<MarkerLimit> IsctMarkerLimits();

// IFATS/ISCT 2013 for adipose-derived stromal cells (Bourin et al.,
// Cytotherapy 2013): CD73, CD90, CD105, CD44 >= 80 %; CD45, CD31, CD235A
// <= 2 %. CD34 varies in culture and is not judged.
std::vector<MarkerLimit> AdscMarkerLimits();

// "CD73 80-100%, CD45 0-2%": the limits as a person reads them.
std::string DescribeMarkerLimits(const std::vector<MarkerLimit>& limits);

// "cd79α" -> "CD79A", " hla-dr " -> "HLA-DR".
std::string CanonicalMarker(absl::string_view marker);

// What a required test's release rests on. Stored values: append only.
enum class ReleaseBasis {
  kFinalResult = 1,     // its final result, reviewed, before release
  kInterimReading = 2,  // an interim "no growth" reading suffices; the final is followed after release
};
absl::string_view ReleaseBasisName(ReleaseBasis basis);  // "FINAL_RESULT", "INTERIM_READING"

// A test the release specification requires: its method and the minimum
// incubation from the test's start (inoculation) before a final NEGATIVE can
// exist, what its release rests on and which sample points count for it. A
// pending result due after a planned infusion puts it at risk. One per test
// type.
struct RequiredTest {
  QcTestType type = QcTestType::kUnspecified;
  std::string method;  // e.g. "USP <71> culture"; "" when any method will do
  absl::Duration min_incubation = absl::Hours(24);
  ReleaseBasis basis = ReleaseBasis::kFinalResult;
  // Interim basis: a "no growth" reading at least this long after the start
  // releases (e.g. 72 h).
  absl::Duration min_interim = absl::ZeroDuration();
  // Sample points whose tests count for release; empty: FINAL_HARVEST and
  // FINAL_PRODUCT (in-process samples may count for a fresh product).
  std::vector<SamplePoint> sample_points;
  // Interim basis: the sample points whose final result is followed after
  // release (ordered before release, read after); empty: FINAL_PRODUCT.
  std::vector<SamplePoint> follow_up_points;
};

// The points whose tests count for release of `required`.
std::vector<SamplePoint> ReleasePoints(const RequiredTest& required);
// The points whose final result is followed after release; empty unless the
// basis is an interim reading.
std::vector<SamplePoint> FollowUpPoints(const RequiredTest& required);
// "FINAL_HARVEST, FINAL_PRODUCT".
std::string DescribePoints(const std::vector<SamplePoint>& points);

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
  // Cryopreserved units: validated stability from the freeze, and the longest
  // time from thaw to the start of infusion.
  absl::Duration frozen_shelf_life = absl::Hours(365 * 24);
  absl::Duration max_thaw_to_infusion = absl::Hours(4);
  // A step written down longer than this after the time it describes needs a
  // late-entry reason (records should be contemporaneous).
  absl::Duration max_entry_delay = absl::Hours(24);
  // Tissue transport: a receipt outside this range opens an excursion.
  double min_transport_temperature_c = 2;
  double max_transport_temperature_c = 8;
  // The ISBT 128 Product Description Code its unit labels carry (Data
  // Structure 003, see domain/isbt_barcode.h), e.g. "S1234" from ICCBBA's
  // database or a local/facility code "DAX12". "" for none: no label then.
  std::string isbt_product_description_code;
};

// Sterility (USP <71>, 14 days), mycoplasma (NAT, 1 day), endotoxin, Gram
// stain, flow cytometry identity and viability.
std::vector<RequiredTest> DefaultRequiredTests();

// The product's required test of `type`, or nullptr.
const RequiredTest* FindRequiredTest(const Product& product, QcTestType type);

// Sterility and mycoplasma: a final NEGATIVE needs the whole incubation.
bool NeedsIncubation(QcTestType type);

// The minimum incubation of a `type` test under `product`: its required
// test's, or DefaultRequiredTests()' when the product does not require it.
absl::Duration MinIncubation(const Product& product, QcTestType type);

// InvalidArgument naming the field when a new product version is incomplete
// or implausible.
absl::Status ValidateProduct(const Product& product);

// The ready-made product shipped with cpctrack, with DOMAIN.md's defaults.
Product DefaultProduct();

// The ready-made fresh product (ADSC-FRESH): a bag a clinic can release
// within its 48 h shelf life. Gram stain, endotoxin and mycoplasma NAT on the
// final product; sterility released on a 72 h interim reading of an
// in-process (last passage) sample, the final-product culture followed after
// release.
Product FreshProduct();

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PRODUCT_H_
