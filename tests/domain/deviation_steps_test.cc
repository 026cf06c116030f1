#include "domain/deviation_steps.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 25, 12, 0, 0), kUtc);

Unit MakeUnit(int sequence, UnitState state, UnitState before = UnitState::kUnspecified) {
  Unit u;
  u.unit_id = "U-" + std::to_string(sequence);
  u.sequence = sequence;
  u.state = state;
  u.state_before_quarantine = before;
  return u;
}

// A deviation as stored, of any kind: those a step opens included.
Deviation Open(int64_t id, DeviationKind kind) {
  Deviation d;
  d.deviation_id = id;
  d.kind = kind;
  d.description = "something";
  d.state = DeviationState::kOpen;
  d.opened_at = kNow - absl::Hours(48);
  d.opened_by = "tanaka";
  // A positive test's deviation is raised by that test's result.
  if (kind == DeviationKind::kPositiveTest) d.qc_test_id = 100 + id;
  return d;
}

QcTest MakeTest(int64_t id, QcTestType type, std::optional<QcValue> value) {
  QcTest t;
  t.test_id = id;
  t.sample_id = 1;
  t.type = type;
  t.started_at = kNow - absl::Hours(72);
  if (value.has_value()) {
    QcResult r;
    r.result_id = id;
    r.read_at = kNow - absl::Hours(2);
    r.value = *value;
    t.results.push_back(r);
  }
  return t;
}

const QcValue kPositive = DetectionResult{Detection::kPositive, "S. epidermidis"};
const QcValue kNegative = DetectionResult{Detection::kNegative, ""};

Deviation Closed(int64_t id, DeviationKind kind, Disposition disposition) {
  Deviation d = Open(id, kind);
  d.state = DeviationState::kClosed;
  d.closure = DeviationClosure{disposition, "QA decided", kNow - absl::Hours(1), "qa"};
  return d;
}

class DeviationStepsTest : public ::testing::Test {
 protected:
  // Unless `tests_` is set, each positive test of `all` is on record with a
  // negative retest ordered after it (a false positive, investigated).
  absl::StatusOr<CloseDecision> Close(const Deviation& d, const std::vector<Deviation>& all,
                                      Disposition disposition,
                                      BatchState before = BatchState::kCryopreserved,
                                      std::string reason = "investigated",
                                      std::string physician = "") {
    std::vector<QcTest> tests = tests_;
    if (!tests_set_) {
      for (const Deviation& other : all) {
        if (other.qc_test_id == 0) continue;
        tests.push_back(MakeTest(other.qc_test_id, QcTestType::kSterility, kPositive));
        tests.push_back(MakeTest(other.qc_test_id + 1000, QcTestType::kSterility, kNegative));
      }
    }
    if (physician.empty() && disposition == Disposition::kUseUnderPhysicianResponsibility &&
        !without_physician_) {
      physician = "dr.ito";
    }
    return DecideCloseDeviation(batch_, before, d, all, units_, tests,
                                CloseRequest{disposition, std::move(reason), physician}, ctx_);
  }
  void SetTests(std::vector<QcTest> tests) {
    tests_ = std::move(tests);
    tests_set_ = true;
  }

  Batch batch_{.batch_id = *Din::Create("A9999", 26, 1),
               .patient_id = "PT-0001",
               .product_code = "ADSC-STD",
               .product_version = 1,
               .state = BatchState::kInCulture};
  std::vector<Unit> units_;
  std::vector<QcTest> tests_;
  bool tests_set_ = false;
  bool without_physician_ = false;
  StepContext ctx_{.now = kNow, .facility_zone = kUtc, .actor = "qa-yamada"};
};

// --- Opening and notes -------------------------------------------------------------

