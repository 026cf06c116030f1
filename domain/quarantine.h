// What a step does to a batch beyond its own record: a new batch state,
// deviations to open, and units whose state follows the batch's (a
// quarantined or rejected batch takes every usable unit with it, in the same
// transaction).
#ifndef CPCTRACK_DOMAIN_QUARANTINE_H_
#define CPCTRACK_DOMAIN_QUARANTINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/batch.h"
#include "domain/batch_state.h"
#include "domain/units.h"

namespace cpctrack::domain {

struct UnitChange {
  std::string unit_id;
  UnitEventKind event = UnitEventKind::kQuarantined;
  UnitState from = UnitState::kUnspecified;
  UnitState to = UnitState::kUnspecified;
};

struct BatchEffects {
  std::optional<BatchState> new_state;  // set when the state changes
  std::vector<Deviation> deviations_to_open;
  std::vector<UnitChange> unit_changes;
};

// "batch A99...: cannot freeze units: the batch is QUARANTINED; ...": the
// state the batch moves to, or FailedPrecondition naming the batch.
absl::StatusOr<BatchState> CheckAllowed(const Batch& batch, BatchAction action);

// The batch goes to QUARANTINED (it may already be), and so does every unit
// that could still reach a patient (stored or thawed).
absl::StatusOr<BatchEffects> Quarantine(const Batch& batch, const std::vector<Unit>& units);

// The batch goes to REJECTED; its usable units are quarantined until disposed.
absl::StatusOr<BatchEffects> Reject(const Batch& batch, const std::vector<Unit>& units);

// QA lifted the quarantine: the batch returns to `state_before` and each
// quarantined unit to the state the quarantine interrupted.
absl::StatusOr<BatchEffects> Lift(const Batch& batch, BatchState state_before,
                                  const std::vector<Unit>& units);

// Appends `more` to `effects`; a state in `more` wins.
void Merge(BatchEffects more, BatchEffects& effects);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_QUARANTINE_H_
