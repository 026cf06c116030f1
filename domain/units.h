// Dose units made from a batch at its final harvest: cryovials or bags frozen
// into storage, or fresh bags held at 2-8 °C for infusion within the
// product's fresh shelf life. A unit carries its batch and patient for life;
// its ID is the batch ID and a sequence number, so the label alone ties it to
// the batch ("A9999260000018-03").
#ifndef CPCTRACK_DOMAIN_UNITS_H_
#define CPCTRACK_DOMAIN_UNITS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/din.h"
#include "domain/storage.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class UnitKind { kUnspecified = 0, kVial = 1, kBag = 2 };
enum class UnitState {
  kUnspecified = 0,
  kStored = 1,
  kThawed = 2,
  kInfused = 3,
  kDisposed = 4,
  kQuarantined = 5,
};
absl::string_view UnitKindName(UnitKind kind);
absl::string_view UnitStateName(UnitState state);

struct ThawResult {
  absl::Time thawed_at = absl::InfinitePast();
  int64_t total_cells = 0;
  int64_t viable_cells = 0;
  double viability_percent = 0;  // optional on input: computed from the counts
};

// A frozen unit and a fresh one share the record: for a fresh unit
// `frozen_at`/`frozen_by` are when and by whom it was formulated,
// `freezing_medium` is the medium it was formulated in, `freezer_program` and
// `freezer_id` are empty, and `expires_at` is set. Its state is kStored while
// it is held (it never has a position) until it is infused or disposed of.
struct Unit {
  std::string unit_id;
  std::string batch_id;  // compact DIN
  std::string patient_id;
  int sequence = 0;  // 1.. within the batch
  UnitKind kind = UnitKind::kUnspecified;
  int64_t cells = 0;  // viable cells put into this unit
  double volume_ml = 0;
  std::string freezing_medium;  // e.g. "CryoStor CS10"; fresh: e.g. "Plasma-Lyte A + 2% HSA"
  std::string medium_lot;       // a registered reagent lot
  std::string freezer_program;  // controlled-rate program, e.g. "-1C/min to -90C"
  std::string freezer_id;       // optional: the controlled-rate freezer
  absl::Time frozen_at = absl::InfinitePast();  // made: frozen, or formulated (fresh)
  std::string frozen_by;
  // Fresh units only: formulated + the product's fresh shelf life.
  std::optional<absl::Time> expires_at;
  // Frozen units: frozen + the product version's frozen shelf life (its
  // validated stability), on record from the freeze.
  std::optional<absl::Time> frozen_expires_at;
  UnitState state = UnitState::kStored;
  // The state a quarantine interrupted; kUnspecified unless quarantined.
  UnitState state_before_quarantine = UnitState::kUnspecified;
  std::optional<Position> position;  // while it occupies one
  std::optional<ThawResult> thaw;

  bool fresh() const { return expires_at.has_value(); }
  // Its expiry on record, fresh or frozen.
  std::optional<absl::Time> expiry() const { return fresh() ? expires_at : frozen_expires_at; }
  // Past its expiry at `at`.
  bool ExpiredAt(absl::Time at) const {
    const std::optional<absl::Time> e = expiry();
    return e.has_value() && at >= *e;
  }
};

// A thawed unit's infusion must start within `max_thaw_to_infusion` of its
// thaw (the product's window): the end of that window, or nullopt for a unit
// not thawed.
std::optional<absl::Time> ThawWindowEnd(const Unit& unit, absl::Duration max_thaw_to_infusion);

// Whether an infusion of `unit` may still start at `at`: not expired and,
// thawed, within its window (a start exactly at the window's end is within).
bool InfusibleAt(const Unit& unit, absl::Duration max_thaw_to_infusion, absl::Time at);

// Stored values: append, never renumber.
enum class UnitEventKind {
  kFrozen = 1,
  kMoved = 2,
  kThawed = 3,
  kDisposed = 4,
  kQuarantined = 5,
  kQuarantineLifted = 6,
  kInfused = 7,
  kFormulated = 8,  // a fresh unit's first event, as kFrozen is a frozen unit's
};
absl::string_view UnitEventKindName(UnitEventKind kind);

// One entry in a unit's history; the unit's state is the last entry's.
struct UnitEvent {
  std::string unit_id;
  UnitEventKind kind = UnitEventKind::kFrozen;
  UnitState from_state = UnitState::kUnspecified;
  UnitState to_state = UnitState::kStored;
  std::optional<Position> from_position;
  std::optional<Position> to_position;
  absl::Time at = absl::InfinitePast();  // when it happened (event time)
  std::string by;
  std::string reason;
};

std::string UnitId(const Din& batch, int sequence);
// Parses "A9999260000018-03" (the batch ID may be spaced); `field` names it.
absl::StatusOr<std::pair<Din, int>> ParseUnitId(absl::string_view field, absl::string_view text);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_UNITS_H_