TEST_F(DeviationStepsTest, OpenFillsWhoWhenAndState) {
  absl::StatusOr<Deviation> d =
      DecideOpenDeviation(batch_, DeviationKind::kExcursion, "tank alarm 2 h", ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kind, DeviationKind::kExcursion);
  EXPECT_EQ(d->description, "tank alarm 2 h");
  EXPECT_EQ(d->state, DeviationState::kOpen);
  EXPECT_EQ(d->opened_at, kNow);
  EXPECT_EQ(d->opened_by, "qa-yamada");
  EXPECT_FALSE(d->closure.has_value());
}

TEST_F(DeviationStepsTest, OpenNeedsAKindAndADescription) {
  absl::Status status =
      DecideOpenDeviation(batch_, DeviationKind::kUnspecified, "x", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("kind"));

  status = DecideOpenDeviation(batch_, static_cast<DeviationKind>(99), "x", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("kind"));

  status = DecideOpenDeviation(batch_, DeviationKind::kOther, "", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("description"));
}

TEST_F(DeviationStepsTest, OtherExcursionAndOutOfSpecificationAreOpenedByHand) {
  for (DeviationKind kind : {DeviationKind::kOther, DeviationKind::kExcursion,
                             DeviationKind::kOutOfSpecification}) {
    absl::StatusOr<Deviation> d = DecideOpenDeviation(batch_, kind, "found at the bench", ctx_);
    ASSERT_TRUE(d.ok()) << DeviationKindName(kind) << ": " << d.status();
    EXPECT_EQ(d->kind, kind);
    EXPECT_EQ(d->state, DeviationState::kOpen);
  }
}

TEST_F(DeviationStepsTest, KindsAStepRevealsAreNotOpenedByHand) {
  // A positive test opened by hand would claim a quarantine that is not on
  // record; the others claim a finding no step made.
  for (DeviationKind kind :
       {DeviationKind::kLateProcessing, DeviationKind::kExpiredMaterial,
        DeviationKind::kPassageLimit, DeviationKind::kPopulationDoublingLimit,
        DeviationKind::kPatientIneligible, DeviationKind::kPositiveTest}) {
    absl::StatusOr<Deviation> d =
        DecideOpenDeviation(batch_, kind, "claimed by hand", ctx_);
    ASSERT_FALSE(d.ok()) << DeviationKindName(kind);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << DeviationKindName(kind);
    EXPECT_THAT(d.status().message(), HasSubstr(DeviationKindName(kind)));
    EXPECT_THAT(d.status().message(), HasSubstr("opened by the step that reveals them"));
    EXPECT_THAT(d.status().message(), HasSubstr("OTHER, EXCURSION or OUT_OF_SPECIFICATION"));
  }
}

TEST_F(DeviationStepsTest, AKindRefusedByHandIsRefusedInEveryBatchState) {
  // The refusal is about the kind, not the state: even where paperwork is
  // always accepted (a quarantined, rejected or disposed batch), and the
  // description is not what is wrong.
  for (BatchState s : {BatchState::kRegistered, BatchState::kInCulture,
                       BatchState::kCryopreserved, BatchState::kReleased,
                       BatchState::kQuarantined, BatchState::kRejected,
                       BatchState::kDisposed}) {
    batch_.state = s;
    absl::Status status =
        DecideOpenDeviation(batch_, DeviationKind::kPositiveTest, "", ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("positive test")) << BatchStateName(s);
    EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("description")));
  }
}

TEST_F(DeviationStepsTest, PaperworkIsNeverRefusedByTheBatchState) {
  for (BatchState s : {BatchState::kRegistered, BatchState::kInCulture,
                       BatchState::kCryopreserved, BatchState::kReleased,
                       BatchState::kQuarantined, BatchState::kRejected,
                       BatchState::kDisposed}) {
    batch_.state = s;
    EXPECT_TRUE(DecideOpenDeviation(batch_, DeviationKind::kOther, "x", ctx_).ok())
        << BatchStateName(s);
    EXPECT_TRUE(DecideAddNote(batch_, Open(1, DeviationKind::kOther), "note", ctx_).ok())
        << BatchStateName(s);
  }
}

