#include "domain/batch_state.h"

#include <iterator>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

constexpr BatchState kAllStates[] = {
    BatchState::kRegistered,    BatchState::kTissueReceived, BatchState::kInCulture,
    BatchState::kFormulated,    BatchState::kCryopreserved,  BatchState::kReleased,
    BatchState::kQuarantined,   BatchState::kRejected,       BatchState::kDisposed};
constexpr BatchAction kAllActions[] = {
    BatchAction::kReceiveTissue,     BatchAction::kSeedCulture,
    BatchAction::kRecordObservation, BatchAction::kRecordMediumChange,
    BatchAction::kRecordPassage,     BatchAction::kCorrectRecord,
    BatchAction::kQuarantine,        BatchAction::kReject,
    BatchAction::kRecordQc,          BatchAction::kHandleDeviation,
    BatchAction::kFreeze,            BatchAction::kFormulate,
    BatchAction::kHandleUnit,
    BatchAction::kDisposeUnit,       BatchAction::kDisposeBatch,
    BatchAction::kRelease,           BatchAction::kInfuse};

struct Allowed {
  BatchAction action;
  BatchState from;
  BatchState to;
};

using A = BatchAction;
using S = BatchState;

// The lifecycle as the domain describes it, written out independently of
// kRules in domain/batch_state.cc, which it must match pair for pair.
constexpr Allowed kAllowed[] = {
    {A::kReceiveTissue, S::kRegistered, S::kTissueReceived},
    {A::kSeedCulture, S::kTissueReceived, S::kInCulture},
    {A::kRecordObservation, S::kInCulture, S::kInCulture},
    {A::kRecordMediumChange, S::kInCulture, S::kInCulture},
    {A::kRecordPassage, S::kInCulture, S::kInCulture},
    // Corrections and QC: once there is tissue, until the batch is beyond use;
    // a quarantined batch is investigated.
    {A::kCorrectRecord, S::kTissueReceived, S::kTissueReceived},
    {A::kCorrectRecord, S::kInCulture, S::kInCulture},
    {A::kCorrectRecord, S::kFormulated, S::kFormulated},
    {A::kCorrectRecord, S::kCryopreserved, S::kCryopreserved},
    {A::kCorrectRecord, S::kReleased, S::kReleased},
    {A::kCorrectRecord, S::kQuarantined, S::kQuarantined},
    {A::kRecordQc, S::kTissueReceived, S::kTissueReceived},
    {A::kRecordQc, S::kInCulture, S::kInCulture},
    {A::kRecordQc, S::kFormulated, S::kFormulated},
    {A::kRecordQc, S::kCryopreserved, S::kCryopreserved},
    {A::kRecordQc, S::kReleased, S::kReleased},
    {A::kRecordQc, S::kQuarantined, S::kQuarantined},
    // A positive result quarantines any batch still in use; a second one keeps it there.
    {A::kQuarantine, S::kRegistered, S::kQuarantined},
    {A::kQuarantine, S::kTissueReceived, S::kQuarantined},
    {A::kQuarantine, S::kInCulture, S::kQuarantined},
    {A::kQuarantine, S::kFormulated, S::kQuarantined},
    {A::kQuarantine, S::kCryopreserved, S::kQuarantined},
    {A::kQuarantine, S::kReleased, S::kQuarantined},
    {A::kQuarantine, S::kQuarantined, S::kQuarantined},
    {A::kReject, S::kRegistered, S::kRejected},
    {A::kReject, S::kTissueReceived, S::kRejected},
    {A::kReject, S::kInCulture, S::kRejected},
    {A::kReject, S::kFormulated, S::kRejected},
    {A::kReject, S::kCryopreserved, S::kRejected},
    {A::kReject, S::kReleased, S::kRejected},
    {A::kReject, S::kQuarantined, S::kRejected},
    // Deviation paperwork is never refused.
    {A::kHandleDeviation, S::kRegistered, S::kRegistered},
    {A::kHandleDeviation, S::kTissueReceived, S::kTissueReceived},
    {A::kHandleDeviation, S::kInCulture, S::kInCulture},
    {A::kHandleDeviation, S::kFormulated, S::kFormulated},
    {A::kHandleDeviation, S::kCryopreserved, S::kCryopreserved},
    {A::kHandleDeviation, S::kReleased, S::kReleased},
    {A::kHandleDeviation, S::kQuarantined, S::kQuarantined},
    {A::kHandleDeviation, S::kRejected, S::kRejected},
    {A::kHandleDeviation, S::kDisposed, S::kDisposed},
    // The final harvest ends in fresh units, frozen units or both, in either
    // order; a batch with units in storage is CRYOPRESERVED.
    {A::kFreeze, S::kInCulture, S::kCryopreserved},
    {A::kFreeze, S::kFormulated, S::kCryopreserved},
    {A::kFreeze, S::kCryopreserved, S::kCryopreserved},
    {A::kFormulate, S::kInCulture, S::kFormulated},
    {A::kFormulate, S::kFormulated, S::kFormulated},
    {A::kFormulate, S::kCryopreserved, S::kCryopreserved},
    {A::kHandleUnit, S::kCryopreserved, S::kCryopreserved},
    {A::kHandleUnit, S::kReleased, S::kReleased},
    {A::kDisposeUnit, S::kFormulated, S::kFormulated},
    {A::kDisposeUnit, S::kCryopreserved, S::kCryopreserved},
    {A::kDisposeUnit, S::kReleased, S::kReleased},
    {A::kDisposeUnit, S::kQuarantined, S::kQuarantined},
    {A::kDisposeUnit, S::kRejected, S::kRejected},
    // QA's release of the final product, fresh or frozen (see
    // ReleaseOnlyOfTheFinalProduct), signed again on a released batch after
    // a correction revoked the release; infusion only once released.
    {A::kRelease, S::kFormulated, S::kReleased},
    {A::kRelease, S::kCryopreserved, S::kReleased},
    {A::kRelease, S::kReleased, S::kReleased},
    {A::kInfuse, S::kReleased, S::kReleased},
    {A::kDisposeBatch, S::kRegistered, S::kDisposed},
    {A::kDisposeBatch, S::kTissueReceived, S::kDisposed},
    {A::kDisposeBatch, S::kInCulture, S::kDisposed},
    {A::kDisposeBatch, S::kFormulated, S::kDisposed},
    {A::kDisposeBatch, S::kCryopreserved, S::kDisposed},
    {A::kDisposeBatch, S::kReleased, S::kDisposed},
    {A::kDisposeBatch, S::kQuarantined, S::kDisposed},
    {A::kDisposeBatch, S::kRejected, S::kDisposed},
};

