#include "domain/batch_state.h"

#include <array>
#include <string>
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
// A quarantined batch may still have its records corrected (issue: QC and
// deviation handling add the way back out of quarantine).
constexpr std::array kRules = {
    Rule{BatchAction::kReceiveTissue, BatchState::kRegistered, BatchState::kTissueReceived},
    Rule{BatchAction::kSeedCulture, BatchState::kTissueReceived, BatchState::kInCulture},
    Rule{BatchAction::kRecordObservation, BatchState::kInCulture, BatchState::kInCulture},
    Rule{BatchAction::kRecordMediumChange, BatchState::kInCulture, BatchState::kInCulture},
    Rule{BatchAction::kRecordPassage, BatchState::kInCulture, BatchState::kInCulture},
    Rule{BatchAction::kCorrectRecord, BatchState::kTissueReceived, BatchState::kTissueReceived},
    Rule{BatchAction::kCorrectRecord, BatchState::kInCulture, BatchState::kInCulture},
    Rule{BatchAction::kCorrectRecord, BatchState::kQuarantined, BatchState::kQuarantined},
    Rule{BatchAction::kCorrectRecord, BatchState::kRejected, BatchState::kRejected},
    Rule{BatchAction::kQuarantine, BatchState::kRegistered, BatchState::kQuarantined},
    Rule{BatchAction::kQuarantine, BatchState::kTissueReceived, BatchState::kQuarantined},
    Rule{BatchAction::kQuarantine, BatchState::kInCulture, BatchState::kQuarantined},
    Rule{BatchAction::kReject, BatchState::kRegistered, BatchState::kRejected},
    Rule{BatchAction::kReject, BatchState::kTissueReceived, BatchState::kRejected},
    Rule{BatchAction::kReject, BatchState::kInCulture, BatchState::kRejected},
    Rule{BatchAction::kReject, BatchState::kQuarantined, BatchState::kRejected},
};

}  // namespace

absl::string_view BatchStateName(BatchState state) {
  switch (state) {
    case BatchState::kRegistered: return "REGISTERED";
    case BatchState::kTissueReceived: return "TISSUE_RECEIVED";
    case BatchState::kInCulture: return "IN_CULTURE";
    case BatchState::kQuarantined: return "QUARANTINED";
    case BatchState::kRejected: return "REJECTED";
  }
  return "UNKNOWN";
}

bool IsKnownBatchState(int value) {
  switch (static_cast<BatchState>(value)) {
    case BatchState::kRegistered:
    case BatchState::kTissueReceived:
    case BatchState::kInCulture:
    case BatchState::kQuarantined:
    case BatchState::kRejected:
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
  }
  return "act";
}

absl::StatusOr<BatchState> Transition(BatchState state, BatchAction action) {
  std::vector<std::string> allowed_in;
  for (const Rule& rule : kRules) {
    if (rule.action != action) continue;
    if (rule.from == state) return rule.to;
    allowed_in.emplace_back(BatchStateName(rule.from));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", BatchActionDescription(action), ": the batch is ",
      BatchStateName(state), "; allowed only when it is ",
      allowed_in.empty() ? "never" : absl::StrJoin(allowed_in, " or ")));
}

}  // namespace cpctrack::domain
