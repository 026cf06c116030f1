#include "domain/storage.h"

#include <string>

#include "absl/status/status.h"
#include "domain/din.h"
#include "domain/units.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

Box MakeBox(int rows, int columns) {
  Box b;
  b.tank_id = "LN2-A";
  b.rack = "R1";
  b.name = "B1";
  b.box_id = BoxId(b.tank_id, b.rack, b.name);
  b.rows = rows;
  b.columns = columns;
  return b;
}

// --- Names and registry validation ----------------------------------------------------

TEST(StorageTest, TemperatureClassesAndWhichAreCryogenic) {
  EXPECT_EQ(TemperatureClassName(TemperatureClass::kLn2Vapour), "LN2_VAPOUR");
  EXPECT_EQ(TemperatureClassName(TemperatureClass::kLn2Liquid), "LN2_LIQUID");
  EXPECT_EQ(TemperatureClassName(TemperatureClass::kUltraLow), "ULTRA_LOW");
  EXPECT_EQ(TemperatureClassName(TemperatureClass::kRefrigerated), "REFRIGERATED");
  EXPECT_EQ(TemperatureClassName(TemperatureClass::kUnspecified), "UNSPECIFIED");
  EXPECT_TRUE(IsCryogenic(TemperatureClass::kLn2Vapour));
  EXPECT_TRUE(IsCryogenic(TemperatureClass::kLn2Liquid));
  EXPECT_FALSE(IsCryogenic(TemperatureClass::kUltraLow));
  EXPECT_FALSE(IsCryogenic(TemperatureClass::kRefrigerated));
  EXPECT_FALSE(IsCryogenic(TemperatureClass::kUnspecified));
}

TEST(StorageTest, StorageNames) {
  EXPECT_TRUE(ValidateStorageName("rack", "R1").ok());
  EXPECT_TRUE(ValidateStorageName("rack", "rack_2.a-b").ok());
  EXPECT_TRUE(ValidateStorageName("rack", std::string(32, 'x')).ok());
  absl::Status status = ValidateStorageName("rack", "");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("rack must be 1 to 32"));
  EXPECT_FALSE(ValidateStorageName("rack", std::string(33, 'x')).ok());
  status = ValidateStorageName("box", "B/1");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("box \"B/1\""));
  EXPECT_FALSE(ValidateStorageName("box", "B 1").ok());
}

TEST(StorageTest, TankNeedsAnIdAndATemperatureClass) {
  Tank t;
  t.tank_id = "LN2-A";
  t.temperature_class = TemperatureClass::kLn2Vapour;
  EXPECT_TRUE(ValidateTank(t).ok());

  t.temperature_class = TemperatureClass::kUnspecified;
  absl::Status status = ValidateTank(t);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("temperature_class"));

  t.temperature_class = static_cast<TemperatureClass>(17);
  EXPECT_THAT(ValidateTank(t).message(), HasSubstr("temperature_class"));

  t.temperature_class = TemperatureClass::kLn2Liquid;
  t.tank_id = "LN2 A";
  EXPECT_THAT(ValidateTank(t).message(), HasSubstr("tank_id"));

  t.tank_id = "LN2-A";
  t.name = std::string(201, 'n');
  EXPECT_THAT(ValidateTank(t).message(), HasSubstr("name"));
}

TEST(StorageTest, BoxGridIsOneToTwentySixEachWay) {
  EXPECT_TRUE(ValidateBox(MakeBox(9, 9)).ok());
  EXPECT_TRUE(ValidateBox(MakeBox(26, 26)).ok());
  EXPECT_TRUE(ValidateBox(MakeBox(1, 1)).ok());
  absl::Status status = ValidateBox(MakeBox(0, 9));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("rows must be 1 to 26, got 0"));
  status = ValidateBox(MakeBox(9, 27));
  EXPECT_THAT(status.message(), HasSubstr("columns must be 1 to 26, got 27"));

  Box b = MakeBox(9, 9);
  b.rack = "";
  EXPECT_THAT(ValidateBox(b).message(), HasSubstr("rack"));
  b = MakeBox(9, 9);
  b.name = "a/b";
  EXPECT_THAT(ValidateBox(b).message(), HasSubstr("box"));
}

TEST(StorageTest, BoxIdAndPositionLabel) {
  EXPECT_EQ(BoxId("LN2-A", "R1", "B1"), "LN2-A/R1/B1");
  Position p{.box_id = "LN2-A/R1/B1", .row = 3, .column = 4};
  EXPECT_EQ(p.Label(), "LN2-A/R1/B1/C4");
  p.row = 26;
  p.column = 12;
  EXPECT_EQ(p.Label(), "LN2-A/R1/B1/Z12");
}

// --- Parsing positions ------------------------------------------------------------------

TEST(StorageTest, ParsePosition) {
  absl::StatusOr<Position> p = ParsePosition("position", "LN2-A/R1/B1/C4");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->box_id, "LN2-A/R1/B1");
  EXPECT_EQ(p->row, 3);
  EXPECT_EQ(p->column, 4);
  EXPECT_EQ(p->Label(), "LN2-A/R1/B1/C4");

  p = ParsePosition("position", "  LN2-A/R1/B1/a12 ");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->row, 1);
  EXPECT_EQ(p->column, 12);

  p = ParsePosition("position", "LN2-A/R1/B1/Z26");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->row, 26);
  EXPECT_EQ(p->column, 26);
}