TEST(BatchStateTest, EveryAllowedTransitionLeadsToItsState) {
  for (const Allowed& a : kAllowed) {
    absl::StatusOr<BatchState> next = Transition(a.from, a.action);
    ASSERT_TRUE(next.ok()) << BatchActionDescription(a.action) << " in "
                           << BatchStateName(a.from) << ": " << next.status();
    EXPECT_EQ(*next, a.to) << BatchActionDescription(a.action) << " in "
                           << BatchStateName(a.from);
  }
}

TEST(BatchStateTest, EveryOtherPairIsRefusedAsFailedPrecondition) {
  std::set<std::pair<BatchAction, BatchState>> allowed;
  for (const Allowed& a : kAllowed) allowed.insert({a.action, a.from});
  int refused = 0;
  for (BatchAction action : kAllActions) {
    for (BatchState state : kAllStates) {
      if (allowed.contains({action, state})) continue;
      EXPECT_EQ(Transition(state, action).status().code(),
                absl::StatusCode::kFailedPrecondition)
          << BatchActionDescription(action) << " in " << BatchStateName(state);
      ++refused;
    }
  }
  EXPECT_EQ(std::size(kAllowed), 65u);
  EXPECT_EQ(refused, 17 * 9 - 65);
}

TEST(BatchStateTest, TheTablesCoverEveryStateAndAction) {
  // A state or action added to the domain but not to these lists would go
  // unchecked: each one appears in a refusal message or a rule.
  EXPECT_EQ(std::size(kAllStates), 9u);
  EXPECT_EQ(std::size(kAllActions), 17u);
  std::set<BatchState> states(std::begin(kAllStates), std::end(kAllStates));
  std::set<BatchAction> actions(std::begin(kAllActions), std::end(kAllActions));
  EXPECT_EQ(states.size(), std::size(kAllStates));
  EXPECT_EQ(actions.size(), std::size(kAllActions));
  for (int v = -1; v <= 30; ++v) {
    EXPECT_EQ(IsKnownBatchState(v), states.contains(static_cast<BatchState>(v))) << v;
  }
  for (BatchAction action : kAllActions) {
    EXPECT_NE(BatchActionDescription(action), "act") << static_cast<int>(action);
  }
}

