#include "domain/unit_steps.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/growth.h"
#include "domain/inventory.h"
#include "domain/plausibility.h"
#include "domain/qc_steps.h"
#include "domain/record_validation.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

constexpr size_t kMaxUnitsPerStep = 200;

std::string Cells(int64_t n) { return absl::StrFormat("%.3g", static_cast<double>(n)); }

// The position must exist in a registered box of a cryogenic tank, and be free.
absl::Status CheckStorable(absl::string_view field, const Position& position,
                           const StorageFacts& storage) {
  auto box = storage.boxes.find(position.box_id);
  if (box == storage.boxes.end()) {
    return absl::NotFoundError(absl::StrCat(field, ": box ", position.box_id,
                                            " is not registered (see `cpc storage show`)"));
  }
  RETURN_IF_ERROR(CheckInBox(field, position, box->second));
  auto tank = storage.tanks.find(box->second.tank_id);
  if (tank == storage.tanks.end()) {
    return absl::NotFoundError(absl::StrCat(field, ": tank ", box->second.tank_id, " of box ",
                                            position.box_id, " is not registered"));
  }
  if (!IsCryogenic(tank->second.temperature_class)) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": tank ", tank->first, " is ", TemperatureClassName(tank->second.temperature_class),
        "; cryopreserved units are stored below -150 °C (LN2_VAPOUR or LN2_LIQUID)"));
  }
  if (storage.occupied.contains(position.Label())) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": position ", position.Label(), " already holds a unit"));
  }
  return absl::OkStatus();
}

absl::Status CheckUnitState(const Unit& unit, absl::string_view action,
                            std::initializer_list<UnitState> allowed) {
  if (std::find(allowed.begin(), allowed.end(), unit.state) != allowed.end()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", action, " unit ", unit.unit_id, ": it is ", UnitStateName(unit.state),
                   unit.state == UnitState::kQuarantined ? " (its batch is quarantined or rejected)"
                                                          : ""));
}

// The latest count at or before `at`: P0 seeding or a passage harvest.
struct Count {
  absl::Time at;
  int64_t viable_cells = 0;
};
std::optional<Count> LatestCount(const BatchHistory& history, absl::Time at) {
  std::optional<Count> latest;
  for (const RecordData* d : history.EffectiveData()) {
    std::optional<Count> c;
    if (const auto* s = std::get_if<Seeding>(d)) c = Count{s->seeding_time, s->cells_seeded};
    if (const auto* p = std::get_if<Passage>(d)) c = Count{p->passage_time, p->viable_cells};
    if (c.has_value() && c->at <= at && (!latest.has_value() || c->at >= latest->at)) latest = c;
  }
  return latest;
}

UnitEvent Event(const Unit& unit, UnitEventKind kind, UnitState to, absl::Time at,
                std::string reason, const StepContext& ctx) {
  UnitEvent e;
  e.unit_id = unit.unit_id;
  e.kind = kind;
  e.from_state = unit.state;
  e.to_state = to;
  e.from_position = unit.position;
  e.at = at;
  e.by = ctx.actor;
  e.reason = std::move(reason);
  return e;
}

// The medium's lot: registered and unexpired on the day the units are made.
absl::Status CheckMediumLot(const std::string& lot_number, absl::Time at,
                            const StepResources& resources, const StepContext& ctx) {
  auto lot = resources.lots.find(lot_number);
  if (lot == resources.lots.end()) {
    return absl::NotFoundError(absl::StrFormat(
        "medium_lot: reagent lot \"%s\" is not registered (register it with `cpc lot register`)",
        lot_number));
  }
  return CheckLotUsable("medium_lot", lot->second, absl::ToCivilDay(at, ctx.facility_zone));
}

absl::Status CheckUnitCount(size_t count, absl::string_view verb) {
  if (count == 0 || count > kMaxUnitsPerStep) {
    return absl::InvalidArgumentError(
        absl::StrCat("units: ", verb, " 1 to ", kMaxUnitsPerStep, " units, got ", count));
  }
  return absl::OkStatus();
}

