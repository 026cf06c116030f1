#include "domain/product.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

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
  product.name = "ADSC standard";
  product.max_processing_delay = absl::Hours(48);
  product.max_passage = 5;
  product.max_cumulative_population_doublings = 30;
  product.qc.markers = IsctMarkerLimits();
  return product;
}

}  // namespace cpctrack::domain
