#include "domain/release_steps.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "domain/plausibility.h"
#include "domain/readiness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "readiness_world.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_world;  // NOLINT

StepContext Ctx(absl::Time now, const std::string& actor = "qa-sato") {
  return StepContext{now, kUtc, actor};
}

// --- QA release -------------------------------------------------------------

TEST(ReleaseTest, AcceptedWithTheHashOfTheRecordWhenEveryCriterionIsMet) {
  World w = ReleasableWorld();
  absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->signer, "qa-sato");
  EXPECT_EQ(release->signed_at, w.now);
  EXPECT_EQ(release->meaning, "released for infusion");
  EXPECT_EQ(release->record_hash, BatchRecordHash(w.Facts()));
  EXPECT_EQ(release->record_hash.size(), 64u);

  // Stored, the batch is ready.
  w.release = *release;
  w.batch.state = BatchState::kReleased;
  EXPECT_TRUE(EvaluateReadiness(w.Facts()).ready);
}

TEST(ReleaseTest, RefusedToASignerWhoRecordedAnyStepResultOrUnitOfTheBatch) {
  World w = ReleasableWorld();
  // tanaka recorded the production steps, the QC results and the units.
  absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now, "tanaka"));
  ASSERT_FALSE(release.ok());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kPermissionDenied);
  const std::string message(release.status().message());
  EXPECT_THAT(message, HasSubstr("QA is independent of production"));
  EXPECT_THAT(message, HasSubstr("tanaka recorded"));
  EXPECT_THAT(message, HasSubstr("passage record"));
  EXPECT_THAT(message, HasSubstr("STERILITY result"));
  EXPECT_THAT(message, HasSubstr(absl::StrCat("unit ", w.units[0].unit_id)));
  EXPECT_THAT(message, HasSubstr(w.batch.batch_id.compact()));
}

TEST(ReleaseTest, ASingleRecordOfTheSignersIsEnoughToRefuse) {
  World w = ReleasableWorld();
  w.Test(QcTestType::kEndotoxin)->results.back().performed_by = "qa-sato";
  absl::Status status = CheckReleaseIndependent(w.Facts(), "qa-sato");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("ENDOTOXIN result"));
  EXPECT_THAT(status.message(), Not(HasSubstr("unit ")));
  EXPECT_TRUE(CheckReleaseIndependent(w.Facts(), "qa-ito").ok());
}

TEST(ReleaseTest, RefusedListingEveryCriterionNotMetOrPending) {
  World w = ReleasableWorld();
  Deviation open;
  open.deviation_id = 12;
  open.kind = DeviationKind::kExcursion;
  open.state = DeviationState::kOpen;
  w.deviations.push_back(open);
  QcTest* sterility = w.Test(QcTestType::kSterility);
  sterility->results.clear();
  sterility->reviews.clear();
  w.plan.fixed_cells = 5'000'000;  // below the product's 1e7 minimum

  absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_FALSE(release.ok());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(release.status().message());
  EXPECT_THAT(message, HasSubstr(w.batch.batch_id.compact()));
  EXPECT_THAT(message, HasSubstr("3 criteria"));
  EXPECT_THAT(message, HasSubstr("open deviations not met"));
  EXPECT_THAT(message, HasSubstr("12 (excursion)"));
  EXPECT_THAT(message, HasSubstr("sterility pending"));
  EXPECT_THAT(message, HasSubstr("dose per infusion not met"));
  EXPECT_THAT(message, HasSubstr("needs >= 1e+07"));
  // Met criteria and the release itself are not listed.
  EXPECT_THAT(message, Not(HasSubstr("mycoplasma")));
  EXPECT_THAT(message, Not(HasSubstr("QA release")));
}

TEST(ReleaseTest, RefusedWhileAResultAwaitsReview) {
  World w = ReleasableWorld();
  w.Test(QcTestType::kEndotoxin)->reviews.clear();
  absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_FALSE(release.ok());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(release.status().message(), HasSubstr("1 criteria"));
  EXPECT_THAT(release.status().message(), HasSubstr("endotoxin pending"));
  EXPECT_THAT(release.status().message(), HasSubstr("awaiting review"));
}

