#include "domain/batch_state.h"

#include <set>
#include <utility>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

constexpr BatchState kAllStates[] = {BatchState::kRegistered, BatchState::kTissueReceived,
                                     BatchState::kInCulture, BatchState::kQuarantined,
                                     BatchState::kRejected};
constexpr BatchAction kAllActions[] = {
    BatchAction::kReceiveTissue,     BatchAction::kSeedCulture,
    BatchAction::kRecordObservation, BatchAction::kRecordMediumChange,
    BatchAction::kRecordPassage,     BatchAction::kCorrectRecord,
    BatchAction::kQuarantine,        BatchAction::kReject};

struct Allowed {
  BatchAction action;
  BatchState from;
  BatchState to;
};

// The lifecycle as the domain describes it, written out independently.
constexpr Allowed kAllowed[] = {
    {BatchAction::kReceiveTissue, BatchState::kRegistered, BatchState::kTissueReceived},
    {BatchAction::kSeedCulture, BatchState::kTissueReceived, BatchState::kInCulture},
    {BatchAction::kRecordObservation, BatchState::kInCulture, BatchState::kInCulture},
    {BatchAction::kRecordMediumChange, BatchState::kInCulture, BatchState::kInCulture},
    {BatchAction::kRecordPassage, BatchState::kInCulture, BatchState::kInCulture},
    {BatchAction::kCorrectRecord, BatchState::kTissueReceived, BatchState::kTissueReceived},
    {BatchAction::kCorrectRecord, BatchState::kInCulture, BatchState::kInCulture},
    {BatchAction::kCorrectRecord, BatchState::kQuarantined, BatchState::kQuarantined},
    {BatchAction::kCorrectRecord, BatchState::kRejected, BatchState::kRejected},
    {BatchAction::kQuarantine, BatchState::kRegistered, BatchState::kQuarantined},
    {BatchAction::kQuarantine, BatchState::kTissueReceived, BatchState::kQuarantined},
    {BatchAction::kQuarantine, BatchState::kInCulture, BatchState::kQuarantined},
    {BatchAction::kReject, BatchState::kRegistered, BatchState::kRejected},
    {BatchAction::kReject, BatchState::kTissueReceived, BatchState::kRejected},
    {BatchAction::kReject, BatchState::kInCulture, BatchState::kRejected},
    {BatchAction::kReject, BatchState::kQuarantined, BatchState::kRejected},
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
  EXPECT_EQ(refused, 8 * 5 - 16);
}

TEST(BatchStateTest, NothingButCorrectionsAfterRejection) {
  for (BatchAction action : kAllActions) {
    if (action == BatchAction::kCorrectRecord) continue;
    EXPECT_FALSE(Transition(BatchState::kRejected, action).ok())
        << BatchActionDescription(action);
  }
}

TEST(BatchStateTest, QuarantinedBatchCannotGrowOrBeQuarantinedAgain) {
  EXPECT_FALSE(Transition(BatchState::kQuarantined, BatchAction::kRecordPassage).ok());
  EXPECT_FALSE(Transition(BatchState::kQuarantined, BatchAction::kRecordMediumChange).ok());
  EXPECT_FALSE(Transition(BatchState::kQuarantined, BatchAction::kQuarantine).ok());
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
              HasSubstr("REGISTERED or TISSUE_RECEIVED or IN_CULTURE"));
}

TEST(BatchStateTest, StateNamesAreTheApiNames) {
  EXPECT_EQ(BatchStateName(BatchState::kRegistered), "REGISTERED");
  EXPECT_EQ(BatchStateName(BatchState::kTissueReceived), "TISSUE_RECEIVED");
  EXPECT_EQ(BatchStateName(BatchState::kInCulture), "IN_CULTURE");
  EXPECT_EQ(BatchStateName(BatchState::kQuarantined), "QUARANTINED");
  EXPECT_EQ(BatchStateName(BatchState::kRejected), "REJECTED");
}

TEST(BatchStateTest, KnownStatesAreTheStoredValues) {
  for (int v : {1, 2, 3, 20, 21}) EXPECT_TRUE(IsKnownBatchState(v)) << v;
  for (int v : {0, 4, 19, 22, -1}) EXPECT_FALSE(IsKnownBatchState(v)) << v;
}

}  // namespace
}  // namespace cpctrack::domain