TEST_F(DeviationStepsTest, NoteFillsWhoWhenAndText) {
  absl::StatusOr<DeviationNote> note =
      DecideAddNote(batch_, Open(3, DeviationKind::kOutOfSpecification), "retested: OK", ctx_);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->text, "retested: OK");
  EXPECT_EQ(note->added_by, "qa-yamada");
  EXPECT_EQ(note->added_at, kNow);
}

TEST_F(DeviationStepsTest, NoteNeedsTextAndAnOpenDeviation) {
  absl::Status status =
      DecideAddNote(batch_, Open(3, DeviationKind::kOther), "", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("text"));

  status = DecideAddNote(batch_, Closed(3, DeviationKind::kOther, Disposition::kContinue),
                         "late note", ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("deviation 3 was closed (CONTINUE)"));
}

// --- Closing -----------------------------------------------------------------------

TEST_F(DeviationStepsTest, CloseRecordsTheDisposition) {
  const Deviation d = Open(4, DeviationKind::kLateProcessing);
  absl::StatusOr<CloseDecision> decision =
      Close(d, {d}, Disposition::kContinue, BatchState::kInCulture, "cells fine");
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->closure.disposition, Disposition::kContinue);
  EXPECT_EQ(decision->closure.reason, "cells fine");
  EXPECT_EQ(decision->closure.closed_by, "qa-yamada");
  EXPECT_EQ(decision->closure.closed_at, kNow);
  EXPECT_FALSE(decision->effects.new_state.has_value());
  EXPECT_THAT(decision->effects.unit_changes, IsEmpty());
}

TEST_F(DeviationStepsTest, CloseNeedsADispositionAReasonAndAnOpenDeviation) {
  const Deviation d = Open(4, DeviationKind::kOther);
  absl::Status status = Close(d, {d}, Disposition::kUnspecified).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("disposition"));

  status = Close(d, {d}, Disposition::kContinue, BatchState::kInCulture, "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("reason"));

  const Deviation closed = Closed(4, DeviationKind::kOther, Disposition::kReject);
  status = Close(closed, {closed}, Disposition::kContinue).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("was closed (REJECT)"));
}

TEST_F(DeviationStepsTest, RejectRejectsTheBatchAndHoldsUsableUnits) {
  batch_.state = BatchState::kCryopreserved;
  units_ = {MakeUnit(1, UnitState::kStored), MakeUnit(2, UnitState::kThawed),
            MakeUnit(3, UnitState::kInfused), MakeUnit(4, UnitState::kDisposed)};
  const Deviation d = Open(5, DeviationKind::kOutOfSpecification);
  absl::StatusOr<CloseDecision> decision = Close(d, {d}, Disposition::kReject);
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_TRUE(decision->effects.new_state.has_value());
  EXPECT_EQ(*decision->effects.new_state, BatchState::kRejected);
  ASSERT_THAT(decision->effects.unit_changes, SizeIs(2));
  EXPECT_EQ(decision->effects.unit_changes[0].unit_id, "U-1");
  EXPECT_EQ(decision->effects.unit_changes[0].from, UnitState::kStored);
  EXPECT_EQ(decision->effects.unit_changes[0].to, UnitState::kQuarantined);
  EXPECT_EQ(decision->effects.unit_changes[0].event, UnitEventKind::kQuarantined);
  EXPECT_EQ(decision->effects.unit_changes[1].unit_id, "U-2");
  EXPECT_EQ(decision->effects.unit_changes[1].from, UnitState::kThawed);
}

TEST_F(DeviationStepsTest, RejectOfAQuarantinedBatchLeavesHeldUnitsHeld) {
  batch_.state = BatchState::kQuarantined;
  units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored)};
  const Deviation d = Open(5, DeviationKind::kPositiveTest);
  absl::StatusOr<CloseDecision> decision = Close(d, {d}, Disposition::kReject);
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_TRUE(decision->effects.new_state.has_value());
  EXPECT_EQ(*decision->effects.new_state, BatchState::kRejected);
  EXPECT_THAT(decision->effects.unit_changes, IsEmpty());
}

