#include "domain/inventory.h"

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

ReagentLot Lot(absl::CivilDay expiry) {
  ReagentLot lot;
  lot.lot_number = "MED-001";
  lot.name = "MSC medium";
  lot.manufacturer = "Acme";
  lot.expiry_day = expiry;
  lot.status = LotStatus::kAccepted;
  return lot;
}

Equipment Incubator() {
  Equipment e;
  e.equipment_id = "INC-01";
  e.kind = EquipmentKind::kIncubator;
  e.name = "CO2 incubator 1";
  e.status = EquipmentStatus::kInService;
  return e;
}

TEST(ParseDateTest, AcceptsIsoDates) {
  absl::StatusOr<absl::CivilDay> day = ParseDate("expiry_date", "2026-03-31");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2026, 3, 31));
  day = ParseDate("expiry_date", "2028-02-29");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2028, 2, 29));
}

TEST(ParseDateTest, RefusesImpossibleDates) {
  for (const char* text : {"2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01",
                           "2026-00-10", "2026-01-00", "2026-01-32"}) {
    EXPECT_EQ(ParseDate("expiry_date", text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(ParseDateTest, RefusesOtherFormats) {
  for (const char* text : {"", "2026/03/31", "31-03-2026", "2026-3-31", "2026-03-1",
                           "20260331", "2026-03-31T00:00", "2026-03-31 ", " 2026-03-31",
                           "March 31"}) {
    EXPECT_EQ(ParseDate("expiry_date", text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << '"' << text << '"';
  }
}

TEST(ParseDateTest, RefusesTenCharacterNearMisses) {
  // Ten characters, so a length check alone lets them through.
  for (const char* text : {"2026-3-31 ", " 2026-3-31", "02026-3-31", "2026-03-1 ",
                           "+2026-3-31", "2026-3--31"}) {
    EXPECT_EQ(ParseDate("expiry_date", text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << '"' << text << '"';
  }
}

TEST(ParseDateTest, ErrorNamesTheField) {
  EXPECT_THAT(ParseDate("expiry_date", "soon").status().message(),
              HasSubstr("expiry_date: \"soon\""));
}

TEST(ParseDateTest, FormatDateRoundTrips) {
  EXPECT_EQ(FormatDate(absl::CivilDay(2026, 3, 1)), "2026-03-01");
  EXPECT_EQ(*ParseDate("d", FormatDate(absl::CivilDay(2031, 12, 9))), absl::CivilDay(2031, 12, 9));
}

TEST(LotExpiryTest, UsableThroughTheExpiryDay) {
  const ReagentLot lot = Lot(absl::CivilDay(2026, 3, 31));
  EXPECT_FALSE(IsExpired(lot, absl::CivilDay(2026, 3, 30)));
  EXPECT_FALSE(IsExpired(lot, absl::CivilDay(2026, 3, 31)));
  EXPECT_TRUE(CheckLotUsable("medium_lot", lot, absl::CivilDay(2026, 3, 31)).ok());
}

TEST(LotExpiryTest, ExpiredTheDayAfter) {
  const ReagentLot lot = Lot(absl::CivilDay(2026, 3, 31));
  EXPECT_TRUE(IsExpired(lot, absl::CivilDay(2026, 4, 1)));
  absl::Status s = CheckLotUsable("reagent_lots[1]", lot, absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("reagent_lots[1]"));
  EXPECT_THAT(s.message(), HasSubstr("MED-001"));
  EXPECT_THAT(s.message(), HasSubstr("expired on 2026-03-31"));
}

TEST(EquipmentTest, InServiceIncubatorIsUsable) {
  EXPECT_TRUE(CheckEquipmentUsable("incubator_id", Incubator(), EquipmentKind::kIncubator,
                                   absl::CivilDay(2026, 3, 31))
                  .ok());
}

TEST(EquipmentTest, WrongKindIsRefused) {
  Equipment centrifuge = Incubator();
  centrifuge.kind = EquipmentKind::kCentrifuge;
  absl::Status s = CheckEquipmentUsable("incubator_id", centrifuge, EquipmentKind::kIncubator,
                                      absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("is a CENTRIFUGE, not a INCUBATOR"));
}

TEST(EquipmentTest, OutOfServiceIsRefusedWithItsReason) {
  Equipment e = Incubator();
  e.status = EquipmentStatus::kOutOfService;
  e.status_reason = "CO2 alarm";
  absl::Status s = CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                        absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("INC-01 is out of service (CO2 alarm)"));
}

// --- Material acceptance -------------------------------------------------------

TEST(LotAcceptanceTest, AQuarantinedLotIsRefusedAtUseNamingTheLotAndStatus) {
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.status = LotStatus::kQuarantine;
  absl::Status s = CheckLotUsable("medium_lot", lot, absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("medium_lot: reagent lot MED-001 (MSC medium) is in "
                                     "QUARANTINE"));
  EXPECT_THAT(s.message(), HasSubstr("cpc lot accept MED-001"));
}

TEST(LotAcceptanceTest, ARejectedLotIsRefusedWithItsReasonEvenBeforeExpiry) {
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.status = LotStatus::kRejected;
  lot.status_reason = "supplier recall 2026-114";
  absl::Status s = CheckLotUsable("reagent_lots[0]", lot, absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("reagent_lots[0]: reagent lot MED-001 (MSC medium) is "
                                     "REJECTED (supplier recall 2026-114)"));
}

TEST(LotAcceptanceTest, ANewLotIsInQuarantine) {
  EXPECT_EQ(ReagentLot{}.status, LotStatus::kQuarantine);
}

LotDecision Accept(const std::string& by) {
  return {.lot_number = "MED-001", .status = LotStatus::kAccepted, .certificate = "CoA 2611-07",
          .reason = "", .decided_at = absl::UnixEpoch(), .decided_by = by};
}

TEST(LotAcceptanceTest, QaAcceptsAQuarantinedLotOnItsCertificate) {
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.status = LotStatus::kQuarantine;
  lot.created_by = "admin.kato";
  absl::StatusOr<ReagentLot> after = DecideLot(lot, Accept("qa.mori"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->status, LotStatus::kAccepted);
  EXPECT_EQ(after->certificate, "CoA 2611-07");
  EXPECT_EQ(after->decided_by, "qa.mori");
  EXPECT_TRUE(CheckLotUsable("medium_lot", *after, absl::CivilDay(2026, 3, 31)).ok());
  // Once: an accepted lot is not accepted again.
  EXPECT_EQ(DecideLot(*after, Accept("qa.tanaka")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(LotAcceptanceTest, NoOneAcceptsALotTheyRegisteredOrWithoutACertificate) {
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.status = LotStatus::kQuarantine;
  lot.created_by = "qa.mori";
  absl::Status s = DecideLot(lot, Accept("qa.mori")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("qa.mori registered lot MED-001"));
  LotDecision no_certificate = Accept("qa.tanaka");
  no_certificate.certificate = "";
  EXPECT_THAT(DecideLot(lot, no_certificate).status().message(),
              HasSubstr("certificate: required"));
}

TEST(LotAcceptanceTest, RejectionNeedsAReasonAndMayFollowAcceptance) {
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));  // accepted
  LotDecision reject{.lot_number = "MED-001", .status = LotStatus::kRejected, .certificate = "",
                     .reason = "", .decided_at = absl::UnixEpoch(), .decided_by = "qa.mori"};
  EXPECT_THAT(DecideLot(lot, reject).status().message(), HasSubstr("reason: required"));
  reject.reason = "supplier recall";
  absl::StatusOr<ReagentLot> after = DecideLot(lot, reject);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->status, LotStatus::kRejected);
  EXPECT_FALSE(CheckLotUsable("medium_lot", *after, absl::CivilDay(2026, 3, 31)).ok());
  EXPECT_EQ(DecideLot(*after, reject).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideLot(*after, Accept("qa.tanaka")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// --- Calibration and maintenance ---------------------------------------------

Equipment CalibratedIncubator(absl::CivilDay due) {
  Equipment e = Incubator();
  e.calibration_required = true;
  e.calibration_due = due;
  return e;
}

TEST(CalibrationTest, UsableThroughItsDueDayAndRefusedTheDayAfterNamingTheDate) {
  const Equipment e = CalibratedIncubator(absl::CivilDay(2026, 3, 31));
  EXPECT_TRUE(CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                   absl::CivilDay(2026, 3, 31))
                  .ok());
  absl::Status s = CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                        absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("incubator_id: INC-01 is out of calibration: its "
                                     "calibration was due on 2026-03-31; it cannot be used on "
                                     "2026-04-01"));
}

TEST(CalibrationTest, RequiredCalibrationNeverRecordedIsRefused) {
  Equipment e = Incubator();
  e.calibration_required = true;
  absl::Status s = CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                        absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("INC-01 has no calibration on record"));
  EXPECT_THAT(s.message(), HasSubstr("cpc equipment calibrate INC-01"));
}

TEST(CalibrationTest, EquipmentRegisteredBeforeTrackingIsUsableUntilItsFirstCalibration) {
  Equipment e = Incubator();  // calibration_required unset, nothing on record
  EXPECT_TRUE(CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                   absl::CivilDay(2030, 1, 1))
                  .ok());
  UpkeepRecord r{.kind = UpkeepKind::kCalibration, .next_due = absl::CivilDay(2026, 3, 31)};
  e = ApplyUpkeep(e, r);
  EXPECT_FALSE(CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                    absl::CivilDay(2026, 4, 1))
                   .ok());
}

TEST(CalibrationTest, MaintenanceOverdueDoesNotRefuseUse) {
  Equipment e = CalibratedIncubator(absl::CivilDay(2027, 1, 1));
  e.maintenance_due = absl::CivilDay(2026, 1, 1);
  EXPECT_TRUE(CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator,
                                   absl::CivilDay(2026, 6, 1))
                  .ok());
}

TEST(CalibrationTest, KindsThatNeedCalibration) {
  for (EquipmentKind k : {EquipmentKind::kIncubator, EquipmentKind::kBiosafetyCabinet,
                          EquipmentKind::kCellCounter, EquipmentKind::kControlledRateFreezer}) {
    EXPECT_TRUE(NeedsCalibration(k)) << EquipmentKindName(k);
  }
  for (EquipmentKind k : {EquipmentKind::kCentrifuge, EquipmentKind::kStorageTank,
                          EquipmentKind::kOther}) {
    EXPECT_FALSE(NeedsCalibration(k)) << EquipmentKindName(k);
  }
}

UpkeepRecord Calibration(absl::Time performed, absl::CivilDay due) {
  return {.equipment_id = "INC-01", .kind = UpkeepKind::kCalibration, .performed_at = performed,
          .next_due = due, .certificate = "CAL-2026-0113"};
}

TEST(ValidateUpkeepRecordTest, NextDueMustFollowTheDayItWasPerformed) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time performed = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 10, 0, 0), utc);
  const absl::Time now = performed + absl::Hours(1);
  EXPECT_TRUE(
      ValidateUpkeepRecord(Calibration(performed, absl::CivilDay(2026, 3, 2)), now, utc).ok());
  absl::Status s =
      ValidateUpkeepRecord(Calibration(performed, absl::CivilDay(2026, 3, 1)), now, utc);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("next_due: 2026-03-01 must be after the day it was "
                                     "performed (2026-03-01)"));
  EXPECT_FALSE(
      ValidateUpkeepRecord(Calibration(performed, absl::CivilDay(2036, 3, 2)), now, utc).ok());
}

TEST(ValidateUpkeepRecordTest, RefusesAFutureRecordNoCertificateOrNoKind) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 10, 0, 0), utc);
  UpkeepRecord r = Calibration(now + absl::Hours(1), absl::CivilDay(2027, 3, 1));
  EXPECT_THAT(ValidateUpkeepRecord(r, now, utc).message(), HasSubstr("performed_at"));
  r = Calibration(now, absl::CivilDay(2027, 3, 1));
  r.certificate = "";
  EXPECT_THAT(ValidateUpkeepRecord(r, now, utc).message(), HasSubstr("certificate: required"));
  r = Calibration(now, absl::CivilDay(2027, 3, 1));
  r.kind = UpkeepKind::kUnspecified;
  EXPECT_THAT(ValidateUpkeepRecord(r, now, utc).message(), HasSubstr("kind: required"));
}