TEST(ReleaseTest, RefusedUnlessTheBatchIsFrozenOrReleased) {
  for (BatchState s : {BatchState::kInCulture, BatchState::kQuarantined, BatchState::kRejected,
                       BatchState::kDisposed}) {
    World w = ReleasableWorld();
    w.batch.state = s;
    absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now));
    ASSERT_FALSE(release.ok()) << BatchStateName(s);
    EXPECT_EQ(release.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(release.status().message(), HasSubstr("release the batch"));
    EXPECT_THAT(release.status().message(), HasSubstr(std::string(BatchStateName(s))));
  }
}

TEST(ReleaseTest, QaSignsAgainAfterACorrectionRevokedTheRelease) {
  World w = ReleasableWorld();
  absl::StatusOr<Release> first = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(first.ok()) << first.status();
  w.release = *first;
  w.batch.state = BatchState::kReleased;
  w.records.push_back(Rec(4, PassageAt(2, kP2At, 12'000'000, kReseededAtP2), /*corrects=*/3));
  ASSERT_FALSE(EvaluateReadiness(w.Facts()).ready);

  absl::StatusOr<Release> second = DecideRelease(w.Facts(), Ctx(w.now + absl::Hours(1)));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->record_hash, first->record_hash);
  EXPECT_EQ(second->record_hash, BatchRecordHash(w.Facts()));
  w.release = *second;
  EXPECT_TRUE(EvaluateReadiness(w.Facts()).ready);
}

TEST(ReleaseTest, FreshProductIsReleasedOnceFormulated) {
  World w = FreshWorld();
  absl::StatusOr<Release> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->record_hash, BatchRecordHash(w.Facts()));
}

TEST(ReleaseTest, ExpiredFreshProductIsNotReleased) {
  World w = FreshWorld();
  w.now = *w.units[0].expires_at;
  absl::Status status = DecideRelease(w.Facts(), Ctx(w.now)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("fresh product shelf life not met"));
  EXPECT_THAT(status.message(), HasSubstr("units cover the plan not met"));
}

// --- Bedside check ----------------------------------------------------------

class BedsideTest : public ::testing::Test {
 protected:
  World w_ = ReleasableWorld();
  Unit unit_ = StoredUnit(w_.batch, 1, 30'000'000);
};

TEST_F(BedsideTest, MatchingUnitAndPatient) {
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, unit_.unit_id, kPatientId, w_.now).ok());
  // Scanners add whitespace; a unit label may be read in lower case.
  std::string lower = unit_.unit_id;
  absl::AsciiStrToLower(&lower);
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, " " + lower + "\n", " PT-0042 ", w_.now).ok());
}

TEST_F(BedsideTest, WrongUnitScanned) {
  const std::string other = UnitId(w_.batch.batch_id, 2);
  absl::Status s = CheckBedside(unit_, w_.plan, other, kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr(other));
  EXPECT_THAT(s.message(), HasSubstr(unit_.unit_id));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
}

TEST_F(BedsideTest, WrongPatientScanned) {
  absl::Status s = CheckBedside(unit_, w_.plan, unit_.unit_id, "PT-0999", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr("PT-0999"));
  EXPECT_THAT(s.message(), HasSubstr(kPatientId));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
}

TEST_F(BedsideTest, UnitMadeForAnotherPatientThanThePlans) {
  // The plan is PT-0999's; the unit (and the wristband) are PT-0042's.
  w_.plan.patient_id = "PT-0999";
  absl::Status s = CheckBedside(unit_, w_.plan, unit_.unit_id, kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  // The wristband matches the plan but not the unit.
  s = CheckBedside(unit_, w_.plan, unit_.unit_id, "PT-0999", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
}

TEST_F(BedsideTest, BothScansRequired) {
  absl::Status s = CheckBedside(unit_, w_.plan, "", kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("scanned_unit_id"));
  s = CheckBedside(unit_, w_.plan, unit_.unit_id, "  ", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("scanned_patient_id"));
}

TEST_F(BedsideTest, ExpiredFreshUnitRefused) {
  const Unit bag = FreshUnit(w_.batch, 1, 30'000'000, w_.now - absl::Hours(2));
  const absl::Time expires = *bag.expires_at;
  EXPECT_TRUE(CheckBedside(bag, w_.plan, bag.unit_id, kPatientId, expires - absl::Minutes(1))
                  .ok());
  absl::Status s = CheckBedside(bag, w_.plan, bag.unit_id, kPatientId, expires);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired: fresh unit " + bag.unit_id + " expired at " +
                                     FormatUtc(expires)));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
  // Identity is checked first: a wrong scan is a chain-of-identity refusal.
  s = CheckBedside(bag, w_.plan, bag.unit_id, "PT-0999", expires);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  // Frozen units do not expire at the bedside.
  EXPECT_TRUE(
      CheckBedside(unit_, w_.plan, unit_.unit_id, kPatientId, w_.now + absl::Hours(24 * 3650))
          .ok());
}

