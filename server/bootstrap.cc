#include "server/bootstrap.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit.h"
#include "domain/product.h"
#include "absl/status/status.h"
#include "domain/status_macros.h"
#include "server/app_layer.h"

namespace cpctrack::server {

namespace {

bool SameLimits(const std::vector<domain::MarkerLimit>& a,
                const std::vector<domain::MarkerLimit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].marker != b[i].marker || a[i].min_percent != b[i].min_percent ||
        a[i].max_percent != b[i].max_percent) {
      return false;
    }
  }
  return true;
}

absl::Status AuditProductCreate(store::Transaction& tx, const domain::Product& product,
                                absl::Time now, absl::string_view reason) {
  const std::string value =
      domain::JsonObject()
          .Add("product_code", product.product_code)
          .Add("version", product.version)
          .Add("name", product.name)
          .Add("max_processing_delay_hours", absl::ToDoubleHours(product.max_processing_delay))
          .Add("max_passage", product.max_passage)
          .Add("max_cumulative_population_doublings",
               product.max_cumulative_population_doublings)
          .Add("markers", domain::DescribeMarkerLimits(product.qc.markers))
          .Build();
  return AppendAudit(
      tx, now, "cpcd", domain::AuditAction::kProductCreate,
      absl::StrFormat("products/%s/versions/%d", product.product_code, product.version), "", value,
      reason, "bootstrap");
}

// The default product as shipped before IFATS/ISCT 2013 judged its identity
// by the ISCT 2006 bone-marrow criteria. Its next version follows IFATS/ISCT
// 2013; batches made under the old version keep it. A product whose markers
// someone has changed is theirs and left alone.
absl::Status AdoptAdscIdentity(store::Transaction& tx, absl::Time now) {
  const domain::Product shipped = domain::DefaultProduct();
  absl::StatusOr<domain::Product> latest = tx.GetLatestProduct(shipped.product_code);
  if (absl::IsNotFound(latest.status())) return absl::OkStatus();
  RETURN_IF_ERROR(latest.status());
  if (!SameLimits(latest->qc.markers, domain::IsctMarkerLimits())) return absl::OkStatus();
  domain::Product next = *latest;
  next.version = latest->version + 1;
  next.qc.markers = shipped.qc.markers;
  RETURN_IF_ERROR(tx.InsertProduct(next, now));
  return AuditProductCreate(
      tx, next, now,
      "identity by IFATS/ISCT 2013 for adipose-derived stromal cells (Bourin et al., "
      "Cytotherapy 2013); batches made under earlier versions keep theirs");
}

// The ready-made fresh product, shipped once beside the default product (an
// existing database gets it at its first start after the upgrade).
absl::Status ShipFreshProduct(store::Transaction& tx, absl::Time now) {
  const domain::Product fresh = domain::FreshProduct();
  absl::StatusOr<domain::Product> latest = tx.GetLatestProduct(fresh.product_code);
  if (latest.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(latest.status())) return latest.status();
  RETURN_IF_ERROR(tx.InsertProduct(fresh, now));
  return AuditProductCreate(
      tx, fresh, now,
      "fresh product shipped with cpctrack: released on rapid and in-process results, the "
      "final sterility culture followed after release");
}

}  // namespace

absl::Status SeedDefaults(store::Store& store) {
  return store.Write([](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::Product> products, tx.ListProducts());
    const absl::Time now = absl::Now();
    if (!products.empty()) {
      RETURN_IF_ERROR(AdoptAdscIdentity(tx, now));
    } else {
      const domain::Product product = domain::DefaultProduct();
      RETURN_IF_ERROR(tx.InsertProduct(product, now));
      RETURN_IF_ERROR(AuditProductCreate(tx, product, now, "default product shipped with cpctrack"));
    }
    return ShipFreshProduct(tx, now);
  });
}

}  // namespace cpctrack::server
