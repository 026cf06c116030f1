// `cpc storage ...` and `cpc units ...` against in-process fakes.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/unit_format.h"
#include "tests/client/fake_services.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr char kTank[] = R"pb(
  tank_id: "LN2-A" name: "vapour tank A" temperature_class: TEMPERATURE_CLASS_LN2_VAPOUR
  capacity: 6 occupied: 2
  racks {
    name: "R1"
    boxes {
      name: "B1" rows: 2 columns: 3 occupied: 2
      units { unit_id: "A9999260000018-01" batch_id: "A9999260000018" patient_id: "TKY-0042"
              state: UNIT_STATE_STORED position: "LN2-A/R1/B1/A2" }
      units { unit_id: "A9999260000018-02" batch_id: "A9999260000018" patient_id: "TKY-0042"
              state: UNIT_STATE_QUARANTINED position: "LN2-A/R1/B1/B3" }
    }
  }
)pb";

class StorageUnitsCommandsTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&storage_, &units_}); }

  FakeStorageService storage_;
  FakeUnitService units_;
};

TEST_F(StorageUnitsCommandsTest, AddTankMapsTheClass) {
  storage_.CreateTank_.response.set_tank_id("LN2-A");
  ASSERT_EQ(Cpc({"storage", "add-tank", "LN2-A", "--class", "ln2-vapour", "--name", "tank A"}), 0)
      << err_.str();
  EXPECT_EQ(storage_.CreateTank_.last().tank_id(), "LN2-A");
  EXPECT_EQ(storage_.CreateTank_.last().temperature_class(), v1::TEMPERATURE_CLASS_LN2_VAPOUR);
  EXPECT_EQ(storage_.CreateTank_.last().name(), "tank A");
  EXPECT_EQ(storage_.CreateTank_.last().request_id().size(), 36u);
  EXPECT_EQ(Cpc({"storage", "add-tank", "LN2-A", "--class", "ln2"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--class: \"ln2\" is not one of ln2-vapour"))
      << err_.str();
}

TEST_F(StorageUnitsCommandsTest, AddBoxTakesAPathOrThreeWords) {
  storage_.AddBox_.response = Parse<v1::Box>(R"pb(name: "B1" rows: 9 columns: 9)pb");
  ASSERT_EQ(Cpc({"storage", "add-box", "LN2-A/R1/B1"}), 0) << err_.str();
  EXPECT_EQ(storage_.AddBox_.last().tank_id(), "LN2-A");
  EXPECT_EQ(storage_.AddBox_.last().rack(), "R1");
  EXPECT_EQ(storage_.AddBox_.last().box(), "B1");
  EXPECT_EQ(storage_.AddBox_.last().rows(), 9);
  EXPECT_EQ(storage_.AddBox_.last().columns(), 9);
  EXPECT_EQ(out_.str(), "Added box LN2-A/R1/B1 (9 x 9, positions A1 to I9)\n");
  ASSERT_EQ(Cpc({"storage", "add-box", "LN2-A", "R2", "B5", "--rows", "10", "--columns", "10"}), 0);
  EXPECT_EQ(storage_.AddBox_.last().rack(), "R2");
  EXPECT_EQ(storage_.AddBox_.last().box(), "B5");
  EXPECT_EQ(storage_.AddBox_.last().rows(), 10);
  EXPECT_EQ(Cpc({"storage", "add-box", "LN2-A/R1"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "BOX: \"LN2-A/R1\" is not TANK/RACK/BOX")) << err_.str();
  EXPECT_EQ(Cpc({"storage", "add-box", "LN2-A/R1/B1", "--rows", "27"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--rows: \"27\" must be 1 to 26")) << err_.str();
}

TEST_F(StorageUnitsCommandsTest, ShowDrawsEachBoxAndListsItsUnits) {
  storage_.GetTank_.response = Parse<v1::Tank>(kTank);
  ASSERT_EQ(Cpc({"storage", "show", "LN2-A"}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Tank LN2-A  vapour tank A\n  class    ln2-vapour\n"
                                    "  holds    2 of 6 positions occupied\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "Box R1/B1  (2 x 3, 2 occupied)\n"
                                     "     1 2 3\n"
                                     "  A  . X .\n"
                                     "  B  . . Q\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "LN2-A/R1/B1/B3  A9999260000018-02  A9999260000018  "
                                     "TKY-0042  !! QUARANTINED"))
      << out;
}

TEST_F(StorageUnitsCommandsTest, FreezeSendsOneUnitPerPosition) {
  units_.FreezeUnits_.response = Parse<v1::FreezeUnitsResponse>(R"pb(
    units { unit_id: "A9999260000018-01" position: "LN2-A/R1/B1/A1" cells: 25000000 volume_ml: 1.5 }
    batch_state: BATCH_STATE_CRYOPRESERVED
  )pb");
  ASSERT_EQ(Cpc({"units", "freeze", "A9999 26 000001 8", "--kind", "vial", "--cells", "2.5e7",
                 "--volume-ml", "1.5", "--medium", "CryoStor CS10", "--medium-lot", "CS-1",
                 "--program", "-1C/min to -90C", "--freezer", "CRF-1", "--at",
                 "2026-11-20 00:00", "--position", "LN2-A/R1/B1/A1", "--position",
                 "LN2-A/R1/B1/c4"}),
            0)
      << err_.str();
  const v1::FreezeUnitsRequest& sent = units_.FreezeUnits_.last();
  EXPECT_EQ(sent.batch_id(), "A9999260000018");
  EXPECT_EQ(sent.kind(), v1::UNIT_KIND_VIAL);
  EXPECT_EQ(sent.freezing_medium(), "CryoStor CS10");
  EXPECT_EQ(sent.medium_lot(), "CS-1");
  EXPECT_EQ(sent.freezer_program(), "-1C/min to -90C");
  EXPECT_EQ(sent.freezer_id(), "CRF-1");
  EXPECT_EQ(sent.frozen_time().seconds(), 1795132800);
  ASSERT_EQ(sent.units_size(), 2);
  EXPECT_EQ(sent.units(0).cells(), 25000000);
  EXPECT_DOUBLE_EQ(sent.units(1).volume_ml(), 1.5);
  EXPECT_EQ(sent.units(1).position(), "LN2-A/R1/B1/c4");
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Froze 1 unit of batch A9999 26 000001 8 (batch now "
                                           "cryopreserved)\n"))
      << out_.str();
}

TEST_F(StorageUnitsCommandsTest, FormulateSendsOneBagPerCountAndPrintsTheExpiry) {
  units_.FormulateFreshUnits_.response = Parse<v1::FormulateFreshUnitsResponse>(R"pb(
    units { unit_id: "A9999260000018-01" cells: 100000000 volume_ml: 50 kind: UNIT_KIND_BAG
            fresh { expire_time { seconds: 4102444800 } } }
    units { unit_id: "A9999260000018-02" cells: 100000000 volume_ml: 50 kind: UNIT_KIND_BAG
            fresh { expire_time { seconds: 4102444800 } } }
    batch_state: BATCH_STATE_FORMULATED
  )pb");
  ASSERT_EQ(Cpc({"units", "formulate", "A9999 26 000001 8", "--cells", "1e8", "--volume-ml",
                 "50", "--medium", "Plasma-Lyte A + 2% HSA", "--medium-lot", "PLA-1", "--count",
                 "2", "--at", "2026-11-20 00:00"}),
            0)
      << err_.str();
  const v1::FormulateFreshUnitsRequest& sent = units_.FormulateFreshUnits_.last();
  EXPECT_EQ(sent.batch_id(), "A9999260000018");
  EXPECT_EQ(sent.medium(), "Plasma-Lyte A + 2% HSA");
  EXPECT_EQ(sent.medium_lot(), "PLA-1");
  EXPECT_EQ(sent.formulated_time().seconds(), 1795132800);
  ASSERT_EQ(sent.units_size(), 2);
  EXPECT_EQ(sent.units(1).cells(), 100000000);
  EXPECT_DOUBLE_EQ(sent.units(1).volume_ml(), 50);
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Formulated 2 fresh units of batch A9999 26 000001 8 "
                                           "(batch now formulated)\n"))
      << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "A9999260000018-02    1e8         50  "
                                            "2100-01-01 00:00\n"))
      << out_.str();

  // One bag unless told otherwise.
  ASSERT_EQ(Cpc({"units", "formulate", "A9999 26 000001 8", "--cells", "1e8", "--volume-ml",
                 "50", "--medium", "saline", "--medium-lot", "PLA-1"}),
            0)
      << err_.str();
  EXPECT_EQ(units_.FormulateFreshUnits_.last().units_size(), 1);
  EXPECT_EQ(Cpc({"units", "formulate", "A9999 26 000001 8", "--cells", "1e8", "--volume-ml",
                 "50", "--medium", "saline"}),
            2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--medium-lot")) << err_.str();
}

