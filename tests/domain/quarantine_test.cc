#include "domain/quarantine.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Unit MakeUnit(int sequence, UnitState state, UnitState before = UnitState::kUnspecified) {
  Unit u;
  u.unit_id = "U-" + std::to_string(sequence);
  u.sequence = sequence;
  u.state = state;
  u.state_before_quarantine = before;
  return u;
}

Batch MakeBatch(BatchState state) {
  return Batch{.batch_id = *Din::Create("A9999", 26, 1), .state = state};
}

std::vector<Unit> EveryUnitState() {
  return {MakeUnit(1, UnitState::kStored), MakeUnit(2, UnitState::kThawed),
          MakeUnit(3, UnitState::kInfused), MakeUnit(4, UnitState::kDisposed),
          MakeUnit(5, UnitState::kQuarantined, UnitState::kStored)};
}

TEST(QuarantineTest, CheckAllowedNamesTheBatch) {
  absl::StatusOr<BatchState> next =
      CheckAllowed(MakeBatch(BatchState::kInCulture), BatchAction::kFreeze);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, BatchState::kCryopreserved);

  absl::Status status =
      CheckAllowed(MakeBatch(BatchState::kQuarantined), BatchAction::kFreeze).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("batch A9999260000018: cannot freeze units"));
  EXPECT_THAT(status.message(), HasSubstr("the batch is QUARANTINED"));
}

TEST(QuarantineTest, QuarantineHoldsStoredAndThawedUnitsOnly) {
  for (BatchState s : {BatchState::kRegistered, BatchState::kTissueReceived,
                       BatchState::kInCulture, BatchState::kCryopreserved,
                       BatchState::kQuarantined}) {
    absl::StatusOr<BatchEffects> effects = Quarantine(MakeBatch(s), EveryUnitState());
    ASSERT_TRUE(effects.ok()) << BatchStateName(s) << ": " << effects.status();
    ASSERT_TRUE(effects->new_state.has_value());
    EXPECT_EQ(*effects->new_state, BatchState::kQuarantined);
    EXPECT_THAT(effects->deviations_to_open, IsEmpty());
    ASSERT_THAT(effects->unit_changes, SizeIs(2)) << BatchStateName(s);
    EXPECT_EQ(effects->unit_changes[0].unit_id, "U-1");
    EXPECT_EQ(effects->unit_changes[0].event, UnitEventKind::kQuarantined);
    EXPECT_EQ(effects->unit_changes[0].from, UnitState::kStored);
    EXPECT_EQ(effects->unit_changes[0].to, UnitState::kQuarantined);
    EXPECT_EQ(effects->unit_changes[1].unit_id, "U-2");
    EXPECT_EQ(effects->unit_changes[1].from, UnitState::kThawed);
    EXPECT_EQ(effects->unit_changes[1].to, UnitState::kQuarantined);
  }
}

TEST(QuarantineTest, RejectedOrDisposedBatchIsNotQuarantined) {
  for (BatchState s : {BatchState::kRejected, BatchState::kDisposed}) {
    absl::Status status = Quarantine(MakeBatch(s), EveryUnitState()).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr(BatchStateName(s)));
  }
}