TEST_F(DeviationStepsTest, RejectOfABatchBeyondUseChangesNothing) {
  for (BatchState s : {BatchState::kRejected, BatchState::kDisposed}) {
    batch_.state = s;
    const Deviation d = Open(5, DeviationKind::kOther);
    absl::StatusOr<CloseDecision> decision = Close(d, {d}, Disposition::kReject);
    ASSERT_TRUE(decision.ok()) << BatchStateName(s) << ": " << decision.status();
    EXPECT_EQ(decision->closure.disposition, Disposition::kReject);
    EXPECT_FALSE(decision->effects.new_state.has_value()) << BatchStateName(s);
  }
}

TEST_F(DeviationStepsTest, APositiveTestIsNeverUsedUnderThePhysiciansResponsibility) {
  batch_.state = BatchState::kQuarantined;
  const Deviation positive = Open(7, DeviationKind::kPositiveTest);
  absl::StatusOr<CloseDecision> decision =
      Close(positive, {positive}, Disposition::kUseUnderPhysicianResponsibility,
            BatchState::kCryopreserved);
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(decision.status().message()),
              ::testing::HasSubstr("a contamination signal is never used under the physician's "
                                   "responsibility: REJECT, or CONTINUE"));
}

TEST_F(DeviationStepsTest, ContinueOnTheLastPositiveLiftsTheQuarantine) {
  for (Disposition disposition : {Disposition::kContinue}) {
    batch_.state = BatchState::kQuarantined;
    units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored),
              MakeUnit(2, UnitState::kQuarantined, UnitState::kThawed),
              MakeUnit(3, UnitState::kDisposed), MakeUnit(4, UnitState::kInfused)};
    const Deviation positive = Open(7, DeviationKind::kPositiveTest);
    const Deviation earlier = Closed(6, DeviationKind::kPositiveTest, Disposition::kContinue);
    const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
    absl::StatusOr<CloseDecision> decision =
        Close(positive, {earlier, positive, oos}, disposition, BatchState::kCryopreserved);
    ASSERT_TRUE(decision.ok()) << decision.status();
    ASSERT_TRUE(decision->effects.new_state.has_value()) << DispositionName(disposition);
    EXPECT_EQ(*decision->effects.new_state, BatchState::kCryopreserved);
    ASSERT_THAT(decision->effects.unit_changes, SizeIs(2));
    EXPECT_EQ(decision->effects.unit_changes[0].unit_id, "U-1");
    EXPECT_EQ(decision->effects.unit_changes[0].event, UnitEventKind::kQuarantineLifted);
    EXPECT_EQ(decision->effects.unit_changes[0].from, UnitState::kQuarantined);
    EXPECT_EQ(decision->effects.unit_changes[0].to, UnitState::kStored);
    EXPECT_EQ(decision->effects.unit_changes[1].unit_id, "U-2");
    EXPECT_EQ(decision->effects.unit_changes[1].to, UnitState::kThawed);
  }
}

TEST_F(DeviationStepsTest, LiftReturnsTheBatchToTheStateItWasQuarantinedFrom) {
  batch_.state = BatchState::kQuarantined;
  const Deviation positive = Open(7, DeviationKind::kPositiveTest);
  absl::StatusOr<CloseDecision> decision =
      Close(positive, {positive}, Disposition::kContinue, BatchState::kInCulture);
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_TRUE(decision->effects.new_state.has_value());
  EXPECT_EQ(*decision->effects.new_state, BatchState::kInCulture);
}

TEST_F(DeviationStepsTest, QuarantineHoldsWhileAnotherPositiveIsOpen) {
  batch_.state = BatchState::kQuarantined;
  units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored)};
  const Deviation first = Open(7, DeviationKind::kPositiveTest);
  const Deviation second = Open(9, DeviationKind::kPositiveTest);
  absl::StatusOr<CloseDecision> decision =
      Close(first, {first, second}, Disposition::kContinue);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->closure.disposition, Disposition::kContinue);
  EXPECT_FALSE(decision->effects.new_state.has_value());
  EXPECT_THAT(decision->effects.unit_changes, IsEmpty());
}

