#include "domain/release_steps.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "domain/isbt_barcode.h"
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
  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->release.signer, "qa-sato");
  EXPECT_EQ(release->release.signed_at, w.now);
  EXPECT_EQ(release->release.meaning, "released for infusion");
  EXPECT_EQ(release->release.record_hash, BatchRecordHash(w.Facts()));
  EXPECT_EQ(release->release.record_hash.size(), 64u);
  // The decision moves the batch to RELEASED: the caller only stores it.
  EXPECT_EQ(release->effects.new_state, BatchState::kReleased);
  EXPECT_FALSE(ReleaseHolds(w.Facts())) << "not stored yet";

  // Stored, the batch is ready.
  w.release = release->release;
  w.batch.state = *release->effects.new_state;
  EXPECT_TRUE(ReleaseHolds(w.Facts()));
  EXPECT_TRUE(EvaluateReadiness(w.Facts()).ready);
}

TEST(ReleaseTest, RefusedToASignerWhoRecordedAnyStepResultOrUnitOfTheBatch) {
  World w = ReleasableWorld();
  // tanaka recorded the production steps, the QC results and the units.
  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now, "tanaka"));
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

  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
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
  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
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
    absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
    ASSERT_FALSE(release.ok()) << BatchStateName(s);
    EXPECT_EQ(release.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(release.status().message(), HasSubstr("release the batch"));
    EXPECT_THAT(release.status().message(), HasSubstr(std::string(BatchStateName(s))));
  }
}

TEST(ReleaseTest, QaSignsAgainAfterACorrectionRevokedTheRelease) {
  World w = ReleasableWorld();
  absl::StatusOr<ReleaseDecision> first = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(first.ok()) << first.status();
  w.release = first->release;
  w.batch.state = BatchState::kReleased;
  w.records.push_back(Rec(4, PassageAt(2, kP2At, 12'000'000, kReseededAtP2), /*corrects=*/3));
  ASSERT_FALSE(EvaluateReadiness(w.Facts()).ready);
  EXPECT_FALSE(ReleaseHolds(w.Facts())) << "the correction revoked the first release";

  absl::StatusOr<ReleaseDecision> second = DecideRelease(w.Facts(), Ctx(w.now + absl::Hours(1)));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->release.record_hash, first->release.record_hash);
  EXPECT_EQ(second->release.record_hash, BatchRecordHash(w.Facts()));
  w.release = second->release;
  EXPECT_TRUE(ReleaseHolds(w.Facts()));
  EXPECT_EQ(second->effects.new_state, BatchState::kReleased);
  EXPECT_TRUE(EvaluateReadiness(w.Facts()).ready);
}

TEST(ReleaseTest, FreshProductIsReleasedOnceFormulated) {
  World w = FreshWorld();
  absl::StatusOr<ReleaseDecision> release = DecideRelease(w.Facts(), Ctx(w.now));
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->release.record_hash, BatchRecordHash(w.Facts()));
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

// The unit at the bedside is one issued for infusion: thawed.
Unit Thawed(Unit unit, absl::Time at) {
  unit.state = UnitState::kThawed;
  unit.position.reset();
  unit.thaw = ThawResult{at, 30'000'000, 21'000'000, 70};
  return unit;
}

class BedsideTest : public ::testing::Test {
 protected:
  absl::Status Check(absl::string_view unit_scan, absl::string_view wristband) {
    return CheckBedside(unit_, w_.plan, identity_, unit_scan, wristband, w_.now);
  }

  World w_ = ReleasableWorld();
  Unit unit_ = Thawed(StoredUnit(w_.batch, 1, 30'000'000), w_.now - absl::Hours(1));
  BedsideFacts identity_{.isbt_product_description_code = "S1234",
                            .patient_identifiers = {{.patient_id = kPatientId,
                                                     .kind = "MRN",
                                                     .value = "0012345"}}};
  // The unit's label as scanned: its DataMatrix, and its two linear symbols.
  std::string matrix_ = CompoundMessage({DinBarcodeData(w_.batch.batch_id),
                                         *ProductCodeData("S1234", '1', 1)});
  std::string din_ = DinBarcodeData(w_.batch.batch_id);
  std::string product_ = *ProductCodeData("S1234", '1', 1);
};

TEST_F(BedsideTest, MatchingUnitAndPatient) {
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId, w_.now).ok());
  // Scanners add whitespace; a unit label may be read in lower case.
  std::string lower = unit_.unit_id;
  absl::AsciiStrToLower(&lower);
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, identity_, " " + lower + "\n", " PT-0042 ", w_.now).ok());
}