TEST(BatchStateTest, ReleasedBatchIsIssuedAndInfusedButNoLongerMadeOrGrown) {
  std::set<BatchAction> allowed;
  for (BatchAction action : kAllActions) {
    if (Transition(BatchState::kReleased, action).ok()) allowed.insert(action);
  }
  EXPECT_EQ(allowed, (std::set<BatchAction>{
                         BatchAction::kHandleUnit, BatchAction::kInfuse,
                         BatchAction::kCorrectRecord, BatchAction::kRecordQc,
                         BatchAction::kDisposeUnit, BatchAction::kHandleDeviation,
                         BatchAction::kQuarantine, BatchAction::kReject,
                         BatchAction::kDisposeBatch, BatchAction::kRelease}));
  for (BatchAction stays : {BatchAction::kHandleUnit, BatchAction::kInfuse,
                            BatchAction::kCorrectRecord, BatchAction::kRecordQc,
                            BatchAction::kDisposeUnit, BatchAction::kHandleDeviation,
                            BatchAction::kRelease}) {
    EXPECT_EQ(*Transition(BatchState::kReleased, stays), BatchState::kReleased)
        << BatchActionDescription(stays);
  }
  EXPECT_EQ(*Transition(BatchState::kReleased, BatchAction::kQuarantine),
            BatchState::kQuarantined);
  EXPECT_EQ(*Transition(BatchState::kReleased, BatchAction::kReject), BatchState::kRejected);
  EXPECT_EQ(*Transition(BatchState::kReleased, BatchAction::kDisposeBatch),
            BatchState::kDisposed);
  for (BatchAction refused : {BatchAction::kFreeze, BatchAction::kFormulate,
                              BatchAction::kRecordPassage, BatchAction::kRecordObservation,
                              BatchAction::kSeedCulture, BatchAction::kReceiveTissue}) {
    absl::Status status = Transition(BatchState::kReleased, refused).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
        << BatchActionDescription(refused);
    EXPECT_THAT(status.message(), HasSubstr("the batch is RELEASED"));
  }
}

TEST(BatchStateTest, ReleaseOnlyOfTheFinalProduct) {
  // QA releases a batch once the culture has ended in units: formulated as
  // fresh product, frozen, or both (or re-signs a released one). A batch
  // still in culture has no product to release.
  EXPECT_EQ(*Transition(BatchState::kFormulated, BatchAction::kRelease), BatchState::kReleased);
  EXPECT_EQ(*Transition(BatchState::kCryopreserved, BatchAction::kRelease),
            BatchState::kReleased);
  for (BatchState state : {BatchState::kRegistered, BatchState::kTissueReceived,
                           BatchState::kInCulture, BatchState::kQuarantined,
                           BatchState::kRejected, BatchState::kDisposed}) {
    absl::Status status = Transition(state, BatchAction::kRelease).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(state);
    EXPECT_THAT(status.message(), HasSubstr("cannot release the batch"));
    EXPECT_THAT(status.message(),
                HasSubstr("allowed only when it is FORMULATED or CRYOPRESERVED or RELEASED"));
  }
}

