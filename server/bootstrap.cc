#include "server/bootstrap.h"

#include "absl/status/status.h"
#include "app/inventory.h"

namespace cpctrack::server {

absl::Status SeedDefaults(store::Store& store) {
  // Written by cpcd itself, outside any request.
  app::WriteContext write;
  write.now = absl::Now();
  write.user = "cpcd";
  write.request_id = "bootstrap";
  return store.Write(
      [&](store::Transaction& tx) { return app::SeedDefaultProducts(tx, write); });
}

}  // namespace cpctrack::server