TEST_F(DeviationStepsTest, ClosingAnotherKindOfDeviationNeverLiftsTheQuarantine) {
  batch_.state = BatchState::kQuarantined;
  units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored)};
  const Deviation positive = Open(7, DeviationKind::kPositiveTest);
  const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
  absl::StatusOr<CloseDecision> decision =
      Close(oos, {positive, oos}, Disposition::kContinue);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_FALSE(decision->effects.new_state.has_value());

  // Only the positive-test deviation's own disposition lifts the quarantine,
  // even when no positive-test deviation is (any longer) on the list.
  const Deviation other = Open(10, DeviationKind::kOutOfSpecification);
  decision = Close(other, {other}, Disposition::kUseUnderPhysicianResponsibility);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_FALSE(decision->effects.new_state.has_value());
  EXPECT_THAT(decision->effects.unit_changes, IsEmpty());
}

TEST_F(DeviationStepsTest, ContinueOnANonQuarantinedBatchChangesNothing) {
  batch_.state = BatchState::kCryopreserved;
  units_ = {MakeUnit(1, UnitState::kStored)};
  const Deviation d = Open(7, DeviationKind::kPositiveTest);
  absl::StatusOr<CloseDecision> decision = Close(d, {d}, Disposition::kContinue);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_FALSE(decision->effects.new_state.has_value());
  EXPECT_THAT(decision->effects.unit_changes, IsEmpty());
}

TEST_F(DeviationStepsTest, LiftToAStateThatIsNotActiveIsRefused) {
  batch_.state = BatchState::kQuarantined;
  const Deviation d = Open(7, DeviationKind::kPositiveTest);
  absl::Status status =
      Close(d, {d}, Disposition::kContinue, BatchState::kRejected).status();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("REJECTED"));
}

// --- Use under the physician's responsibility (issue 13 item 4) -------------------

TEST_F(DeviationStepsTest, PhysicianUseCarriesThePhysiciansRequestInTheClosure) {
  batch_.state = BatchState::kCryopreserved;
  const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
  absl::StatusOr<CloseDecision> decision =
      Close(oos, {oos}, Disposition::kUseUnderPhysicianResponsibility,
            BatchState::kCryopreserved, "no other cells for this patient", "dr.ito");
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->closure.disposition, Disposition::kUseUnderPhysicianResponsibility);
  EXPECT_EQ(decision->closure.physician, "dr.ito");
  EXPECT_EQ(decision->closure.closed_by, "qa-yamada");
  EXPECT_FALSE(decision->effects.new_state.has_value());
}

TEST_F(DeviationStepsTest, PhysicianUseIsRefusedWithoutThePhysiciansRequest) {
  const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
  without_physician_ = true;
  absl::StatusOr<CloseDecision> decision =
      Close(oos, {oos}, Disposition::kUseUnderPhysicianResponsibility);
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(decision.status().message()),
              HasSubstr("physician: required for USE_UNDER_PHYSICIAN_RESPONSIBILITY"));
}

TEST_F(DeviationStepsTest, PhysicianUseIsRefusedWhenTheRequestIsTheClosersOwn) {
  const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
  absl::StatusOr<CloseDecision> decision =
      Close(oos, {oos}, Disposition::kUseUnderPhysicianResponsibility,
            BatchState::kCryopreserved, "investigated", "qa-yamada");
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(decision.status().message()),
              HasSubstr("qa-yamada is closing the deviation as QA"));
}