// Cells and volume of units[i] (`cells`/`volume_ml`), and the cells of all
// of them against what the batch has available at `at`.
absl::Status CheckUnitContents(const std::vector<std::pair<int64_t, double>>& units,
                               const BatchHistory& history, const std::vector<Unit>& existing,
                               absl::Time at, absl::string_view when) {
  int64_t total = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const std::string field = absl::StrCat("units[", i, "]");
    RETURN_IF_ERROR(CheckCount(absl::StrCat(field, ".cells"), units[i].first));
    RETURN_IF_ERROR(CheckRange(absl::StrCat(field, ".volume_ml"), units[i].second, 0.1, 1000));
    total += units[i].first;
  }
  ASSIGN_OR_RETURN(int64_t available, CellsAvailable(history, existing, at));
  if (total > available) {
    return absl::FailedPreconditionError(absl::StrCat(
        "units: ", units.size(), " units hold ", Cells(total), " cells in all, more than the ",
        Cells(available), " viable cells the batch had available when ", when,
        " (latest count, less units already made from it)"));
  }
  return absl::OkStatus();
}

// A new unit of `batch`, numbered after `sequence` (which it advances).
Unit NewUnit(const Batch& batch, int& sequence, int64_t cells, double volume_ml,
             const StepContext& ctx) {
  Unit unit;
  unit.sequence = ++sequence;
  unit.unit_id = UnitId(batch.batch_id, unit.sequence);
  unit.batch_id = batch.batch_id.compact();
  unit.patient_id = batch.patient_id;
  unit.cells = cells;
  unit.volume_ml = volume_ml;
  unit.frozen_by = ctx.actor;
  unit.state = UnitState::kStored;
  return unit;
}

// One late entry per unit made at `at`, when that is recorded late.
absl::StatusOr<std::vector<LateEntry>> UnitsLateEntries(absl::string_view field, absl::Time at,
                                                        const std::vector<Unit>& units,
                                                        const Product& product,
                                                        const StepContext& ctx) {
  ASSIGN_OR_RETURN(std::optional<LateEntry> late,
                   CheckLateEntry(field, at, product.max_entry_delay, ctx.late_entry_reason,
                                  ctx.now, ctx.actor));
  std::vector<LateEntry> entries;
  if (!late.has_value()) return entries;
  for (const Unit& u : units) {
    entries.push_back(*late);
    entries.back().resource = absl::StrCat("units/", u.unit_id);
  }
  return entries;
}

int LastSequence(const std::vector<Unit>& existing) {
  int sequence = 0;
  for (const Unit& u : existing) sequence = std::max(sequence, u.sequence);
  return sequence;
}

// Fresh units are held at 2-8 °C until infused: never in storage, moved or thawed.
absl::Status CheckFrozen(const Unit& unit, absl::string_view action) {
  if (!unit.fresh()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", action, " unit ", unit.unit_id,
      ": it is a fresh unit (held at 2-8 °C for infusion, never frozen or in storage)"));
}

}  // namespace

absl::StatusOr<int64_t> CellsAvailable(const BatchHistory& history,
                                       const std::vector<Unit>& existing, absl::Time at) {
  std::optional<Count> count = LatestCount(history, at);
  if (!count.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no cell count on record before ", FormatUtc(at),
        "; record the final harvest as a passage before making units from it"));
  }
  int64_t available = count->viable_cells;
  for (const Unit& u : existing) {
    if (u.frozen_at >= count->at) available -= u.cells;
  }
  return std::max<int64_t>(available, 0);
}