TEST(DueByTest, ListsWhatFallsDueByTheWindowsLastDayAndMarksLapsedOnes) {
  const absl::CivilDay today(2026, 3, 1);
  const absl::CivilDay until = today + 30;
  // Due on the window's last day: listed; the day after: not.
  EXPECT_EQ(DueBy(CalibratedIncubator(until), today, until).size(), 1u);
  EXPECT_TRUE(DueBy(CalibratedIncubator(until + 1), today, until).empty());
  // Due today: still usable today, so not lapsed; due yesterday: lapsed.
  std::vector<UpkeepDue> due = DueBy(CalibratedIncubator(today), today, until);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].lapsed);
  due = DueBy(CalibratedIncubator(today - 1), today, until);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(due[0].lapsed);
  EXPECT_EQ(due[0].kind, UpkeepKind::kCalibration);
  EXPECT_EQ(due[0].due, today - 1);
}

TEST(DueByTest, ListsARequiredCalibrationNeverRecordedAndMaintenance) {
  const absl::CivilDay today(2026, 3, 1);
  Equipment e = Incubator();
  e.calibration_required = true;
  e.maintenance_due = today + 10;
  std::vector<UpkeepDue> due = DueBy(e, today, today + 30);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, UpkeepKind::kCalibration);
  EXPECT_FALSE(due[0].due.has_value());
  EXPECT_TRUE(due[0].lapsed);
  EXPECT_EQ(due[1].kind, UpkeepKind::kMaintenance);
  EXPECT_EQ(due[1].due, today + 10);
  // Equipment whose calibration is not tracked is not listed for it.
  EXPECT_TRUE(DueBy(Incubator(), today, today + 30).empty());
}