TEST_F(StorageUnitsCommandsTest, AFreshUnitShowsItsFormulationAndExpiry) {
  units_.GetUnit_.response = Parse<v1::Unit>(R"pb(
    unit_id: "A9999260000018-01" batch_id: "A9999260000018" state: UNIT_STATE_STORED
    kind: UNIT_KIND_BAG cells: 60000000 volume_ml: 50 medium_lot: "PLA-1"
    fresh { formulated_time { seconds: 1795132800 } formulated_by: "ana"
            medium: "Plasma-Lyte A + 2% HSA" expire_time { seconds: 1795305600 } }
    events { kind: UNIT_EVENT_KIND_FORMULATED to_state: UNIT_STATE_STORED
             event_time { seconds: 1795132800 } recorded_by: "ana" }
  )pb");
  ASSERT_EQ(Cpc({"units", "show", "A9999260000018-01"}), 0) << err_.str();
  const std::string& out = out_.str();
  EXPECT_TRUE(absl::StrContains(out, "position  - (fresh: held at 2-8 °C, not in storage)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "contents  50 mL fresh bag, 6e7 viable cells\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "formulated 2026-11-20 00:00 UTC by ana in "
                                     "Plasma-Lyte A + 2% HSA (lot PLA-1)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "expires   2026-11-22 00:00 UTC")) << out;
  EXPECT_TRUE(absl::StrContains(out, "formulated  -     stored")) << out;
  // Long past by now.
  EXPECT_TRUE(absl::StrContains(out, "!! EXPIRED: do not infuse")) << out;
}

TEST_F(StorageUnitsCommandsTest, ListShowsKindAndExpiryOfFreshUnits) {
  units_.ListUnits_.response = Parse<v1::ListUnitsResponse>(R"pb(
    units { unit_id: "A9999260000018-01" batch_id: "A9999260000018" patient_id: "TKY-0042"
            kind: UNIT_KIND_BAG cells: 60000000 volume_ml: 50 state: UNIT_STATE_STORED
            fresh { formulated_time { seconds: 1795132800 } expire_time { seconds: 1795305600 } } }
    units { unit_id: "A9999260000018-02" batch_id: "A9999260000018" patient_id: "TKY-0042"
            kind: UNIT_KIND_BAG cells: 60000000 volume_ml: 50 state: UNIT_STATE_STORED
            fresh { formulated_time { seconds: 4102358400 } expire_time { seconds: 4102531200 } } }
    units { unit_id: "A9999260000018-03" batch_id: "A9999260000018" patient_id: "TKY-0042"
            kind: UNIT_KIND_VIAL cells: 25000000 volume_ml: 1.5 state: UNIT_STATE_STORED
            position: "LN2-A/R1/B1/A1" frozen_time { seconds: 1795132800 } }
  )pb");
  ASSERT_EQ(Cpc({"units", "list", "--batch", "A9999260000018"}), 0) << err_.str();
  const std::string& out = out_.str();
  EXPECT_TRUE(absl::StrContains(out, "MADE              EXPIRES")) << out;
  EXPECT_TRUE(absl::StrContains(out, "50 mL fresh bag")) << out;
  EXPECT_TRUE(absl::StrContains(out, "2026-11-20 00:00  2026-11-22 00:00 (EXPIRED)\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "2099-12-31 00:00  2100-01-02 00:00\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "1.5 mL vial")) << out;
  EXPECT_TRUE(absl::StrContains(out, "LN2-A/R1/B1/A1  2026-11-20 00:00  -\n")) << out;
}

TEST_F(StorageUnitsCommandsTest, FreezeCountFillsPositionsRowByRow) {
  ASSERT_EQ(Cpc({"units", "freeze", "A9999260000018", "--kind", "bag", "--cells", "1e8",
                 "--volume-ml", "50", "--medium", "CS10", "--medium-lot", "CS-1", "--program",
                 "p", "--count", "4", "--start", "LN2-A/R1/B1/A8", "--columns", "9"}),
            0)
      << err_.str();
  const v1::FreezeUnitsRequest& sent = units_.FreezeUnits_.last();
  ASSERT_EQ(sent.units_size(), 4);
  EXPECT_EQ(sent.units(0).position(), "LN2-A/R1/B1/A8");
  EXPECT_EQ(sent.units(1).position(), "LN2-A/R1/B1/A9");
  EXPECT_EQ(sent.units(2).position(), "LN2-A/R1/B1/B1");
  EXPECT_EQ(sent.units(3).position(), "LN2-A/R1/B1/B2");
  EXPECT_TRUE(storage_.GetTank_.requests.empty());
}

TEST_F(StorageUnitsCommandsTest, FreezeCountReadsTheBoxSizeAndRefusesOverflow) {
  storage_.GetTank_.response = Parse<v1::Tank>(kTank);  // B1 is 2 x 3
  const std::vector<std::string> freeze = {
      "units", "freeze", "A9999260000018", "--kind", "vial", "--cells", "1e7", "--volume-ml",
      "1", "--medium", "CS10", "--medium-lot", "CS-1", "--program", "p", "--start",
      "LN2-A/R1/B1/A3"};
  std::vector<std::string> three = freeze;
  three.insert(three.end(), {"--count", "3"});
  ASSERT_EQ(Cpc(three), 0) << err_.str();
  EXPECT_EQ(storage_.GetTank_.last().tank_id(), "LN2-A");
  const v1::FreezeUnitsRequest& sent = units_.FreezeUnits_.last();
  ASSERT_EQ(sent.units_size(), 3);
  EXPECT_EQ(sent.units(1).position(), "LN2-A/R1/B1/B1");
  EXPECT_EQ(sent.units(2).position(), "LN2-A/R1/B1/B2");
  std::vector<std::string> five = freeze;
  five.insert(five.end(), {"--count", "5"});
  EXPECT_EQ(Cpc(five), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--count: 5 units from LN2-A/R1/B1/A3 do not fit"))
      << err_.str();
  EXPECT_EQ(units_.FreezeUnits_.requests.size(), 1u);
}

TEST_F(StorageUnitsCommandsTest, FreezeNeedsPositionsOneWayOrTheOther) {
  const std::vector<std::string> base = {
      "units", "freeze", "A9999260000018", "--kind", "vial", "--cells", "1e7", "--volume-ml",
      "1", "--medium", "CS10", "--medium-lot", "CS-1", "--program", "p"};
  EXPECT_EQ(Cpc(base), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "give the positions")) << err_.str();
  std::vector<std::string> bad = base;
  bad.insert(bad.end(), {"--position", "LN2-A/R1/A1"});
  EXPECT_EQ(Cpc(bad), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--position: \"LN2-A/R1/A1\" is not a position"))
      << err_.str();
  std::vector<std::string> cells = base;
  cells[6] = "2.5";
  cells.insert(cells.end(), {"--position", "LN2-A/R1/B1/A1"});
  EXPECT_EQ(Cpc(cells), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--cells: \"2.5\" must be a whole number"))
      << err_.str();
  EXPECT_TRUE(units_.FreezeUnits_.requests.empty());
}