// --- Infusion ---------------------------------------------------------------

class InfusionTest : public ::testing::Test {
 protected:
  InfusionTest() {
    w_.batch.state = BatchState::kReleased;
    unit_.state = UnitState::kThawed;
    unit_.position.reset();
    unit_.thaw = ThawResult{thawed_at_, 30'000'000, 21'000'000, 70};
    infusion_.started_at = thawed_at_ + absl::Minutes(40);
    infusion_.ended_at = thawed_at_ + absl::Minutes(70);
  }

  absl::StatusOr<Infusion> Decide(bool release_valid = true) {
    return DecideInfusion(w_.batch, release_valid, unit_, w_.plan, w_.plan.infusions[0],
                          unit_.unit_id, kPatientId, infusion_, Ctx(now_, "nurse-ito"));
  }

  World w_ = ReleasableWorld();
  Unit unit_ = StoredUnit(w_.batch, 1, 30'000'000);
  absl::Time now_ = w_.now;
  absl::Time thawed_at_ = w_.now - absl::Hours(2);
  Infusion infusion_;
};

TEST_F(InfusionTest, RecordedWithThePostThawViableCellsByDefault) {
  absl::StatusOr<Infusion> i = Decide();
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->viable_cells_given, 21'000'000);
  EXPECT_EQ(i->unit_id, unit_.unit_id);
  EXPECT_EQ(i->planned_infusion_id, 70);
  EXPECT_EQ(i->started_at, thawed_at_ + absl::Minutes(40));
  EXPECT_EQ(i->ended_at, thawed_at_ + absl::Minutes(70));
  EXPECT_EQ(i->recorded_at, now_);
  EXPECT_EQ(i->recorded_by, "nurse-ito");
}

TEST_F(InfusionTest, AGivenDoseUpToTheUnitsViableCells) {
  infusion_.viable_cells_given = 20'000'000;
  absl::StatusOr<Infusion> i = Decide();
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->viable_cells_given, 20'000'000);

  infusion_.viable_cells_given = 21'000'000;
  EXPECT_TRUE(Decide().ok());
}

TEST_F(InfusionTest, DoseAboveTheUnitsViableCellsRefused) {
  infusion_.viable_cells_given = 21'000'001;
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("viable_cells_given"));
  EXPECT_THAT(s.message(), HasSubstr("21000000"));
}

TEST_F(InfusionTest, NegativeDoseRefused) {
  infusion_.viable_cells_given = -5;
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("viable_cells_given"));
}

TEST_F(InfusionTest, OnlyAReleasedBatchIsInfused) {
  for (BatchState s : {BatchState::kCryopreserved, BatchState::kQuarantined,
                       BatchState::kInCulture, BatchState::kRejected}) {
    w_.batch.state = s;
    absl::Status status = Decide().status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("record an infusion"));
    EXPECT_THAT(status.message(), HasSubstr(std::string(BatchStateName(s))));
    EXPECT_THAT(status.message(), HasSubstr("RELEASED"));
  }
}

TEST_F(InfusionTest, RevokedReleaseRefused) {
  absl::Status s = Decide(/*release_valid=*/false).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("revoked"));
  EXPECT_THAT(s.message(), HasSubstr(w_.batch.batch_id.compact()));
}

TEST_F(InfusionTest, UnitNotThawedRefused) {
  unit_.state = UnitState::kStored;
  unit_.thaw.reset();
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("STORED"));
  EXPECT_THAT(s.message(), HasSubstr("only a thawed unit"));

  // Thawed, then quarantined: not infused either.
  unit_.state = UnitState::kQuarantined;
  unit_.thaw = ThawResult{thawed_at_, 30'000'000, 21'000'000, 70};
  s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("QUARANTINED"));
}

TEST_F(InfusionTest, UnitOfAnotherBatchRefused) {
  const Din other = *Din::Create("A9999", 26, 19);
  unit_.batch_id = other.compact();
  unit_.unit_id = UnitId(other, 1);  // same patient, another batch
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("is not from batch"));
  EXPECT_THAT(s.message(), HasSubstr(w_.plan.batch_id));
}

TEST_F(InfusionTest, StartBeforeTheThawRefused) {
  infusion_.started_at = thawed_at_ - absl::Minutes(1);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("started_at"));
  EXPECT_THAT(s.message(), HasSubstr("before the thaw"));
}