TEST_F(DeviationStepsTest, APhysicianIsNamedOnlyWithPhysicianUse) {
  const Deviation oos = Open(8, DeviationKind::kOutOfSpecification);
  absl::StatusOr<CloseDecision> decision =
      Close(oos, {oos}, Disposition::kContinue, BatchState::kCryopreserved, "investigated",
            "dr.ito");
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(decision.status().message()), HasSubstr("physician: dr.ito named"));
}

TEST_F(DeviationStepsTest, PhysicianUseOnlyForADeviationOutsideTheSpecification) {
  for (DeviationKind kind : {DeviationKind::kOutOfSpecification, DeviationKind::kPassageLimit,
                             DeviationKind::kPopulationDoublingLimit}) {
    const Deviation d = Open(8, kind);
    EXPECT_TRUE(Close(d, {d}, Disposition::kUseUnderPhysicianResponsibility).ok())
        << DeviationKindName(kind);
  }
  for (DeviationKind kind : {DeviationKind::kOther, DeviationKind::kExcursion,
                             DeviationKind::kLateProcessing, DeviationKind::kPatientIneligible}) {
    const Deviation d = Open(8, kind);
    absl::Status status = Close(d, {d}, Disposition::kUseUnderPhysicianResponsibility).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << DeviationKindName(kind);
    EXPECT_THAT(std::string(status.message()), HasSubstr("not a result outside the specification"));
  }
}

TEST_F(DeviationStepsTest, ThePhysiciansRequestIsCheckedForRoleAndPerson) {
  EXPECT_TRUE(CheckPhysicianRequest("qa-yamada", "dr.ito", {Role::kPhysician}).ok());
  absl::Status status = CheckPhysicianRequest("qa-yamada", "tanaka", {Role::kTechnician});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("tanaka does not hold the physician role"));
  status = CheckPhysicianRequest("qa-yamada", "qa-yamada", {Role::kPhysician, Role::kReviewer});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckPhysicianRequest("qa-yamada", "", {}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DeviationStepsTest, ContinueOfAPositiveNeedsANegativeRetestOnRecord) {
  batch_.state = BatchState::kQuarantined;
  units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored)};
  const Deviation positive = Open(7, DeviationKind::kPositiveTest);  // test 107

  SetTests({MakeTest(107, QcTestType::kSterility, kPositive)});
  absl::Status status = Close(positive, {positive}, Disposition::kContinue).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("needs an investigation showing a false positive with a negative retest "
                        "on record: no retest of STERILITY test 107"));

  // Pending, of another type, ordered before it, or positive again: no retest.
  SetTests({MakeTest(90, QcTestType::kSterility, kNegative),
            MakeTest(107, QcTestType::kSterility, kPositive),
            MakeTest(108, QcTestType::kSterility, std::nullopt),
            MakeTest(109, QcTestType::kMycoplasma, kNegative),
            MakeTest(110, QcTestType::kSterility, kPositive)});
  EXPECT_EQ(Close(positive, {positive}, Disposition::kContinue).status().code(),
            absl::StatusCode::kFailedPrecondition);

  QcTest invalidated = MakeTest(111, QcTestType::kSterility, kNegative);
  invalidated.invalidation = QcInvalidation{kNow, "qa", "bottle cracked"};
  SetTests({MakeTest(107, QcTestType::kSterility, kPositive), invalidated});
  EXPECT_EQ(Close(positive, {positive}, Disposition::kContinue).status().code(),
            absl::StatusCode::kFailedPrecondition);

  SetTests({MakeTest(107, QcTestType::kSterility, kPositive),
            MakeTest(112, QcTestType::kSterility, kNegative)});
  absl::StatusOr<CloseDecision> decision = Close(positive, {positive}, Disposition::kContinue);
  ASSERT_TRUE(decision.ok()) << decision.status();
  ASSERT_TRUE(decision->effects.new_state.has_value());

  // REJECT needs no retest.
  SetTests({MakeTest(107, QcTestType::kSterility, kPositive)});
  EXPECT_TRUE(Close(positive, {positive}, Disposition::kReject).ok());
}

}  // namespace
}  // namespace cpctrack::domain