TEST_F(StorageUnitsCommandsTest, ListSendsTheFilters) {
  units_.ListUnits_.response.set_next_page_token("t2");
  ASSERT_EQ(Cpc({"units", "list", "--patient", "TKY-0042", "--state", "quarantined",
                 "--location", "LN2-A/R1"}),
            0)
      << err_.str();
  EXPECT_EQ(units_.ListUnits_.last().patient_id(), "TKY-0042");
  EXPECT_EQ(units_.ListUnits_.last().state(), v1::UNIT_STATE_QUARANTINED);
  EXPECT_EQ(units_.ListUnits_.last().location(), "LN2-A/R1");
  EXPECT_TRUE(absl::StrContains(out_.str(), "--page-token t2")) << out_.str();
}

TEST_F(StorageUnitsCommandsTest, ShowPrintsTheHistory) {
  units_.GetUnit_.response = Parse<v1::Unit>(R"pb(
    unit_id: "A9999260000018-01" batch_id: "A9999260000018" state: UNIT_STATE_STORED
    position: "LN2-B/R2/B1/C4" kind: UNIT_KIND_VIAL cells: 25000000 volume_ml: 1.5
    events { kind: UNIT_EVENT_KIND_FROZEN to_state: UNIT_STATE_STORED
             to_position: "LN2-A/R1/B1/A1" event_time { seconds: 1795132800 } recorded_by: "ana" }
    events { kind: UNIT_EVENT_KIND_MOVED from_state: UNIT_STATE_STORED to_state: UNIT_STATE_STORED
             from_position: "LN2-A/R1/B1/A1" to_position: "LN2-B/R2/B1/C4"
             event_time { seconds: 1795136400 } recorded_by: "ben" reason: "maintenance" }
  )pb");
  ASSERT_EQ(Cpc({"units", "show", "A9999260000018-01"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "position  LN2-B/R2/B1/C4\n")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "2026-11-20 01:00  moved   stored LN2-A/R1/B1/A1  "
                                            "stored LN2-B/R2/B1/C4  ben  maintenance"))
      << out_.str();
}

