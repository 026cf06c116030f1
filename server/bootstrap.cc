#include "server/bootstrap.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit.h"
#include "domain/product.h"
#include "domain/status_macros.h"
#include "server/audit_support.h"

namespace cpctrack::server {

absl::Status SeedDefaults(store::Store& store) {
  return store.Write([](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::Product> products, tx.ListProducts());
    if (!products.empty()) return absl::OkStatus();
    const domain::Product product = domain::DefaultProduct();
    const absl::Time now = absl::Now();
    RETURN_IF_ERROR(tx.InsertProduct(product, now));
    const std::string value =
        domain::JsonObject()
            .Add("product_code", product.product_code)
            .Add("version", product.version)
            .Add("name", product.name)
            .Add("max_processing_delay_hours", absl::ToDoubleHours(product.max_processing_delay))
            .Add("max_passage", product.max_passage)
            .Add("max_cumulative_population_doublings",
                 product.max_cumulative_population_doublings)
            .Build();
    return AppendAudit(tx, now, "cpcd", "product.create",
                       absl::StrFormat("products/%s/versions/%d", product.product_code,
                                       product.version),
                       "", value, "default product shipped with cpctrack", "bootstrap");
  });
}

}  // namespace cpctrack::server