TEST(BatchStateTest, FormulatedBatchIsFreshProductNoLongerGrowing) {
  EXPECT_EQ(*Transition(BatchState::kInCulture, BatchAction::kFormulate),
            BatchState::kFormulated);
  std::set<BatchAction> allowed;
  for (BatchAction action : kAllActions) {
    if (Transition(BatchState::kFormulated, action).ok()) allowed.insert(action);
  }
  EXPECT_EQ(allowed, (std::set<BatchAction>{
                         BatchAction::kFormulate, BatchAction::kFreeze, BatchAction::kRelease,
                         BatchAction::kCorrectRecord, BatchAction::kRecordQc,
                         BatchAction::kDisposeUnit, BatchAction::kHandleDeviation,
                         BatchAction::kQuarantine, BatchAction::kReject,
                         BatchAction::kDisposeBatch}));
  // Freezing the rest of the harvest puts units in storage.
  EXPECT_EQ(*Transition(BatchState::kFormulated, BatchAction::kFreeze),
            BatchState::kCryopreserved);
  // A fresh bag formulated after the freeze leaves the batch CRYOPRESERVED.
  EXPECT_EQ(*Transition(BatchState::kCryopreserved, BatchAction::kFormulate),
            BatchState::kCryopreserved);
  // No unit in storage to move or thaw; no infusion before the release.
  for (BatchAction refused : {BatchAction::kHandleUnit, BatchAction::kInfuse,
                              BatchAction::kRecordPassage}) {
    absl::Status status = Transition(BatchState::kFormulated, refused).status();
    EXPECT_THAT(status.message(), HasSubstr("the batch is FORMULATED"))
        << BatchActionDescription(refused);
  }
  EXPECT_EQ(*LiftQuarantine(BatchState::kQuarantined, BatchState::kFormulated),
            BatchState::kFormulated);
}

TEST(BatchStateTest, InfusionOnlyOnceReleased) {
  for (BatchState state : kAllStates) {
    absl::StatusOr<BatchState> next = Transition(state, BatchAction::kInfuse);
    if (state == BatchState::kReleased) {
      ASSERT_TRUE(next.ok()) << next.status();
      EXPECT_EQ(*next, BatchState::kReleased);
      continue;
    }
    EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition)
        << BatchStateName(state);
    EXPECT_THAT(next.status().message(), HasSubstr("cannot record an infusion"));
    EXPECT_THAT(next.status().message(), HasSubstr("allowed only when it is RELEASED"));
  }
}

TEST(BatchStateTest, RejectedBatchCanOnlyBeDisposedOf) {
  std::set<BatchAction> allowed;
  for (BatchAction action : kAllActions) {
    if (Transition(BatchState::kRejected, action).ok()) allowed.insert(action);
  }
  EXPECT_EQ(allowed, (std::set<BatchAction>{BatchAction::kDisposeBatch,
                                            BatchAction::kDisposeUnit,
                                            BatchAction::kHandleDeviation}));
  for (BatchAction refused : {BatchAction::kFreeze, BatchAction::kRecordQc,
                              BatchAction::kRecordPassage, BatchAction::kCorrectRecord,
                              BatchAction::kHandleUnit, BatchAction::kQuarantine}) {
    absl::Status status = Transition(BatchState::kRejected, refused).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
        << BatchActionDescription(refused);
    EXPECT_THAT(status.message(), HasSubstr("the batch is REJECTED"));
  }
  EXPECT_EQ(*Transition(BatchState::kRejected, BatchAction::kDisposeBatch),
            BatchState::kDisposed);
}

TEST(BatchStateTest, DisposedBatchTakesOnlyPaperwork) {
  for (BatchAction action : kAllActions) {
    absl::StatusOr<BatchState> next = Transition(BatchState::kDisposed, action);
    if (action == BatchAction::kHandleDeviation) {
      ASSERT_TRUE(next.ok());
      EXPECT_EQ(*next, BatchState::kDisposed);
    } else {
      EXPECT_FALSE(next.ok()) << BatchActionDescription(action);
    }
  }
}