TEST_F(StorageUnitsCommandsTest, MoveThawAndDispose) {
  units_.MoveUnit_.response = Parse<v1::Unit>(
      R"pb(unit_id: "A9999260000018-01" position: "LN2-B/R2/B1/C4")pb");
  ASSERT_EQ(Cpc({"units", "move", "A9999260000018-01", "--to", "LN2-B/R2/B1/C4", "--reason",
                 "maintenance"}),
            0)
      << err_.str();
  EXPECT_EQ(units_.MoveUnit_.last().to_position(), "LN2-B/R2/B1/C4");
  EXPECT_EQ(units_.MoveUnit_.last().reason(), "maintenance");
  EXPECT_EQ(out_.str(), "Moved unit A9999260000018-01 to LN2-B/R2/B1/C4\n");

  units_.ThawUnit_.response = Parse<v1::ThawUnitResponse>(R"pb(
    unit { unit_id: "A9999260000018-01"
           thaw { total_cells: 24000000 viable_cells: 15000000 viability_percent: 62.5 } }
    opened_deviations { deviation_id: 14 kind: DEVIATION_KIND_OUT_OF_SPECIFICATION
                        state: DEVIATION_STATE_OPEN description: "post-thaw viability 62.5%"
                        unit_id: "A9999260000018-01" }
  )pb");
  ASSERT_EQ(Cpc({"units", "thaw", "A9999260000018-01", "--total", "2.4e7", "--viable", "1.5e7"}),
            0)
      << err_.str();
  EXPECT_EQ(units_.ThawUnit_.last().thaw().total_cells(), 24000000);
  EXPECT_EQ(units_.ThawUnit_.last().thaw().viable_cells(), 15000000);
  EXPECT_EQ(units_.ThawUnit_.last().thaw().viability_percent(), 0);
  EXPECT_EQ(units_.ThawUnit_.last().late_entry_reason(), "");
  EXPECT_TRUE(absl::StrContains(out_.str(), "!! OPEN DEVIATION #14 out of specification: "
                                            "post-thaw viability 62.5% (unit A9999260000018-01"))
      << out_.str();

  // A thaw typed in the next day says why it is late.
  ASSERT_EQ(Cpc({"units", "thaw", "A9999260000018-01", "--total", "2.4e7", "--viable", "1.5e7",
                 "--at", "-26h", "--late-reason", "thaw sheet entered the next day"}),
            0)
      << err_.str();
  EXPECT_EQ(units_.ThawUnit_.last().late_entry_reason(), "thaw sheet entered the next day");

  units_.DisposeUnit_.status =
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "unit A9999260000018-01 is infused");
  EXPECT_EQ(Cpc({"units", "dispose", "A9999260000018-01", "--reason", "damaged"}), 1);
  EXPECT_EQ(err_.str(), "cpc: FAILED_PRECONDITION: unit A9999260000018-01 is infused\n");
  EXPECT_EQ(units_.DisposeUnit_.last().reason(), "damaged");
}

TEST(PositionTest, ParsesAndFillsRowMajor) {
  absl::StatusOr<Position> position = ParsePosition("--start", "T/R/B/b10");
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->row, 2);
  EXPECT_EQ(position->column, 10);
  EXPECT_EQ(position->ToString(), "T/R/B/B10");
  EXPECT_FALSE(ParsePosition("--start", "T/R/B/10").ok());
  EXPECT_FALSE(ParsePosition("--start", "T/R/B/A0").ok());
  EXPECT_FALSE(ParsePosition("--start", "T//B/A1").ok());
  absl::StatusOr<std::vector<std::string>> positions =
      ConsecutivePositions(*ParsePosition("p", "T/R/B/A2"), 3, 2, 0);
  ASSERT_TRUE(positions.ok());
  EXPECT_EQ(*positions, (std::vector<std::string>{"T/R/B/A2", "T/R/B/B1", "T/R/B/B2"}));
  EXPECT_FALSE(ConsecutivePositions(*ParsePosition("p", "T/R/B/A3"), 1, 2, 0).ok());
}

}  // namespace
}  // namespace cpc
