// Inventory: products (versions), reagent lots and QA's signed decision on
// them, equipment with its status, calibration and maintenance. Proto-free.
#ifndef CPCTRACK_APP_INVENTORY_H_
#define CPCTRACK_APP_INVENTORY_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/write_context.h"
#include "domain/inventory.h"
#include "domain/product.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// Products.

// Stores `product` as shipped with cpctrack (`ctx.user` is the system,
// "cpcd"), audited with `reason` ("default product shipped with cpctrack").
// AlreadyExists if that version exists.
absl::Status ShipProduct(store::Transaction& tx, const WriteContext& ctx,
                         const domain::Product& product, absl::string_view reason);

// What cpcd does at every start: ships the default product into an empty
// database; otherwise moves the default product's shipped ISCT 2006 markers
// to IFATS/ISCT 2013 (a new version) and ships the fresh product once.
absl::Status SeedDefaultProducts(store::Transaction& tx, const WriteContext& ctx);

// `ctx.user` makes the next version of product `product_code`: `revise`
// makes it from the latest version (domain::DefaultProduct() for a new
// code); `describe` renders it for the audit trail. Validated by
// domain::ValidateProduct. Returns the stored version.
absl::StatusOr<domain::Product> CreateProduct(
    store::Transaction& tx, const WriteContext& ctx, absl::string_view product_code,
    absl::FunctionRef<absl::StatusOr<domain::Product>(const domain::Product& base)> revise,
    absl::FunctionRef<std::string(const domain::Product&)> describe);

// Reagent lots.

// `ctx.user` registers `lot` (number, name, manufacturer, expiry) at
// `ctx.now`; it waits in QUARANTINE for QA's decision.
absl::StatusOr<domain::ReagentLot> CreateReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    domain::ReagentLot lot);

// QA's decision on a lot, signed by `ctx.user` (`ctx.full_name`): the lot
// after it and the signature.
struct LotDecisionOutcome {
  domain::ReagentLot lot;
  domain::Signature signature;
};

// Accepts lot `lot_number` on its certificate of analysis; FailedPrecondition
// unless in QUARANTINE (domain::DecideLot).
absl::StatusOr<LotDecisionOutcome> AcceptReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    absl::string_view lot_number,
                                                    absl::string_view certificate);

// Rejects lot `lot_number` for `reason`.
absl::StatusOr<LotDecisionOutcome> RejectReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    absl::string_view lot_number,
                                                    absl::string_view reason);

// Equipment.

// `ctx.user` registers `equipment` (ID, kind, name, ...) at `ctx.now`; a kind
// that needs calibration is usable only once calibrated.
absl::StatusOr<domain::Equipment> CreateEquipment(store::Transaction& tx,
                                                  const WriteContext& ctx,
                                                  domain::Equipment equipment);

absl::StatusOr<domain::Equipment> SetEquipmentStatus(store::Transaction& tx,
                                                     const WriteContext& ctx,
                                                     absl::string_view equipment_id,
                                                     domain::EquipmentStatus status,
                                                     absl::string_view reason);

struct NewUpkeep {
  std::string equipment_id;
  domain::UpkeepKind kind = domain::UpkeepKind::kUnspecified;
  std::optional<absl::Time> performed_at;  // none: `ctx.now`
  absl::CivilDay next_due;
  std::string certificate;
};

struct UpkeepOutcome {
  domain::UpkeepRecord record;  // with its ID
  domain::Equipment equipment;  // with its due dates after the record
};

// `ctx.user` records a calibration or maintenance.
absl::StatusOr<UpkeepOutcome> RecordEquipmentUpkeep(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    const NewUpkeep& upkeep);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_INVENTORY_H_
