#include "domain/batch_state.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cpctrack::domain {
namespace {

struct Rule {
  BatchAction action;
  BatchState from;
  BatchState to;
};

// The whole lifecycle in one table. A step absent here is not allowed.
// Quarantine stops everything but QC, deviation handling, corrections made
// while investigating, and disposal; a rejected batch can only be disposed of.
constexpr BatchState kActive[] = {BatchState::kRegistered,    BatchState::kTissueReceived,
                                  BatchState::kInCulture,     BatchState::kFormulated,
                                  BatchState::kCryopreserved, BatchState::kReleased};

constexpr auto kRules = [] {
  std::array<Rule, 80> rules{};
  size_t n = 0;
  auto add = [&](BatchAction a, BatchState from, BatchState to) { rules[n++] = {a, from, to}; };
  auto stay = [&](BatchAction a, BatchState s) { add(a, s, s); };
  using A = BatchAction;
  using S = BatchState;
  add(A::kReceiveTissue, S::kRegistered, S::kTissueReceived);
  add(A::kSeedCulture, S::kTissueReceived, S::kInCulture);
  stay(A::kRecordObservation, S::kInCulture);
  stay(A::kRecordMediumChange, S::kInCulture);
  stay(A::kRecordPassage, S::kInCulture);
  for (S s : {S::kTissueReceived, S::kInCulture, S::kFormulated, S::kCryopreserved,
              S::kReleased, S::kQuarantined}) {
    stay(A::kCorrectRecord, s);
    stay(A::kRecordQc, s);
  }
  for (S s : kActive) add(A::kQuarantine, s, S::kQuarantined);
  stay(A::kQuarantine, S::kQuarantined);  // a second positive keeps it there
  for (S s : kActive) add(A::kReject, s, S::kRejected);
  add(A::kReject, S::kQuarantined, S::kRejected);
  // Paperwork is never refused: a deviation can be opened, investigated and
  // closed whatever became of the batch.
  for (S s : kActive) stay(A::kHandleDeviation, s);
  for (S s : {S::kQuarantined, S::kRejected, S::kDisposed}) stay(A::kHandleDeviation, s);
  // Final harvest: the culture ends in fresh units, frozen units or both, in
  // either order. A batch with any unit in storage is CRYOPRESERVED.
  add(A::kFreeze, S::kInCulture, S::kCryopreserved);
  add(A::kFreeze, S::kFormulated, S::kCryopreserved);
  stay(A::kFreeze, S::kCryopreserved);
  add(A::kFormulate, S::kInCulture, S::kFormulated);
  stay(A::kFormulate, S::kFormulated);
  stay(A::kFormulate, S::kCryopreserved);
  stay(A::kHandleUnit, S::kCryopreserved);
  stay(A::kHandleUnit, S::kReleased);
  for (S s : {S::kFormulated, S::kCryopreserved, S::kReleased, S::kQuarantined,
              S::kRejected}) {
    stay(A::kDisposeUnit, s);
  }
  // QA signs again after a correction revoked the release.
  add(A::kRelease, S::kFormulated, S::kReleased);
  add(A::kRelease, S::kCryopreserved, S::kReleased);
  stay(A::kRelease, S::kReleased);
  stay(A::kInfuse, S::kReleased);
  for (S s : kActive) add(A::kDisposeBatch, s, S::kDisposed);
  for (S s : {S::kQuarantined, S::kRejected}) add(A::kDisposeBatch, s, S::kDisposed);
  return std::pair{rules, n};
}();

}  // namespace

absl::string_view BatchStateName(BatchState state) {
  switch (state) {
    case BatchState::kRegistered: return "REGISTERED";
    case BatchState::kTissueReceived: return "TISSUE_RECEIVED";
    case BatchState::kInCulture: return "IN_CULTURE";
    case BatchState::kCryopreserved: return "CRYOPRESERVED";
    case BatchState::kReleased: return "RELEASED";
    case BatchState::kFormulated: return "FORMULATED";
    case BatchState::kQuarantined: return "QUARANTINED";
    case BatchState::kRejected: return "REJECTED";
    case BatchState::kDisposed: return "DISPOSED";
  }
  return "UNKNOWN";
}

bool IsKnownBatchState(int value) {
  switch (static_cast<BatchState>(value)) {
    case BatchState::kRegistered:
    case BatchState::kTissueReceived:
    case BatchState::kInCulture:
    case BatchState::kCryopreserved:
    case BatchState::kReleased:
    case BatchState::kFormulated:
    case BatchState::kQuarantined:
    case BatchState::kRejected:
    case BatchState::kDisposed:
      return true;
  }
  return false;
}

absl::string_view BatchActionDescription(BatchAction action) {
  switch (action) {
    case BatchAction::kReceiveTissue: return "receive tissue";
    case BatchAction::kSeedCulture: return "seed the culture (P0)";
    case BatchAction::kRecordObservation: return "record an observation";
    case BatchAction::kRecordMediumChange: return "record a medium change";
    case BatchAction::kRecordPassage: return "record a passage";
    case BatchAction::kCorrectRecord: return "correct a record";
    case BatchAction::kQuarantine: return "quarantine";
    case BatchAction::kReject: return "reject";
    case BatchAction::kRecordQc: return "record QC";
    case BatchAction::kHandleDeviation: return "handle a deviation";
    case BatchAction::kFreeze: return "freeze units";
    case BatchAction::kFormulate: return "formulate fresh units";
    case BatchAction::kHandleUnit: return "move or thaw a unit";
    case BatchAction::kDisposeUnit: return "dispose of a unit";
    case BatchAction::kDisposeBatch: return "dispose of the batch";
    case BatchAction::kRelease: return "release the batch";
    case BatchAction::kInfuse: return "record an infusion";
  }
  return "act";
}

absl::StatusOr<BatchState> Transition(BatchState state, BatchAction action) {
  std::vector<std::string> allowed_in;
  const auto& [rules, count] = kRules;
  for (size_t i = 0; i < count; ++i) {
    const Rule& rule = rules[i];
    if (rule.action != action) continue;
    if (rule.from == state) return rule.to;
    allowed_in.emplace_back(BatchStateName(rule.from));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", BatchActionDescription(action), ": the batch is ",
      BatchStateName(state), "; allowed only when it is ",
      allowed_in.empty() ? "never" : absl::StrJoin(allowed_in, " or ")));
}

absl::StatusOr<BatchState> LiftQuarantine(BatchState state, BatchState before) {
  if (state != BatchState::kQuarantined) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot lift a quarantine: the batch is ", BatchStateName(state), ", not QUARANTINED"));
  }
  for (BatchState s : kActive) {
    if (s == before) return before;
  }
  return absl::InternalError(absl::StrCat("a batch cannot return to ", BatchStateName(before)));
}

}  // namespace cpctrack::domain