absl::StatusOr<FreezeDecision> DecideFreeze(const Batch& batch, const BatchHistory& history,
                                            const std::vector<Unit>& existing,
                                            const FreezePlan& plan, const Product& product,
                                            const StorageFacts& storage,
                                            const StepResources& resources,
                                            const StepContext& ctx) {
  ASSIGN_OR_RETURN(BatchState next, CheckAllowed(batch, BatchAction::kFreeze));
  if (plan.kind != UnitKind::kVial && plan.kind != UnitKind::kBag) {
    return absl::InvalidArgumentError("kind must be VIAL or BAG");
  }
  RETURN_IF_ERROR(CheckUnitCount(plan.units.size(), "freeze"));
  RETURN_IF_ERROR(CheckNotFuture("frozen_at", plan.frozen_at, ctx.now));
  RETURN_IF_ERROR(CheckText("freezing_medium", plan.freezing_medium, 100, true));
  RETURN_IF_ERROR(CheckText("medium_lot", plan.medium_lot, 40, true));
  RETURN_IF_ERROR(CheckText("freezer_program", plan.freezer_program, 100, true));
  RETURN_IF_ERROR(CheckText("freezer_id", plan.freezer_id, 40, false));
  RETURN_IF_ERROR(CheckMediumLot(plan.medium_lot, plan.frozen_at, resources, ctx));
  if (!plan.freezer_id.empty()) {
    auto freezer = resources.equipment.find(plan.freezer_id);
    if (freezer == resources.equipment.end()) {
      return absl::NotFoundError(
          absl::StrFormat("freezer_id: equipment \"%s\" is not registered", plan.freezer_id));
    }
    RETURN_IF_ERROR(CheckEquipmentUsable(
        "freezer_id", freezer->second, EquipmentKind::kControlledRateFreezer,
        absl::ToCivilDay(plan.frozen_at, ctx.facility_zone)));
  }

  std::vector<std::pair<int64_t, double>> contents;
  StorageFacts taken = storage;
  for (size_t i = 0; i < plan.units.size(); ++i) {
    const FreezeUnit& u = plan.units[i];
    contents.emplace_back(u.cells, u.volume_ml);
    RETURN_IF_ERROR(
        CheckStorable(absl::StrCat("units[", i, "].position"), u.position, taken));
    taken.occupied.insert(u.position.Label());
  }
  RETURN_IF_ERROR(CheckUnitContents(contents, history, existing, plan.frozen_at, "frozen"));

  FreezeDecision decision;
  decision.new_state = next;
  int sequence = LastSequence(existing);
  for (const FreezeUnit& u : plan.units) {
    Unit unit = NewUnit(batch, sequence, u.cells, u.volume_ml, ctx);
    unit.kind = plan.kind;
    unit.freezing_medium = plan.freezing_medium;
    unit.medium_lot = plan.medium_lot;
    unit.freezer_program = plan.freezer_program;
    unit.freezer_id = plan.freezer_id;
    unit.frozen_at = plan.frozen_at;
    unit.frozen_expires_at = plan.frozen_at + product.frozen_shelf_life;
    unit.position = u.position;
    decision.units.push_back(std::move(unit));
  }
  ASSIGN_OR_RETURN(decision.late_entries,
                   UnitsLateEntries("frozen_at", plan.frozen_at, decision.units, product, ctx));
  return decision;
}

absl::StatusOr<FormulateDecision> DecideFormulate(const Batch& batch, const BatchHistory& history,
                                                  const std::vector<Unit>& existing,
                                                  const FormulatePlan& plan,
                                                  const Product& product,
                                                  const StepResources& resources,
                                                  const StepContext& ctx) {
  ASSIGN_OR_RETURN(BatchState next, CheckAllowed(batch, BatchAction::kFormulate));
  RETURN_IF_ERROR(CheckUnitCount(plan.units.size(), "formulate"));
  RETURN_IF_ERROR(CheckNotFuture("formulated_at", plan.formulated_at, ctx.now));
  RETURN_IF_ERROR(CheckText("medium", plan.medium, 100, true));
  RETURN_IF_ERROR(CheckText("medium_lot", plan.medium_lot, 40, true));
  RETURN_IF_ERROR(CheckMediumLot(plan.medium_lot, plan.formulated_at, resources, ctx));
  std::vector<std::pair<int64_t, double>> contents;
  for (const FreshUnitSpec& u : plan.units) contents.emplace_back(u.cells, u.volume_ml);
  RETURN_IF_ERROR(
      CheckUnitContents(contents, history, existing, plan.formulated_at, "formulated"));

  FormulateDecision decision;
  decision.new_state = next;
  int sequence = LastSequence(existing);
  for (const FreshUnitSpec& u : plan.units) {
    Unit unit = NewUnit(batch, sequence, u.cells, u.volume_ml, ctx);
    unit.kind = UnitKind::kBag;
    unit.freezing_medium = plan.medium;
    unit.medium_lot = plan.medium_lot;
    unit.frozen_at = plan.formulated_at;
    unit.expires_at = plan.formulated_at + product.fresh_shelf_life;
    decision.units.push_back(std::move(unit));
  }
  ASSIGN_OR_RETURN(decision.late_entries, UnitsLateEntries("formulated_at", plan.formulated_at,
                                                           decision.units, product, ctx));
  return decision;
}