TEST_F(BedsideTest, TheLabelAsScannedAndTheClinicsWristband) {
  EXPECT_TRUE(Check(matrix_, kPatientId).ok()) << Check(matrix_, kPatientId);
  EXPECT_TRUE(Check(din_ + "\n" + product_, "0012345").ok());
  EXPECT_TRUE(Check(product_ + "\t" + din_, " 0012345\r\n").ok());
  EXPECT_TRUE(Check(matrix_, "&#0107" "0012345").ok());  // ISBT 128 patient number
}

TEST_F(BedsideTest, AnotherPatientsWristbandIsRefused) {
  // Another patient's MRN, though on record, is not this patient's.
  identity_.patient_identifiers.push_back(
      {.patient_id = "PT-0999", .kind = "MRN", .value = "0099999"});
  absl::Status s = Check(matrix_, "0099999");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr("0099999"));
  EXPECT_EQ(Check(matrix_, "0012346").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BedsideTest, TheBatchsOtherUnitsLabelIsRefused) {
  const std::string other =
      CompoundMessage({din_, *ProductCodeData("S1234", '1', 2)});
  absl::Status s = Check(other, kPatientId);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr(UnitId(w_.batch.batch_id, 2)));
  // The DIN alone cannot tell the batch's units apart: never guessed.
  s = Check(din_, kPatientId);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("no unit"));
}

TEST_F(BedsideTest, AnotherProductsLabelIsRefused) {
  const std::string label = CompoundMessage({din_, *ProductCodeData("S9999", '1', 1)});
  absl::Status s = Check(label, kPatientId);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("product S9999"));
}

TEST_F(BedsideTest, MalformedScansAndFailingChecksAreRefused) {
  std::string misread = matrix_;
  misread[7 + 10] = misread[7 + 10] == '9' ? '8' : '9';  // a sequence digit misread
  EXPECT_EQ(Check(misread, kPatientId).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Check(matrix_.substr(0, 20), kPatientId).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Check(matrix_, "PT 0042").code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BedsideTest, AUnitNotIssuedForInfusionIsNotTheOneInHand) {
  unit_ = StoredUnit(w_.batch, 1, 30'000'000);
  absl::Status s = Check(matrix_, kPatientId);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr("STORED"));
}

TEST(BedsideVerifierTest, ASecondPersonWhoMayRecordInfusions) {
  EXPECT_TRUE(CheckBedsideVerifier("nurse-ito", "nurse-sato", {Role::kTechnician}).ok());
  EXPECT_EQ(CheckBedsideVerifier("nurse-ito", "nurse-ito", {Role::kTechnician}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckBedsideVerifier("nurse-ito", "", {}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckBedsideVerifier("nurse-ito", "audit-mori", {Role::kAuditor}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(BedsideTest, WrongUnitScanned) {
  const std::string other = UnitId(w_.batch.batch_id, 2);
  absl::Status s = CheckBedside(unit_, w_.plan, identity_, other, kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr(other));
  EXPECT_THAT(s.message(), HasSubstr(unit_.unit_id));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
}

TEST_F(BedsideTest, WrongPatientScanned) {
  absl::Status s = CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, "PT-0999", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  EXPECT_THAT(s.message(), HasSubstr("PT-0999"));
  EXPECT_THAT(s.message(), HasSubstr(kPatientId));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
}

TEST_F(BedsideTest, UnitMadeForAnotherPatientThanThePlans) {
  // The plan is PT-0999's; the unit (and the wristband) are PT-0042's.
  w_.plan.patient_id = "PT-0999";
  absl::Status s = CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  // The wristband matches the plan but not the unit.
  s = CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, "PT-0999", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
}

TEST_F(BedsideTest, BothScansRequired) {
  absl::Status s = CheckBedside(unit_, w_.plan, identity_, "", kPatientId, w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("scanned_unit_id"));
  s = CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, "  ", w_.now);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("scanned_patient_id"));
}

TEST_F(BedsideTest, ExpiredFreshUnitRefused) {
  const Unit bag = FreshUnit(w_.batch, 1, 30'000'000, w_.now - absl::Hours(2));
  const absl::Time expires = *bag.expires_at;
  EXPECT_TRUE(CheckBedside(bag, w_.plan, identity_, bag.unit_id, kPatientId, expires - absl::Minutes(1))
                  .ok());
  absl::Status s = CheckBedside(bag, w_.plan, identity_, bag.unit_id, kPatientId, expires);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired: fresh unit " + bag.unit_id + " expired at " +
                                     FormatUtc(expires)));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
  // Identity is checked first: a wrong scan is a chain-of-identity refusal.
  s = CheckBedside(bag, w_.plan, identity_, bag.unit_id, "PT-0999", expires);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
}

// Issue 12 item 4: a thawed unit's infusion starts within the product's
// window from its thaw (default 4 h); a start exactly at its end is within.
TEST_F(BedsideTest, ThawedUnitWithinItsWindowFromThaw) {
  const absl::Time thawed = unit_.thaw->thawed_at;
  const absl::Time window_end = thawed + absl::Hours(4);
  EXPECT_EQ(identity_.max_thaw_to_infusion, absl::Hours(4));  // the default
  EXPECT_TRUE(
      CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId, window_end).ok());
  absl::Status s = CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId,
                                window_end + absl::Minutes(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("thawed too long ago: unit " + unit_.unit_id +
                                     " was thawed at " + FormatUtc(thawed)));
  EXPECT_THAT(s.message(), HasSubstr("by " + FormatUtc(window_end)));
  EXPECT_THAT(s.message(),
              HasSubstr("not at " + FormatUtc(window_end + absl::Minutes(1))));
  EXPECT_THAT(s.message(), HasSubstr("do not infuse"));
  // The product version's window, not a constant.
  identity_.max_thaw_to_infusion = absl::Hours(6);
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId,
                           window_end + absl::Minutes(1))
                  .ok());
}