TEST(QuarantineTest, RejectHoldsUsableUnits) {
  for (BatchState s : {BatchState::kInCulture, BatchState::kCryopreserved,
                       BatchState::kQuarantined}) {
    absl::StatusOr<BatchEffects> effects = Reject(MakeBatch(s), EveryUnitState());
    ASSERT_TRUE(effects.ok()) << BatchStateName(s) << ": " << effects.status();
    ASSERT_TRUE(effects->new_state.has_value());
    EXPECT_EQ(*effects->new_state, BatchState::kRejected);
    ASSERT_THAT(effects->unit_changes, SizeIs(2));
    EXPECT_EQ(effects->unit_changes[0].unit_id, "U-1");
    EXPECT_EQ(effects->unit_changes[1].unit_id, "U-2");
    EXPECT_EQ(effects->unit_changes[1].to, UnitState::kQuarantined);
  }
  EXPECT_EQ(Reject(MakeBatch(BatchState::kRejected), {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reject(MakeBatch(BatchState::kDisposed), {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(QuarantineTest, LiftReturnsBatchAndUnitsToWhereTheyWere) {
  const std::vector<Unit> units = {
      MakeUnit(1, UnitState::kQuarantined, UnitState::kStored),
      MakeUnit(2, UnitState::kQuarantined, UnitState::kThawed),
      MakeUnit(3, UnitState::kDisposed),
      MakeUnit(4, UnitState::kInfused),
      // Held with no record of where from: stays held rather than guessing.
      MakeUnit(5, UnitState::kQuarantined, UnitState::kUnspecified),
  };
  absl::StatusOr<BatchEffects> effects =
      Lift(MakeBatch(BatchState::kQuarantined), BatchState::kCryopreserved, units);
  ASSERT_TRUE(effects.ok()) << effects.status();
  ASSERT_TRUE(effects->new_state.has_value());
  EXPECT_EQ(*effects->new_state, BatchState::kCryopreserved);
  ASSERT_THAT(effects->unit_changes, SizeIs(2));
  EXPECT_EQ(effects->unit_changes[0].unit_id, "U-1");
  EXPECT_EQ(effects->unit_changes[0].event, UnitEventKind::kQuarantineLifted);
  EXPECT_EQ(effects->unit_changes[0].from, UnitState::kQuarantined);
  EXPECT_EQ(effects->unit_changes[0].to, UnitState::kStored);
  EXPECT_EQ(effects->unit_changes[1].unit_id, "U-2");
  EXPECT_EQ(effects->unit_changes[1].to, UnitState::kThawed);
}

TEST(QuarantineTest, LiftOnlyFromQuarantineToAnActiveState) {
  absl::Status status =
      Lift(MakeBatch(BatchState::kCryopreserved), BatchState::kCryopreserved, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("not QUARANTINED"));
  for (BatchState before :
       {BatchState::kQuarantined, BatchState::kRejected, BatchState::kDisposed}) {
    EXPECT_FALSE(Lift(MakeBatch(BatchState::kQuarantined), before, {}).ok())
        << BatchStateName(before);
  }
  for (BatchState before : {BatchState::kRegistered, BatchState::kTissueReceived,
                            BatchState::kInCulture, BatchState::kCryopreserved}) {
    absl::StatusOr<BatchEffects> effects = Lift(MakeBatch(BatchState::kQuarantined), before, {});
    ASSERT_TRUE(effects.ok()) << BatchStateName(before);
    EXPECT_EQ(*effects->new_state, before);
  }
}

TEST(QuarantineTest, MergeAppendsAndTheLaterStateWins) {
  BatchEffects effects;
  effects.new_state = BatchState::kQuarantined;
  effects.deviations_to_open.push_back(Deviation{.deviation_id = 1});
  effects.unit_changes.push_back({"U-1"});

  BatchEffects none;
  Merge(none, effects);
  ASSERT_TRUE(effects.new_state.has_value());
  EXPECT_EQ(*effects.new_state, BatchState::kQuarantined);  // kept when `more` has none

  BatchEffects more;
  more.new_state = BatchState::kRejected;
  more.deviations_to_open.push_back(Deviation{.deviation_id = 2});
  more.unit_changes.push_back({"U-2"});
  Merge(more, effects);
  EXPECT_EQ(*effects.new_state, BatchState::kRejected);
  ASSERT_THAT(effects.deviations_to_open, SizeIs(2));
  EXPECT_EQ(effects.deviations_to_open[1].deviation_id, 2);
  ASSERT_THAT(effects.unit_changes, SizeIs(2));
  EXPECT_EQ(effects.unit_changes[0].unit_id, "U-1");
  EXPECT_EQ(effects.unit_changes[1].unit_id, "U-2");
}

}  // namespace
}  // namespace cpctrack::domain
