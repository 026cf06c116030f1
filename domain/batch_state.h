// The lifecycle of a batch: which step may happen in which state, and where
// it leads. Every write to a batch goes through Transition(); the gRPC layer
// never decides this.
#ifndef CPCTRACK_DOMAIN_BATCH_STATE_H_
#define CPCTRACK_DOMAIN_BATCH_STATE_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace cpctrack::domain {

// Values are stored in the database: append new ones, never renumber.
enum class BatchState {
  kRegistered = 1,
  kTissueReceived = 2,
  kInCulture = 3,
  kCryopreserved = 4,  // frozen into units; the culture has ended
  kReleased = 5,       // QA signed the release for infusion
  kFormulated = 6,     // formulated as fresh product; the culture has ended
  kQuarantined = 20,
  kRejected = 21,
  kDisposed = 22,
};

enum class BatchAction {
  kReceiveTissue,
  kSeedCulture,
  kRecordObservation,
  kRecordMediumChange,
  kRecordPassage,
  kCorrectRecord,
  kQuarantine,
  kReject,
  kRecordQc,          // draw samples, order tests, record and review results
  kHandleDeviation,   // open, annotate and close deviations
  kFreeze,
  kFormulate,         // formulate fresh units (bags for infusion within their shelf life)
  kHandleUnit,        // move or thaw a stored unit
  kDisposeUnit,
  kDisposeBatch,
  kRelease,
  kInfuse,
};

// "IN_CULTURE": the name used in messages, the API and the CLI.
absl::string_view BatchStateName(BatchState state);
// "record a passage": what the action does, for messages.
absl::string_view BatchActionDescription(BatchAction action);
bool IsKnownBatchState(int value);

// The state after `action` in `state`, or FailedPrecondition naming the
// current state and the states in which the action is allowed.
absl::StatusOr<BatchState> Transition(BatchState state, BatchAction action);

// The state a quarantined batch returns to when QA lifts the quarantine:
// `before` is the state it was quarantined from.
absl::StatusOr<BatchState> LiftQuarantine(BatchState state, BatchState before);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_BATCH_STATE_H_