TEST(DueByTest, WindowIsZeroToTenYears) {
  EXPECT_TRUE(ValidateDueWindow(0).ok());
  EXPECT_TRUE(ValidateDueWindow(3650).ok());
  EXPECT_THAT(ValidateDueWindow(-1).message(), HasSubstr("within_days: -1"));
  EXPECT_FALSE(ValidateDueWindow(3651).ok());
}

TEST(ValidateReagentLotTest, RequiresIdentifierNameAndPlausibleExpiry) {
  EXPECT_TRUE(ValidateReagentLot(Lot(absl::CivilDay(2027, 1, 1))).ok());
  ReagentLot lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.name = "";
  EXPECT_THAT(ValidateReagentLot(lot).message(), HasSubstr("name: required"));
  lot = Lot(absl::CivilDay(1999, 12, 31));
  EXPECT_THAT(ValidateReagentLot(lot).message(), HasSubstr("expiry_date"));
  lot = Lot(absl::CivilDay(2027, 1, 1));
  lot.lot_number = "lot 7";
  EXPECT_THAT(ValidateReagentLot(lot).message(), HasSubstr("lot_number"));
}

TEST(ValidateEquipmentTest, RequiresAKind) {
  Equipment e = Incubator();
  EXPECT_TRUE(ValidateEquipment(e).ok());
  e.kind = EquipmentKind::kUnspecified;
  EXPECT_THAT(ValidateEquipment(e).message(), HasSubstr("kind: required"));
}

TEST(ValidateStatusChangeTest, NeedsAKnownStatusAndAReason) {
  EXPECT_TRUE(ValidateStatusChange(EquipmentStatus::kOutOfService, "CO2 alarm").ok());
  EXPECT_FALSE(ValidateStatusChange(EquipmentStatus::kUnspecified, "x").ok());
  EXPECT_THAT(ValidateStatusChange(EquipmentStatus::kInService, "").message(),
              HasSubstr("reason: required"));
}

}  // namespace
}  // namespace cpctrack::domain