TEST(BatchStateTest, QuarantinedBatchIsInvestigatedButNotUsed) {
  for (BatchAction ok : {BatchAction::kRecordQc, BatchAction::kHandleDeviation,
                         BatchAction::kCorrectRecord, BatchAction::kDisposeUnit}) {
    absl::StatusOr<BatchState> next = Transition(BatchState::kQuarantined, ok);
    ASSERT_TRUE(next.ok()) << BatchActionDescription(ok);
    EXPECT_EQ(*next, BatchState::kQuarantined);
  }
  EXPECT_EQ(*Transition(BatchState::kQuarantined, BatchAction::kDisposeBatch),
            BatchState::kDisposed);
  EXPECT_EQ(*Transition(BatchState::kQuarantined, BatchAction::kReject), BatchState::kRejected);
  for (BatchAction refused : {BatchAction::kFreeze, BatchAction::kHandleUnit,
                              BatchAction::kRecordPassage, BatchAction::kSeedCulture,
                              BatchAction::kRelease, BatchAction::kInfuse}) {
    absl::Status status = Transition(BatchState::kQuarantined, refused).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
        << BatchActionDescription(refused);
    EXPECT_THAT(status.message(), HasSubstr("the batch is QUARANTINED"));
  }
}

TEST(BatchStateTest, CryopreservedBatchNoLongerGrows) {
  for (BatchAction refused : {BatchAction::kRecordPassage, BatchAction::kRecordObservation,
                              BatchAction::kRecordMediumChange, BatchAction::kSeedCulture}) {
    EXPECT_FALSE(Transition(BatchState::kCryopreserved, refused).ok())
        << BatchActionDescription(refused);
  }
  EXPECT_EQ(*Transition(BatchState::kInCulture, BatchAction::kFreeze),
            BatchState::kCryopreserved);
  EXPECT_EQ(*Transition(BatchState::kCryopreserved, BatchAction::kFreeze),
            BatchState::kCryopreserved);
  EXPECT_FALSE(Transition(BatchState::kInCulture, BatchAction::kHandleUnit).ok());
  EXPECT_FALSE(Transition(BatchState::kTissueReceived, BatchAction::kFreeze).ok());
}

TEST(BatchStateTest, FreezeRefusalNamesWhereFreezingIsAllowed) {
  absl::Status status = Transition(BatchState::kQuarantined, BatchAction::kFreeze).status();
  EXPECT_THAT(status.message(), HasSubstr("cannot freeze units"));
  EXPECT_THAT(status.message(),
              HasSubstr("allowed only when it is IN_CULTURE or FORMULATED or CRYOPRESERVED"));
  status = Transition(BatchState::kQuarantined, BatchAction::kHandleUnit).status();
  EXPECT_THAT(status.message(), HasSubstr("cannot move or thaw a unit"));
  EXPECT_THAT(status.message(), HasSubstr("allowed only when it is CRYOPRESERVED or RELEASED"));
}

TEST(BatchStateTest, LiftQuarantineReturnsToTheStateBefore) {
  for (BatchState before : {BatchState::kRegistered, BatchState::kTissueReceived,
                            BatchState::kInCulture, BatchState::kFormulated,
                            BatchState::kCryopreserved, BatchState::kReleased}) {
    absl::StatusOr<BatchState> next = LiftQuarantine(BatchState::kQuarantined, before);
    ASSERT_TRUE(next.ok()) << BatchStateName(before) << ": " << next.status();
    EXPECT_EQ(*next, before);
  }
}

