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
  EXPECT_TRUE(CheckEquipmentUsable("incubator_id", Incubator(), EquipmentKind::kIncubator).ok());
}

TEST(EquipmentTest, WrongKindIsRefused) {
  Equipment centrifuge = Incubator();
  centrifuge.kind = EquipmentKind::kCentrifuge;
  absl::Status s = CheckEquipmentUsable("incubator_id", centrifuge, EquipmentKind::kIncubator);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("is a CENTRIFUGE, not a INCUBATOR"));
}

TEST(EquipmentTest, OutOfServiceIsRefusedWithItsReason) {
  Equipment e = Incubator();
  e.status = EquipmentStatus::kOutOfService;
  e.status_reason = "CO2 alarm";
  absl::Status s = CheckEquipmentUsable("incubator_id", e, EquipmentKind::kIncubator);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("INC-01 is out of service (CO2 alarm)"));
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
