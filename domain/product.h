// A product (protocol) and the part of its specification that governs the
// culture. Versioned: a batch keeps the version it was made under.
#ifndef CPCTRACK_DOMAIN_PRODUCT_H_
#define CPCTRACK_DOMAIN_PRODUCT_H_

#include <string>

#include "absl/time/time.h"

namespace cpctrack::domain {

struct Product {
  std::string product_code;
  int version = 1;
  std::string name;
  // Processing (P0 seeding) later than this after collection is a deviation.
  absl::Duration max_processing_delay = absl::Hours(48);
  int max_passage = 5;
  double max_cumulative_population_doublings = 30;
};

// The ready-made product shipped with cpctrack, with DOMAIN.md's defaults.
Product DefaultProduct();

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_PRODUCT_H_
