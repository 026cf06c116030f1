// Decisions for a batch's dose units: freezing it into units or formulating
// fresh ones, and moving, thawing and disposing of units. Pure: the caller
// loads the facts and stores the decision in one transaction.
#ifndef CPCTRACK_DOMAIN_UNIT_STEPS_H_
#define CPCTRACK_DOMAIN_UNIT_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/late_entry.h"
#include "domain/product.h"
#include "domain/quarantine.h"
#include "domain/storage.h"
#include "domain/units.h"

namespace cpctrack::domain {

// The storage a step names, as found in the registry.
struct StorageFacts {
  absl::flat_hash_map<std::string, Box> boxes;   // by box_id
  absl::flat_hash_map<std::string, Tank> tanks;  // by tank_id
  absl::flat_hash_set<std::string> occupied;     // position labels holding a unit
};

struct FreezeUnit {
  int64_t cells = 0;  // viable cells in this unit
  double volume_ml = 0;
  Position position;
};

struct FreezePlan {
  UnitKind kind = UnitKind::kVial;
  absl::Time frozen_at = absl::InfinitePast();
  std::string freezing_medium;
  std::string medium_lot;
  std::string freezer_program;
  std::string freezer_id;  // optional
  std::vector<FreezeUnit> units;
};

// A step recorded more than the product's max_entry_delay after the time it
// describes (frozen_at, formulated_at, thawed_at) needs ctx.late_entry_reason
// and makes a late entry (late_entry.h) for each unit it writes.

struct FreezeDecision {
  BatchState new_state;
  std::vector<Unit> units;  // numbered after the batch's existing units
  std::vector<LateEntry> late_entries;  // "units/<unit id>", one per unit when late
};

// Viable cells the batch can still put into units at `at`: the latest count
// at or before `at` less the units made (frozen or formulated) since that
// count.
absl::StatusOr<int64_t> CellsAvailable(const BatchHistory& history,
                                       const std::vector<Unit>& existing, absl::Time at);

// Each unit expires frozen_at + product.frozen_shelf_life.
absl::StatusOr<FreezeDecision> DecideFreeze(const Batch& batch, const BatchHistory& history,
                                            const std::vector<Unit>& existing,
                                            const FreezePlan& plan, const Product& product,
                                            const StorageFacts& storage,
                                            const StepResources& resources,
                                            const StepContext& ctx);

struct FreshUnitSpec {
  int64_t cells = 0;  // viable cells in this bag
  double volume_ml = 0;
};

// Fresh product (DOMAIN.md §7): bags formulated at the final harvest for
// infusion within the product's fresh shelf life, held at 2-8 °C, never
// frozen and never in a storage position.
struct FormulatePlan {
  absl::Time formulated_at = absl::InfinitePast();
  std::string medium;      // e.g. "Plasma-Lyte A + 2% HSA"
  std::string medium_lot;  // a registered reagent lot, unexpired on the day
  std::vector<FreshUnitSpec> units;
};

struct FormulateDecision {
  BatchState new_state;
  std::vector<Unit> units;  // bags, numbered after the batch's existing units;
                            // each expires formulated_at + product.fresh_shelf_life
  std::vector<LateEntry> late_entries;  // "units/<unit id>", one per bag when late
};

// Cells come out of the same count as a freeze's (CellsAvailable). A
// formulation recorded late is accepted even if the bags have expired: the
// record says what was done, and readiness and the bedside refuse them.
absl::StatusOr<FormulateDecision> DecideFormulate(const Batch& batch, const BatchHistory& history,
                                                  const std::vector<Unit>& existing,
                                                  const FormulatePlan& plan,
                                                  const Product& product,
                                                  const StepResources& resources,
                                                  const StepContext& ctx);

absl::StatusOr<UnitEvent> DecideMove(const Batch& batch, const Unit& unit, const Position& to,
                                     absl::Time moved_at, std::string reason,
                                     const StorageFacts& storage, const StepContext& ctx);

struct ThawDecision {
  UnitEvent event;
  ThawResult thaw;  // viability filled in
  BatchEffects effects;  // post-thaw viability out of specification
  std::optional<LateEntry> late_entry;  // "units/<unit id>/thaw"
};
absl::StatusOr<ThawDecision> DecideThaw(const Batch& batch, const Unit& unit, ThawResult thaw,
                                        const Product& product, const StepContext& ctx);

absl::StatusOr<UnitEvent> DecideDisposeUnit(const Batch& batch, const Unit& unit,
                                            std::string reason, const StepContext& ctx);

// The batch is disposed of, and every unit not yet disposed or infused.
absl::StatusOr<BatchEffects> DecideDisposeBatch(const Batch& batch,
                                                const std::vector<Unit>& units,
                                                const std::string& reason,
                                                const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_UNIT_STEPS_H_
