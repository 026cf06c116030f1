// Units' writes: freezing a batch into units in storage, formulating fresh
// units, moving a unit, thawing it and disposing of it. Each loads the facts
// the domain needs in the caller's write transaction, asks the domain to
// decide (domain/unit_steps.h) and stores the decision with its audit
// entries, late entries and batch effects.
#ifndef CPCTRACK_APP_UNITS_H_
#define CPCTRACK_APP_UNITS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/write_context.h"
#include "domain/batch.h"
#include "domain/product.h"
#include "domain/unit_steps.h"
#include "store/store.h"

namespace cpctrack::app {

struct UnitFacts {
  domain::Batch batch;
  domain::Unit unit;
};

// The unit (InvalidArgument naming "unit_id" for a malformed ID, NotFound
// for an unknown one) and its batch. Also for reads.
absl::StatusOr<UnitFacts> LoadUnitFacts(store::Transaction& tx, absl::string_view unit_id);

// Units one write made, as stored, with the batch in its new state.
struct NewUnits {
  domain::Batch batch;
  domain::Product product;  // the batch's: what the units' labels name
  std::vector<domain::Unit> units;
};

// Freezes the batch into `plan`'s units at their storage positions.
absl::StatusOr<NewUnits> FreezeUnits(store::Transaction& tx, const WriteContext& ctx,
                                     const domain::Din& batch_id, const domain::FreezePlan& plan);

// Formulates the batch as `plan`'s fresh units.
absl::StatusOr<NewUnits> FormulateFreshUnits(store::Transaction& tx, const WriteContext& ctx,
                                             const domain::Din& batch_id,
                                             const domain::FormulatePlan& plan);

// One unit as a write leaves it.
struct UnitWrite {
  domain::Batch batch;
  domain::Product product;
  domain::Unit unit;  // as stored now
  std::vector<domain::Deviation> opened_deviations;  // a thaw's, with their IDs
};

// Moves unit `unit_id` to `to`, moved at `moved_at` (ctx.now when unset).
absl::StatusOr<UnitWrite> MoveUnit(store::Transaction& tx, const WriteContext& ctx,
                                   absl::string_view unit_id, const domain::Position& to,
                                   std::optional<absl::Time> moved_at, const std::string& reason);

// Thaws unit `unit_id` with `thaw`'s findings (ctx.late_entry_reason for a
// thaw recorded late).
absl::StatusOr<UnitWrite> ThawUnit(store::Transaction& tx, const WriteContext& ctx,
                                   absl::string_view unit_id, const domain::ThawResult& thaw);

// Disposes of unit `unit_id` for `reason`.
absl::StatusOr<UnitWrite> DisposeUnit(store::Transaction& tx, const WriteContext& ctx,
                                      absl::string_view unit_id, const std::string& reason);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_UNITS_H_
