#include "domain/product.h"

namespace cpctrack::domain {

Product DefaultProduct() {
  Product product;
  product.product_code = "ADSC-STD";
  product.version = 1;
  product.name = "ADSC standard";
  product.max_processing_delay = absl::Hours(48);
  product.max_passage = 5;
  product.max_cumulative_population_doublings = 30;
  return product;
}

}  // namespace cpctrack::domain