TEST(StorageTest, ParsePositionRefusesMalformedText) {
  for (const char* bad :
       {"", "LN2-A/R1/B1", "LN2-A/R1/B1/C4/X", "LN2-A//B1/C4", "LN2 A/R1/B1/C4",
        "LN2-A/R1/B1/C", "LN2-A/R1/B1/4C", "LN2-A/R1/B1/C0", "LN2-A/R1/B1/C27",
        "LN2-A/R1/B1/C4x", "LN2-A/R1/B1/C-1", "LN2-A/R1/B1/C+4", "LN2-A/R1/B1/CC4",
        "LN2-A/R1/B1/\xc3\x84" "4"}) {
    absl::Status status = ParsePosition("to", bad).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("to \"")) << bad;
    EXPECT_THAT(status.message(), HasSubstr("TANK/RACK/BOX/POSITION")) << bad;
  }
}

TEST(StorageTest, CheckInBox) {
  const Box box = MakeBox(9, 10);
  EXPECT_TRUE(CheckInBox("to", {box.box_id, 1, 1}, box).ok());
  EXPECT_TRUE(CheckInBox("to", {box.box_id, 9, 10}, box).ok());
  absl::Status status = CheckInBox("to", {box.box_id, 10, 1}, box);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("to LN2-A/R1/B1/J1 is outside box LN2-A/R1/B1"));
  EXPECT_THAT(status.message(), HasSubstr("9 rows A-I x 10 columns"));
  EXPECT_FALSE(CheckInBox("to", {box.box_id, 1, 11}, box).ok());
  // A position built elsewhere than ParsePosition: nothing before A1.
  EXPECT_EQ(CheckInBox("to", {box.box_id, 0, 1}, box).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckInBox("to", {box.box_id, 1, 0}, box).code(),
            absl::StatusCode::kInvalidArgument);
}

// --- Unit IDs ------------------------------------------------------------------------------

TEST(UnitIdTest, UnitIdIsBatchAndTwoDigitSequence) {
  const Din din = *Din::Create("A9999", 26, 1);
  EXPECT_EQ(din.compact(), "A9999260000018");
  EXPECT_EQ(UnitId(din, 3), "A9999260000018-03");
  EXPECT_EQ(UnitId(din, 12), "A9999260000018-12");
  EXPECT_EQ(UnitId(din, 123), "A9999260000018-123");
}

TEST(UnitIdTest, ParseUnitIdRoundTrips) {
  const Din din = *Din::Create("A9999", 26, 1);
  for (int seq : {1, 3, 42, 150}) {
    absl::StatusOr<std::pair<Din, int>> parsed = ParseUnitId("unit_id", UnitId(din, seq));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->first, din);
    EXPECT_EQ(parsed->second, seq);
  }
}

TEST(UnitIdTest, ParseUnitIdAcceptsTheSpacedLabelForm) {
  const Din din = *Din::Create("A9999", 26, 1);
  absl::StatusOr<std::pair<Din, int>> parsed =
      ParseUnitId("unit_id", " " + din.Spaced() + "-07 ");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->first, din);
  EXPECT_EQ(parsed->second, 7);
  parsed = ParseUnitId("unit_id", "a9999260000018-2");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->first, din);
}

TEST(UnitIdTest, ParseUnitIdRefusesMalformedIds) {
  for (const char* bad : {"", "A9999260000018", "A9999260000018-", "A9999260000018-00",
                          "A9999260000018-x1", "-03"}) {
    absl::Status status = ParseUnitId("unit_id", bad).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("unit_id")) << bad;
  }
  absl::Status status = ParseUnitId("unit_id", "A9999260000018-x").status();
  EXPECT_THAT(status.message(), HasSubstr("BATCH-NN"));
  // A wrong check character is the DIN's error, under the field's name.
  status = ParseUnitId("unit_id", "A9999260000019-03").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("unit_id \"A9999260000019-03\""));
  EXPECT_THAT(status.message(), HasSubstr("check"));
}

TEST(UnitIdTest, StateAndKindNames) {
  EXPECT_EQ(UnitStateName(UnitState::kStored), "STORED");
  EXPECT_EQ(UnitStateName(UnitState::kThawed), "THAWED");
  EXPECT_EQ(UnitStateName(UnitState::kInfused), "INFUSED");
  EXPECT_EQ(UnitStateName(UnitState::kDisposed), "DISPOSED");
  EXPECT_EQ(UnitStateName(UnitState::kQuarantined), "QUARANTINED");
  EXPECT_EQ(UnitKindName(UnitKind::kVial), "VIAL");
  EXPECT_EQ(UnitKindName(UnitKind::kBag), "BAG");
  EXPECT_EQ(UnitEventKindName(UnitEventKind::kQuarantineLifted), "QUARANTINE_LIFTED");
  EXPECT_EQ(UnitEventKindName(UnitEventKind::kMoved), "MOVED");
}

}  // namespace
}  // namespace cpctrack::domain
