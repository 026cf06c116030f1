#include "domain/units.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cpctrack::domain {

absl::string_view UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kVial: return "VIAL";
    case UnitKind::kBag: return "BAG";
    case UnitKind::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::string_view UnitStateName(UnitState state) {
  switch (state) {
    case UnitState::kStored: return "STORED";
    case UnitState::kThawed: return "THAWED";
    case UnitState::kInfused: return "INFUSED";
    case UnitState::kDisposed: return "DISPOSED";
    case UnitState::kQuarantined: return "QUARANTINED";
    case UnitState::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::string_view UnitEventKindName(UnitEventKind kind) {
  switch (kind) {
    case UnitEventKind::kFrozen: return "FROZEN";
    case UnitEventKind::kMoved: return "MOVED";
    case UnitEventKind::kThawed: return "THAWED";
    case UnitEventKind::kDisposed: return "DISPOSED";
    case UnitEventKind::kQuarantined: return "QUARANTINED";
    case UnitEventKind::kQuarantineLifted: return "QUARANTINE_LIFTED";
    case UnitEventKind::kInfused: return "INFUSED";
    case UnitEventKind::kFormulated: return "FORMULATED";
  }
  return "UNKNOWN";
}

std::optional<absl::Time> ThawWindowEnd(const Unit& unit, absl::Duration max_thaw_to_infusion) {
  if (unit.state != UnitState::kThawed || !unit.thaw.has_value()) return std::nullopt;
  return unit.thaw->thawed_at + max_thaw_to_infusion;
}

bool InfusibleAt(const Unit& unit, absl::Duration max_thaw_to_infusion, absl::Time at) {
  if (unit.ExpiredAt(at)) return false;
  const std::optional<absl::Time> window_end = ThawWindowEnd(unit, max_thaw_to_infusion);
  return !window_end.has_value() || at <= *window_end;
}

std::string UnitId(const Din& batch, int sequence) {
  return absl::StrFormat("%s-%02d", batch.compact(), sequence);
}

absl::StatusOr<std::pair<Din, int>> ParseUnitId(absl::string_view field, absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  size_t dash = t.rfind('-');
  int sequence = 0;
  if (dash == absl::string_view::npos || !absl::SimpleAtoi(t.substr(dash + 1), &sequence) ||
      sequence < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " \"", text, "\" is not a unit ID: write BATCH-NN, e.g. A9999260000018-03"));
  }
  absl::StatusOr<Din> din = Din::Parse(t.substr(0, dash));
  if (!din.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " \"", text, "\": ", din.status().message()));
  }
  return std::pair{*din, sequence};
}

}  // namespace cpctrack::domain