TEST_F(InfusionTest, StartMissingOrInTheFutureRefused) {
  infusion_.started_at = absl::InfinitePast();
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("started_at: required"));

  infusion_.started_at = now_ + absl::Hours(1);
  infusion_.ended_at = absl::InfinitePast();
  s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("started_at"));
  EXPECT_THAT(s.message(), HasSubstr("in the future"));
}

TEST_F(InfusionTest, EndBeforeTheStartRefused) {
  infusion_.ended_at = infusion_.started_at - absl::Minutes(5);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("ended_at"));
  EXPECT_THAT(s.message(), HasSubstr("before the start"));
}

TEST_F(InfusionTest, EndMayBeRecordedLater) {
  infusion_.ended_at = absl::InfinitePast();
  absl::StatusOr<Infusion> i = Decide();
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->ended_at, absl::InfinitePast());
}

TEST_F(InfusionTest, ChainOfIdentityCheckedFirst) {
  w_.batch.state = BatchState::kCryopreserved;  // would also be refused
  absl::Status s = DecideInfusion(w_.batch, true, unit_, w_.plan, w_.plan.infusions[0],
                                  unit_.unit_id, "PT-0999", infusion_, Ctx(now_))
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  s = DecideInfusion(w_.batch, true, unit_, w_.plan, w_.plan.infusions[0],
                     UnitId(w_.batch.batch_id, 2), kPatientId, infusion_, Ctx(now_))
          .status();
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
}

TEST_F(InfusionTest, OverlongAdverseEventsRefused) {
  infusion_.adverse_events = std::string(4001, 'x');
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("adverse_events"));
}

// --- Infusion of fresh product ---------------------------------------------

class FreshInfusionTest : public ::testing::Test {
 protected:
  FreshInfusionTest() {
    w_.batch.state = BatchState::kReleased;
    infusion_.started_at = now_ - absl::Minutes(30);
    infusion_.ended_at = now_ - absl::Minutes(5);
  }

  absl::StatusOr<Infusion> Decide() {
    return DecideInfusion(w_.batch, true, bag_, w_.plan, w_.plan.infusions[0], bag_.unit_id,
                          kPatientId, infusion_, Ctx(now_, "nurse-ito"));
  }

  World w_ = FreshWorld();
  Unit bag_ = w_.units[0];  // 30e6 viable cells, formulated 2 h before now
  absl::Time now_ = w_.now;
  Infusion infusion_;
};

TEST_F(FreshInfusionTest, AHeldBagIsInfusedWithoutAThawAtItsViableCells) {
  absl::StatusOr<Infusion> i = Decide();
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->viable_cells_given, 30'000'000);
  EXPECT_EQ(i->unit_id, bag_.unit_id);
  EXPECT_EQ(i->planned_infusion_id, 70);

  infusion_.viable_cells_given = 30'000'000;
  EXPECT_TRUE(Decide().ok());
  infusion_.viable_cells_given = 30'000'001;
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("exceeds the unit's 30000000 viable cells as formulated"));
}

TEST_F(FreshInfusionTest, AnExpiredBagIsRefused) {
  now_ = *bag_.expires_at + absl::Hours(1);
  infusion_.started_at = *bag_.expires_at + absl::Minutes(10);
  infusion_.ended_at = infusion_.started_at + absl::Minutes(20);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired: fresh unit"));

  // Started in date and recorded after the expiry: what counts is the start.
  infusion_.started_at = *bag_.expires_at - absl::Minutes(10);
  infusion_.ended_at = *bag_.expires_at + absl::Minutes(10);
  EXPECT_TRUE(Decide().ok());
}

TEST_F(FreshInfusionTest, OnlyABagStillHeldIsInfused) {
  for (UnitState s : {UnitState::kInfused, UnitState::kDisposed, UnitState::kQuarantined}) {
    bag_.state = s;
    absl::Status status = Decide().status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << UnitStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("only a fresh unit still held"));
  }
}

TEST_F(FreshInfusionTest, StartBeforeTheFormulationRefused) {
  infusion_.started_at = bag_.frozen_at - absl::Minutes(1);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("before the formulation"));
}

TEST_F(FreshInfusionTest, OnlyOnceReleased) {
  w_.batch.state = BatchState::kFormulated;
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("the batch is FORMULATED"));
}

}  // namespace
}  // namespace cpctrack::domain
