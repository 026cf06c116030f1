#include "domain/quarantine.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cpctrack::domain {
namespace {

bool Usable(UnitState s) { return s == UnitState::kStored || s == UnitState::kThawed; }

BatchEffects HoldUnits(BatchState new_state, const std::vector<Unit>& units) {
  BatchEffects effects;
  effects.new_state = new_state;
  for (const Unit& u : units) {
    if (!Usable(u.state)) continue;
    effects.unit_changes.push_back(
        {u.unit_id, UnitEventKind::kQuarantined, u.state, UnitState::kQuarantined});
  }
  return effects;
}

}  // namespace

absl::StatusOr<BatchState> CheckAllowed(const Batch& batch, BatchAction action) {
  absl::StatusOr<BatchState> next = Transition(batch.state, action);
  if (!next.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("batch ", batch.batch_id.compact(), ": ", next.status().message()));
  }
  return next;
}

absl::StatusOr<BatchEffects> Quarantine(const Batch& batch, const std::vector<Unit>& units) {
  absl::StatusOr<BatchState> next = CheckAllowed(batch, BatchAction::kQuarantine);
  if (!next.ok()) return next.status();
  return HoldUnits(*next, units);
}

absl::StatusOr<BatchEffects> Reject(const Batch& batch, const std::vector<Unit>& units) {
  absl::StatusOr<BatchState> next = CheckAllowed(batch, BatchAction::kReject);
  if (!next.ok()) return next.status();
  return HoldUnits(*next, units);
}

absl::StatusOr<BatchEffects> Lift(const Batch& batch, BatchState state_before,
                                  const std::vector<Unit>& units) {
  absl::StatusOr<BatchState> next = LiftQuarantine(batch.state, state_before);
  if (!next.ok()) return next.status();
  BatchEffects effects;
  effects.new_state = *next;
  for (const Unit& u : units) {
    if (u.state != UnitState::kQuarantined || !Usable(u.state_before_quarantine)) continue;
    effects.unit_changes.push_back({u.unit_id, UnitEventKind::kQuarantineLifted, u.state,
                                    u.state_before_quarantine});
  }
  return effects;
}

void Merge(BatchEffects more, BatchEffects& effects) {
  if (more.new_state.has_value()) effects.new_state = more.new_state;
  for (Deviation& d : more.deviations_to_open) effects.deviations_to_open.push_back(std::move(d));
  for (UnitChange& c : more.unit_changes) effects.unit_changes.push_back(std::move(c));
}

}  // namespace cpctrack::domain