TEST_F(BedsideTest, ExpiredFrozenUnitRefused) {
  const absl::Time expires = unit_.thaw->thawed_at + absl::Hours(1);
  unit_.frozen_expires_at = expires;
  EXPECT_TRUE(CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId,
                           expires - absl::Minutes(1))
                  .ok());
  absl::Status s =
      CheckBedside(unit_, w_.plan, identity_, unit_.unit_id, kPatientId, expires);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired: frozen unit " + unit_.unit_id + " expired at " +
                                     FormatUtc(expires) + ", before the infusion at " +
                                     FormatUtc(expires)));
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
    infusion_.verified_by = "nurse-sato";
  }

  absl::StatusOr<Infusion> Decide(bool release_valid = true) {
    return DecideInfusion(w_.batch, release_valid, unit_, w_.plan, w_.plan.infusions[0], {},
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
  EXPECT_EQ(i->verified_by, "nurse-sato");
}

TEST_F(InfusionTest, NeverRecordedWithTheScannerAsTheSecondPerson) {
  infusion_.verified_by = "nurse-ito";  // the scanner
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("another person"));
  // Nor without a second person.
  infusion_.verified_by = "";
  s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("verifier: required"));
}

TEST_F(InfusionTest, StartAtTheEndOfTheThawWindowAcceptedOneMinuteLaterRefused) {
  now_ = thawed_at_ + absl::Hours(5);
  infusion_.ended_at = absl::InfinitePast();
  infusion_.started_at = thawed_at_ + absl::Hours(4);
  EXPECT_TRUE(Decide().ok()) << Decide().status();
  infusion_.started_at = thawed_at_ + absl::Hours(4) + absl::Minutes(1);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("thawed too long ago"));
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
  absl::Status s = DecideInfusion(w_.batch, true, unit_, w_.plan, w_.plan.infusions[0], {},
                                  unit_.unit_id, "PT-0999", infusion_, Ctx(now_))
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("chain of identity"));
  s = DecideInfusion(w_.batch, true, unit_, w_.plan, w_.plan.infusions[0], {},
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
    infusion_.verified_by = "nurse-sato";
  }

  absl::StatusOr<Infusion> Decide() {
    return DecideInfusion(w_.batch, true, bag_, w_.plan, w_.plan.infusions[0], {},
                          bag_.unit_id, kPatientId, infusion_, Ctx(now_, "nurse-ito"));
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

// --- Late entry -------------------------------------------------------------
// An infusion written down more than the product's max_entry_delay after its
// start needs a reason; exactly at the limit it is on time.

TEST_F(InfusionTest, InfusionRecordedExactlyAtTheLimitIsOnTimeOneMinuteLaterNeedsAReason) {
  now_ = infusion_.started_at + absl::Hours(24);
  absl::StatusOr<Infusion> on_time = Decide();
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_FALSE(on_time->late_entry.has_value());

  now_ += absl::Minutes(1);
  absl::Status s = Decide().status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required: started_at " +
                                     FormatUtc(infusion_.started_at) + " is recorded at " +
                                     FormatUtc(now_)));

  StepContext ctx = Ctx(now_, "nurse-ito");
  ctx.late_entry_reason = "ward chart transcribed after the night shift";
  absl::StatusOr<Infusion> late =
      DecideInfusion(w_.batch, true, unit_, w_.plan, w_.plan.infusions[0], {}, unit_.unit_id,
                     kPatientId, infusion_, ctx);
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_TRUE(late->late_entry.has_value());
  EXPECT_EQ(late->late_entry->field, "started_at");
  EXPECT_EQ(late->late_entry->event_time, infusion_.started_at);
  EXPECT_EQ(late->late_entry->reason, "ward chart transcribed after the night shift");
}

}  // namespace
}  // namespace cpctrack::domain