TEST(BatchStateTest, LiftQuarantineOnlyFromQuarantineToAnActiveState) {
  absl::Status status =
      LiftQuarantine(BatchState::kRejected, BatchState::kCryopreserved).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("REJECTED, not QUARANTINED"));
  for (BatchState before :
       {BatchState::kQuarantined, BatchState::kRejected, BatchState::kDisposed}) {
    status = LiftQuarantine(BatchState::kQuarantined, before).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << BatchStateName(before);
    EXPECT_THAT(status.message(), HasSubstr(BatchStateName(before)));
  }
}

TEST(BatchStateTest, RegisteredBatchHasNoRecordToCorrect) {
  EXPECT_FALSE(Transition(BatchState::kRegistered, BatchAction::kCorrectRecord).ok());
  EXPECT_FALSE(Transition(BatchState::kRegistered, BatchAction::kSeedCulture).ok());
}

TEST(BatchStateTest, RefusalNamesCurrentStateAndAllowedStates) {
  absl::Status status =
      Transition(BatchState::kRegistered, BatchAction::kRecordPassage).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("record a passage"));
  EXPECT_THAT(status.message(), HasSubstr("the batch is REGISTERED"));
  EXPECT_THAT(status.message(), HasSubstr("allowed only when it is IN_CULTURE"));
}

TEST(BatchStateTest, RefusalListsEveryAllowedState) {
  absl::Status status = Transition(BatchState::kRejected, BatchAction::kQuarantine).status();
  EXPECT_THAT(status.message(), HasSubstr("the batch is REJECTED"));
  EXPECT_THAT(status.message(),
              HasSubstr("REGISTERED or TISSUE_RECEIVED or IN_CULTURE or FORMULATED or "
                        "CRYOPRESERVED or RELEASED or QUARANTINED"));
}

TEST(BatchStateTest, StateNamesAreTheApiNames) {
  EXPECT_EQ(BatchStateName(BatchState::kRegistered), "REGISTERED");
  EXPECT_EQ(BatchStateName(BatchState::kTissueReceived), "TISSUE_RECEIVED");
  EXPECT_EQ(BatchStateName(BatchState::kInCulture), "IN_CULTURE");
  EXPECT_EQ(BatchStateName(BatchState::kQuarantined), "QUARANTINED");
  EXPECT_EQ(BatchStateName(BatchState::kRejected), "REJECTED");
  EXPECT_EQ(BatchStateName(BatchState::kCryopreserved), "CRYOPRESERVED");
  EXPECT_EQ(BatchStateName(BatchState::kReleased), "RELEASED");
  EXPECT_EQ(BatchStateName(BatchState::kFormulated), "FORMULATED");
  EXPECT_EQ(BatchStateName(BatchState::kDisposed), "DISPOSED");
}

TEST(BatchStateTest, NewActionsDescribeThemselves) {
  EXPECT_EQ(BatchActionDescription(BatchAction::kRecordQc), "record QC");
  EXPECT_EQ(BatchActionDescription(BatchAction::kHandleDeviation), "handle a deviation");
  EXPECT_EQ(BatchActionDescription(BatchAction::kFreeze), "freeze units");
  EXPECT_EQ(BatchActionDescription(BatchAction::kFormulate), "formulate fresh units");
  EXPECT_EQ(BatchActionDescription(BatchAction::kHandleUnit), "move or thaw a unit");
  EXPECT_EQ(BatchActionDescription(BatchAction::kDisposeUnit), "dispose of a unit");
  EXPECT_EQ(BatchActionDescription(BatchAction::kDisposeBatch), "dispose of the batch");
  EXPECT_EQ(BatchActionDescription(BatchAction::kRelease), "release the batch");
  EXPECT_EQ(BatchActionDescription(BatchAction::kInfuse), "record an infusion");
}

TEST(BatchStateTest, KnownStatesAreTheStoredValues) {
  for (int v : {1, 2, 3, 4, 5, 6, 20, 21, 22}) EXPECT_TRUE(IsKnownBatchState(v)) << v;
  for (int v : {0, 7, 19, 23, -1}) EXPECT_FALSE(IsKnownBatchState(v)) << v;
}

}  // namespace
}  // namespace cpctrack::domain