absl::StatusOr<UnitEvent> DecideMove(const Batch& batch, const Unit& unit, const Position& to,
                                     absl::Time moved_at, std::string reason,
                                     const StorageFacts& storage, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckUnitState(unit, "move", {UnitState::kStored}));
  RETURN_IF_ERROR(CheckFrozen(unit, "move"));
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kHandleUnit).status());
  RETURN_IF_ERROR(CheckNotFuture("moved_at", moved_at, ctx.now));
  RETURN_IF_ERROR(CheckNotBefore("moved_at", moved_at, "the freeze", unit.frozen_at));
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 1000, false));
  if (unit.position.has_value() && *unit.position == to) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: unit ", unit.unit_id, " is already at ", to.Label()));
  }
  RETURN_IF_ERROR(CheckStorable("to", to, storage));
  UnitEvent e = Event(unit, UnitEventKind::kMoved, UnitState::kStored, moved_at, std::move(reason),
                      ctx);
  e.to_position = to;
  return e;
}

absl::StatusOr<ThawDecision> DecideThaw(const Batch& batch, const Unit& unit, ThawResult thaw,
                                        const Product& product, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckUnitState(unit, "thaw", {UnitState::kStored}));
  RETURN_IF_ERROR(CheckFrozen(unit, "thaw"));
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kHandleUnit).status());
  RETURN_IF_ERROR(CheckNotFuture("thawed_at", thaw.thawed_at, ctx.now));
  RETURN_IF_ERROR(CheckNotBefore("thawed_at", thaw.thawed_at, "the freeze", unit.frozen_at));
  RETURN_IF_ERROR(CheckCellCounts("post_thaw.", thaw.total_cells, thaw.viable_cells,
                                  thaw.viability_percent));
  ThawDecision decision;
  ASSIGN_OR_RETURN(decision.late_entry,
                   CheckLateEntry("thawed_at", thaw.thawed_at, product.max_entry_delay,
                                  ctx.late_entry_reason, ctx.now, ctx.actor));
  if (decision.late_entry.has_value()) {
    decision.late_entry->resource = absl::StrCat("units/", unit.unit_id, "/thaw");
  }
  decision.event = Event(unit, UnitEventKind::kThawed, UnitState::kThawed, thaw.thawed_at, "", ctx);
  decision.thaw = thaw;
  if (std::optional<std::string> why = OutOfSpecification(
          ViabilityResult{thaw.viability_percent}, SamplePoint::kPostThaw, product.qc)) {
    Deviation d;
    d.kind = DeviationKind::kOutOfSpecification;
    d.description = absl::StrCat("unit ", unit.unit_id, " post-thaw: ", *why);
    d.opened_at = ctx.now;
    d.opened_by = ctx.actor;
    d.unit_id = unit.unit_id;
    decision.effects.deviations_to_open.push_back(std::move(d));
  }
  return decision;
}

absl::StatusOr<UnitEvent> DecideDisposeUnit(const Batch& batch, const Unit& unit,
                                            std::string reason, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckUnitState(unit, "dispose of",
                                 {UnitState::kStored, UnitState::kThawed, UnitState::kQuarantined}));
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kDisposeUnit).status());
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 1000, true));
  return Event(unit, UnitEventKind::kDisposed, UnitState::kDisposed, ctx.now, std::move(reason),
               ctx);
}

absl::StatusOr<BatchEffects> DecideDisposeBatch(const Batch& batch,
                                                const std::vector<Unit>& units,
                                                const std::string& reason,
                                                const StepContext& ctx) {
  ASSIGN_OR_RETURN(BatchState next, CheckAllowed(batch, BatchAction::kDisposeBatch));
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 1000, true));
  BatchEffects effects;
  effects.new_state = next;
  for (const Unit& u : units) {
    if (u.state == UnitState::kDisposed || u.state == UnitState::kInfused) continue;
    effects.unit_changes.push_back(
        {u.unit_id, UnitEventKind::kDisposed, u.state, UnitState::kDisposed});
  }
  return effects;
}

}  // namespace cpctrack::domain
