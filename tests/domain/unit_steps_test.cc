#include "domain/unit_steps.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/plausibility.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::Time kSeeded = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 14, 0, 0), kUtc);
const absl::Time kHarvest = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 10, 0, 0), kUtc);
const absl::Time kFrozen = kHarvest + absl::Hours(2);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 25, 12, 0, 0), kUtc);

constexpr int64_t kHarvestViable = 90'000'000;

const char kBoxId[] = "LN2-A/R1/B1";

Position At(const std::string& box_id, int row, int column) {
  return Position{.box_id = box_id, .row = row, .column = column};
}
Position At(int row, int column) { return At(kBoxId, row, column); }

BatchRecord Record(int64_t id, RecordData data) {
  BatchRecord r;
  r.record_id = id;
  r.recorded_at = kNow;
  r.recorded_by = "tanaka";
  r.data = std::move(data);
  return r;
}

Seeding P0() {
  return {.seeding_time = kSeeded, .cells_seeded = 1'000'000, .vessel_type = "T175",
          .vessel_count = 2, .surface_area_cm2 = 350, .medium_lot = "MED-001",
          .reagent_lots = {}, .incubator_id = "INC-01", .cabinet_id = ""};
}

Passage HarvestAt(absl::Time at, int64_t viable) {
  return {.passage_time = at, .total_cells = viable + viable / 9, .viable_cells = viable,
          .counting_method = CountingMethod::kAutomatedAoPi, .cells_reseeded = 1'000'000,
          .medium_lot = "MED-001", .reagent_lots = {}, .incubator_id = "INC-01"};
}

class UnitStepsTest : public ::testing::Test {
 protected:
  UnitStepsTest() {
    records_ = {Record(1, P0()), Record(2, HarvestAt(kHarvest, kHarvestViable))};

    Tank ln2{.tank_id = "LN2-A", .name = "vapour tank",
             .temperature_class = TemperatureClass::kLn2Vapour};
    Tank fridge{.tank_id = "FRIDGE", .name = "2-8",
                .temperature_class = TemperatureClass::kRefrigerated};
    Tank liquid{.tank_id = "LN2-L", .name = "liquid",
                .temperature_class = TemperatureClass::kLn2Liquid};
    storage_.tanks = {{"LN2-A", ln2}, {"FRIDGE", fridge}, {"LN2-L", liquid}};
    for (const auto& [tank, rows] :
         std::vector<std::pair<std::string, int>>{{"LN2-A", 9}, {"FRIDGE", 9}, {"LN2-L", 5}}) {
      Box b{.box_id = BoxId(tank, "R1", "B1"), .tank_id = tank, .rack = "R1", .name = "B1",
            .rows = rows, .columns = 9};
      storage_.boxes[b.box_id] = b;
    }

    ReagentLot cs10{.lot_number = "CS10-01", .name = "CryoStor CS10",
                    .expiry_day = absl::CivilDay(2027, 1, 31), .status = LotStatus::kAccepted};
    ReagentLot old{.lot_number = "CS10-OLD", .name = "CryoStor CS10",
                   .expiry_day = absl::CivilDay(2026, 3, 9), .status = LotStatus::kAccepted};
    resources_.lots = {{"CS10-01", cs10}, {"CS10-OLD", old}};
    resources_.equipment["CRF-01"] =
        Equipment{.equipment_id = "CRF-01", .kind = EquipmentKind::kControlledRateFreezer};
    resources_.equipment["INC-01"] =
        Equipment{.equipment_id = "INC-01", .kind = EquipmentKind::kIncubator};
  }

  FreezePlan Plan(std::vector<FreezeUnit> units) const {
    FreezePlan p;
    p.kind = UnitKind::kVial;
    p.frozen_at = kFrozen;
    p.freezing_medium = "CryoStor CS10";
    p.medium_lot = "CS10-01";
    p.freezer_program = "-1C/min to -90C";
    p.freezer_id = "CRF-01";
    p.units = std::move(units);
    return p;
  }

  absl::StatusOr<FreezeDecision> Freeze(const FreezePlan& plan) {
    return DecideFreeze(batch_, BatchHistory(records_), existing_, plan, product_, storage_, resources_,
                        ctx_);
  }

  // A unit of this batch as stored after a freeze.
  Unit Stored(int sequence, int64_t cells, Position position, absl::Time frozen_at = kFrozen) {
    Unit u;
    u.sequence = sequence;
    u.unit_id = UnitId(batch_.batch_id, sequence);
    u.batch_id = batch_.batch_id.compact();
    u.patient_id = batch_.patient_id;
    u.kind = UnitKind::kVial;
    u.cells = cells;
    u.volume_ml = 1;
    u.frozen_at = frozen_at;
    u.state = UnitState::kStored;
    u.position = position;
    return u;
  }

  ThawResult Thaw(int64_t total, int64_t viable, double viability = 0) {
    return ThawResult{.thawed_at = kNow - absl::Hours(1), .total_cells = total,
                      .viable_cells = viable, .viability_percent = viability};
  }

  Product product_ = DefaultProduct();
  Batch batch_{.batch_id = *Din::Create("A9999", 26, 1),
               .patient_id = "PT-0001",
               .product_code = "ADSC-STD",
               .product_version = 1,
               .state = BatchState::kInCulture};
  std::vector<BatchRecord> records_;
  std::vector<Unit> existing_;
  StorageFacts storage_;
  StepResources resources_;
  // The harvest was two weeks before now: a freeze then is written down
  // late, and says why (the late-entry rule has its own tests below).
  StepContext ctx_{.now = kNow, .facility_zone = kUtc, .actor = "tanaka",
                   .late_entry_reason = "transcribed from the cryo log"};
};

// --- Cells available --------------------------------------------------------------------

TEST_F(UnitStepsTest, CellsAvailableIsTheLatestCountAtOrBeforeTheFreeze) {
  const BatchHistory history(records_);
  EXPECT_EQ(*CellsAvailable(history, {}, kFrozen), kHarvestViable);
  EXPECT_EQ(*CellsAvailable(history, {}, kHarvest), kHarvestViable);  // at the count
  // Before the harvest, the seeding count is the latest.
  EXPECT_EQ(*CellsAvailable(history, {}, kHarvest - absl::Minutes(1)), 1'000'000);
  absl::Status status = CellsAvailable(history, {}, kSeeded - absl::Minutes(1)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no cell count"));
}

TEST_F(UnitStepsTest, CellsAvailableLessUnitsFrozenSinceTheCount) {
  const BatchHistory history(records_);
  const std::vector<Unit> units = {
      Stored(1, 20'000'000, At(1, 1), kHarvest),           // at the count: counted
      Stored(2, 30'000'000, At(1, 2), kFrozen),            // after: counted
      Stored(3, 500'000, At(1, 3), kSeeded + absl::Hours(1)),  // before the count: not
  };
  EXPECT_EQ(*CellsAvailable(history, units, kFrozen + absl::Hours(1)), 40'000'000);
  // Never negative.
  const std::vector<Unit> too_many = {Stored(1, 100'000'000, At(1, 1), kFrozen)};
  EXPECT_EQ(*CellsAvailable(history, too_many, kFrozen), 0);
}

TEST_F(UnitStepsTest, CellsAvailableUsesCorrectedCounts) {
  BatchRecord fix = Record(3, HarvestAt(kHarvest, 45'000'000));
  fix.corrects_record_id = 2;
  fix.correction_reason = "counted twice";
  records_.push_back(fix);
  EXPECT_EQ(*CellsAvailable(BatchHistory(records_), {}, kFrozen), 45'000'000);
}

// --- Freezing ------------------------------------------------------------------------------

TEST_F(UnitStepsTest, FreezeMakesNumberedStoredUnits) {
  absl::StatusOr<FreezeDecision> d = Freeze(Plan(
      {{.cells = 10'000'000, .volume_ml = 1.5, .position = At(1, 1)},
       {.cells = 20'000'000, .volume_ml = 1.5, .position = At("LN2-L/R1/B1", 5, 9)}}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kCryopreserved);
  ASSERT_THAT(d->units, SizeIs(2));
  const Unit& u = d->units[0];
  EXPECT_EQ(u.sequence, 1);
  EXPECT_EQ(u.unit_id, "A9999260000018-01");
  EXPECT_EQ(u.batch_id, "A9999260000018");
  EXPECT_EQ(u.patient_id, "PT-0001");
  EXPECT_EQ(u.kind, UnitKind::kVial);
  EXPECT_EQ(u.cells, 10'000'000);
  EXPECT_EQ(u.volume_ml, 1.5);
  EXPECT_EQ(u.freezing_medium, "CryoStor CS10");
  EXPECT_EQ(u.medium_lot, "CS10-01");
  EXPECT_EQ(u.freezer_program, "-1C/min to -90C");
  EXPECT_EQ(u.freezer_id, "CRF-01");
  EXPECT_EQ(u.frozen_at, kFrozen);
  EXPECT_EQ(u.frozen_by, "tanaka");
  EXPECT_EQ(u.state, UnitState::kStored);
  ASSERT_TRUE(u.position.has_value());
  EXPECT_EQ(u.position->Label(), "LN2-A/R1/B1/A1");
  EXPECT_EQ(d->units[1].unit_id, "A9999260000018-02");
  EXPECT_EQ(d->units[1].position->Label(), "LN2-L/R1/B1/E9");
  // Expiry on record from the freeze: the product's frozen shelf life (365 d).
  EXPECT_FALSE(u.fresh());
  EXPECT_EQ(u.frozen_expires_at, kFrozen + absl::Hours(365 * 24));
  EXPECT_EQ(u.expiry(), kFrozen + absl::Hours(365 * 24));
}

TEST_F(UnitStepsTest, FrozenUnitsExpireByTheProductVersionsShelfLife) {
  product_.frozen_shelf_life = absl::Hours(180 * 24);
  absl::StatusOr<FreezeDecision> d =
      Freeze(Plan({{.cells = 10'000'000, .volume_ml = 1.5, .position = At(1, 1)}}));
  ASSERT_TRUE(d.ok()) << d.status();
  const Unit& u = d->units[0];
  EXPECT_EQ(u.expiry(), kFrozen + absl::Hours(180 * 24));
  EXPECT_FALSE(u.ExpiredAt(kFrozen + absl::Hours(180 * 24) - absl::Minutes(1)));
  EXPECT_TRUE(u.ExpiredAt(kFrozen + absl::Hours(180 * 24)));
}

TEST_F(UnitStepsTest, LaterFreezeIsNumberedAfterExistingUnits) {
  batch_.state = BatchState::kCryopreserved;
  existing_ = {Stored(1, 10'000'000, At(1, 1)), Stored(4, 10'000'000, At(1, 2))};
  existing_[1].state = UnitState::kDisposed;
  existing_[1].position.reset();
  storage_.occupied = {"LN2-A/R1/B1/A1"};
  absl::StatusOr<FreezeDecision> d = Freeze(Plan({{.cells = 5'000'000, .volume_ml = 1,
                                                   .position = At(2, 1)}}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kCryopreserved);
  ASSERT_THAT(d->units, SizeIs(1));
  EXPECT_EQ(d->units[0].sequence, 5);
  EXPECT_EQ(d->units[0].unit_id, "A9999260000018-05");
}

TEST_F(UnitStepsTest, FreezeCannotExceedTheCellsAvailable) {
  // Exactly what the harvest gave.
  EXPECT_TRUE(Freeze(Plan({{.cells = 50'000'000, .volume_ml = 1, .position = At(1, 1)},
                           {.cells = 40'000'000, .volume_ml = 1, .position = At(1, 2)}}))
                  .ok());
  absl::Status status =
      Freeze(Plan({{.cells = 50'000'000, .volume_ml = 1, .position = At(1, 1)},
                   {.cells = 40'000'001, .volume_ml = 1, .position = At(1, 2)}}))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("units: 2 units hold 9e+07"));
  EXPECT_THAT(status.message(), HasSubstr("9e+07 viable cells the batch had available"));
}

TEST_F(UnitStepsTest, UnitsFrozenEarlierReduceWhatIsAvailable) {
  batch_.state = BatchState::kCryopreserved;
  existing_ = {Stored(1, 60'000'000, At(1, 1))};
  storage_.occupied = {"LN2-A/R1/B1/A1"};
  EXPECT_TRUE(
      Freeze(Plan({{.cells = 30'000'000, .volume_ml = 1, .position = At(1, 2)}})).ok());
  absl::Status status =
      Freeze(Plan({{.cells = 30'000'001, .volume_ml = 1, .position = At(1, 2)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("3e+07 viable cells"));
}

TEST_F(UnitStepsTest, FreezeWithoutACountIsRefused) {
  records_.clear();
  absl::Status status =
      Freeze(Plan({{.cells = 1, .volume_ml = 1, .position = At(1, 1)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no cell count"));
}

TEST_F(UnitStepsTest, FreezeOnlyFromCultureOrCryopreserved) {
  const FreezePlan plan = Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)}});
  for (BatchState s : {BatchState::kRegistered, BatchState::kTissueReceived,
                       BatchState::kQuarantined, BatchState::kRejected, BatchState::kDisposed}) {
    batch_.state = s;
    absl::Status status = Freeze(plan).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("cannot freeze units"));
    EXPECT_THAT(status.message(), HasSubstr(BatchStateName(s)));
  }
}

TEST_F(UnitStepsTest, FreezePlanFieldsAreValidated) {
  struct Case {
    void (*edit)(FreezePlan&);
    absl::StatusCode code;
    const char* text;
  };
  const Case cases[] = {
      {[](FreezePlan& p) { p.kind = UnitKind::kUnspecified; },
       absl::StatusCode::kInvalidArgument, "kind must be VIAL or BAG"},
      {[](FreezePlan& p) { p.units.clear(); }, absl::StatusCode::kInvalidArgument,
       "units: freeze 1 to 200 units, got 0"},
      {[](FreezePlan& p) { p.frozen_at = kNow + absl::Hours(1); },
       absl::StatusCode::kInvalidArgument, "frozen_at"},
      {[](FreezePlan& p) { p.freezing_medium = ""; }, absl::StatusCode::kInvalidArgument,
       "freezing_medium: required"},
      {[](FreezePlan& p) { p.medium_lot = ""; }, absl::StatusCode::kInvalidArgument,
       "medium_lot: required"},
      {[](FreezePlan& p) { p.freezer_program = ""; }, absl::StatusCode::kInvalidArgument,
       "freezer_program: required"},
      {[](FreezePlan& p) { p.medium_lot = "NOPE"; }, absl::StatusCode::kNotFound,
       "medium_lot: reagent lot \"NOPE\" is not registered"},
      {[](FreezePlan& p) { p.medium_lot = "CS10-OLD"; }, absl::StatusCode::kFailedPrecondition,
       "medium_lot: reagent lot CS10-OLD"},
      {[](FreezePlan& p) { p.freezer_id = "CRF-99"; }, absl::StatusCode::kNotFound,
       "freezer_id: equipment \"CRF-99\" is not registered"},
      {[](FreezePlan& p) { p.freezer_id = "INC-01"; }, absl::StatusCode::kFailedPrecondition,
       "freezer_id"},
      {[](FreezePlan& p) { p.units[0].cells = 0; }, absl::StatusCode::kInvalidArgument,
       "units[0].cells"},
      {[](FreezePlan& p) { p.units[1].volume_ml = 0; }, absl::StatusCode::kInvalidArgument,
       "units[1].volume_ml"},
  };
  for (const Case& c : cases) {
    FreezePlan plan = Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)},
                            {.cells = 1'000'000, .volume_ml = 1, .position = At(1, 2)}});
    c.edit(plan);
    absl::Status status = Freeze(plan).status();
    EXPECT_EQ(status.code(), c.code) << c.text << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr(c.text));
  }
}

TEST_F(UnitStepsTest, ExpiredMediumLotIsRefusedOnlyAfterItsLastDay) {
  FreezePlan plan = Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)}});
  plan.medium_lot = "CS10-OLD";  // last day of use 2026-03-09; frozen on 03-10
  absl::Status status = Freeze(plan).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("expired"));
  resources_.lots["CS10-OLD"].expiry_day = absl::CivilDay(2026, 3, 10);
  EXPECT_TRUE(Freeze(plan).ok());
}

TEST_F(UnitStepsTest, FreezerIsOptional) {
  FreezePlan plan = Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)}});
  plan.freezer_id = "";
  absl::StatusOr<FreezeDecision> d = Freeze(plan);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->units[0].freezer_id, "");
}

TEST_F(UnitStepsTest, PositionMustBeInARegisteredBoxInsideItsGrid) {
  absl::Status status = Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1,
                                      .position = At("LN2-A/R9/B1", 1, 1)}}))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("units[0].position: box LN2-A/R9/B1 is not registered"));

  status = Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(10, 1)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("units[0].position"));
  EXPECT_THAT(status.message(), HasSubstr("outside box"));

  status = Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 10)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(UnitStepsTest, PositionMustBeInACryogenicTank) {
  absl::Status status = Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1,
                                      .position = At("FRIDGE/R1/B1", 1, 1)}}))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("units[0].position: tank FRIDGE is REFRIGERATED"));
  EXPECT_THAT(status.message(), HasSubstr("LN2_VAPOUR or LN2_LIQUID"));

  storage_.tanks["FRIDGE"].temperature_class = TemperatureClass::kUltraLow;
  EXPECT_EQ(Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1,
                          .position = At("FRIDGE/R1/B1", 1, 1)}}))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(UnitStepsTest, BoxWhoseTankIsUnknownIsNotTakenForCryogenic) {
  storage_.tanks.erase("LN2-A");
  absl::Status status =
      Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("units[0].position: tank LN2-A"));
  EXPECT_THAT(status.message(), HasSubstr("not registered"));
}

TEST_F(UnitStepsTest, PositionMustBeFreeAndDistinctWithinTheRequest) {
  storage_.occupied = {"LN2-A/R1/B1/A1"};
  absl::Status status =
      Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(1, 1)}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              HasSubstr("units[0].position: position LN2-A/R1/B1/A1 already holds a unit"));

  status = Freeze(Plan({{.cells = 1'000'000, .volume_ml = 1, .position = At(2, 2)},
                        {.cells = 1'000'000, .volume_ml = 1, .position = At(2, 2)}}))
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("units[1].position"));
  EXPECT_THAT(status.message(), HasSubstr("B2 already holds a unit"));
}

// --- Moving -------------------------------------------------------------------------------

TEST_F(UnitStepsTest, MoveRecordsFromAndTo) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(1, 1'000'000, At(1, 1));
  storage_.occupied = {"LN2-A/R1/B1/A1"};
  absl::StatusOr<UnitEvent> e = DecideMove(batch_, unit, At("LN2-L/R1/B1", 2, 3),
                                           kNow - absl::Hours(1), "tank maintenance", storage_,
                                           ctx_);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->unit_id, "A9999260000018-01");
  EXPECT_EQ(e->kind, UnitEventKind::kMoved);
  EXPECT_EQ(e->from_state, UnitState::kStored);
  EXPECT_EQ(e->to_state, UnitState::kStored);
  ASSERT_TRUE(e->from_position.has_value());
  EXPECT_EQ(e->from_position->Label(), "LN2-A/R1/B1/A1");
  ASSERT_TRUE(e->to_position.has_value());
  EXPECT_EQ(e->to_position->Label(), "LN2-L/R1/B1/B3");
  EXPECT_EQ(e->at, kNow - absl::Hours(1));
  EXPECT_EQ(e->by, "tanaka");
  EXPECT_EQ(e->reason, "tank maintenance");
}

TEST_F(UnitStepsTest, MoveRefusesUnitsThatAreNotStored) {
  batch_.state = BatchState::kCryopreserved;
  for (UnitState s : {UnitState::kQuarantined, UnitState::kDisposed, UnitState::kThawed,
                      UnitState::kInfused}) {
    Unit unit = Stored(1, 1'000'000, At(1, 1));
    unit.state = s;
    absl::Status status =
        DecideMove(batch_, unit, At(2, 2), kNow, "", storage_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << UnitStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("cannot move unit A9999260000018-01"));
    EXPECT_THAT(status.message(), HasSubstr(UnitStateName(s)));
  }
}

TEST_F(UnitStepsTest, MoveAndThawAreRefusedWhileTheBatchIsQuarantinedOrRejected) {
  for (BatchState s : {BatchState::kQuarantined, BatchState::kRejected, BatchState::kDisposed}) {
    batch_.state = s;
    const Unit unit = Stored(1, 1'000'000, At(1, 1));
    absl::Status status =
        DecideMove(batch_, unit, At(2, 2), kNow, "", storage_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("move or thaw a unit"));
    status = DecideThaw(batch_, unit, Thaw(10'000'000, 9'000'000), product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr(BatchStateName(s)));
  }
}

TEST_F(UnitStepsTest, MoveChecksTheTargetAndTheTime) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(1, 1'000'000, At(1, 1));
  storage_.occupied = {"LN2-A/R1/B1/A1", "LN2-A/R1/B1/A2"};

  absl::Status status = DecideMove(batch_, unit, At(1, 1), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("already at LN2-A/R1/B1/A1"));

  status = DecideMove(batch_, unit, At(1, 2), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("to: position LN2-A/R1/B1/A2 already holds a unit"));

  status = DecideMove(batch_, unit, At("FRIDGE/R1/B1", 1, 1), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("REFRIGERATED"));

  status = DecideMove(batch_, unit, At(12, 1), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("outside"));

  status = DecideMove(batch_, unit, At("X/Y/Z", 1, 1), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);

  status = DecideMove(batch_, unit, At(3, 3), kFrozen - absl::Minutes(1), "", storage_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("moved_at"));
  EXPECT_THAT(status.message(), HasSubstr("freeze"));

  status = DecideMove(batch_, unit, At(3, 3), kNow + absl::Hours(1), "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("moved_at"));
}

// --- Thawing -------------------------------------------------------------------------------

TEST_F(UnitStepsTest, ThawComputesViabilityAndRecordsTheEvent) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  absl::StatusOr<ThawDecision> d =
      DecideThaw(batch_, unit, Thaw(10'000'000, 9'000'000), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_DOUBLE_EQ(d->thaw.viability_percent, 90.0);
  EXPECT_EQ(d->thaw.total_cells, 10'000'000);
  EXPECT_EQ(d->event.kind, UnitEventKind::kThawed);
  EXPECT_EQ(d->event.unit_id, "A9999260000018-02");
  EXPECT_EQ(d->event.from_state, UnitState::kStored);
  EXPECT_EQ(d->event.to_state, UnitState::kThawed);
  ASSERT_TRUE(d->event.from_position.has_value());
  EXPECT_EQ(d->event.from_position->Label(), "LN2-A/R1/B1/A1");
  EXPECT_FALSE(d->event.to_position.has_value());
  EXPECT_EQ(d->event.at, kNow - absl::Hours(1));
  EXPECT_EQ(d->event.by, "tanaka");
  EXPECT_FALSE(d->effects.new_state.has_value());
  EXPECT_THAT(d->effects.deviations_to_open, IsEmpty());
}

TEST_F(UnitStepsTest, LowPostThawViabilityOpensAnOosDeviation) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  absl::StatusOr<ThawDecision> d =
      DecideThaw(batch_, unit, Thaw(10'000'000, 6'500'000), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_DOUBLE_EQ(d->thaw.viability_percent, 65.0);
  EXPECT_FALSE(d->effects.new_state.has_value());  // a deviation, not a quarantine
  ASSERT_THAT(d->effects.deviations_to_open, SizeIs(1));
  const Deviation& dev = d->effects.deviations_to_open[0];
  EXPECT_EQ(dev.kind, DeviationKind::kOutOfSpecification);
  EXPECT_EQ(dev.unit_id, "A9999260000018-02");
  EXPECT_EQ(dev.opened_by, "tanaka");
  EXPECT_EQ(dev.opened_at, kNow);
  EXPECT_THAT(dev.description, HasSubstr("unit A9999260000018-02 post-thaw"));
  EXPECT_THAT(dev.description, HasSubstr("viability 65% is below the minimum 70%"));

  // 70 % is within the specification.
  d = DecideThaw(batch_, unit, Thaw(10'000'000, 7'000'000), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(d->effects.deviations_to_open, IsEmpty());
}

TEST_F(UnitStepsTest, ThawUsesThePostThawMinimum) {
  batch_.state = BatchState::kCryopreserved;
  product_.qc.min_viability_percent = 90;
  product_.qc.min_post_thaw_viability_percent = 60;
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  absl::StatusOr<ThawDecision> d =
      DecideThaw(batch_, unit, Thaw(10'000'000, 6'500'000), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(d->effects.deviations_to_open, IsEmpty());
  product_.qc.min_post_thaw_viability_percent = 80;
  d = DecideThaw(batch_, unit, Thaw(10'000'000, 7'500'000), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_THAT(d->effects.deviations_to_open, SizeIs(1));
  EXPECT_THAT(d->effects.deviations_to_open[0].description, HasSubstr("minimum 80%"));
}

TEST_F(UnitStepsTest, ThawChecksTheCounts) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  struct Case {
    ThawResult thaw;
    const char* field;
  };
  const Case cases[] = {
      {Thaw(0, 0), "post_thaw.total_cells"},
      {Thaw(10'000'000, 0), "post_thaw.viable_cells"},
      {Thaw(10'000'000, 11'000'000), "post_thaw.viable_cells (1.1e+07) exceeds post_thaw.total_cells"},
      {Thaw(10'000'000, 9'000'000, 80), "post_thaw.viability_percent"},
  };
  for (const Case& c : cases) {
    absl::Status status = DecideThaw(batch_, unit, c.thaw, product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
  // A given viability within 1 point of the counts is kept.
  absl::StatusOr<ThawDecision> d =
      DecideThaw(batch_, unit, Thaw(10'000'000, 9'000'000, 90.5), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_DOUBLE_EQ(d->thaw.viability_percent, 90.5);
}

TEST_F(UnitStepsTest, ThawTimeIsAfterTheFreezeAndNotInTheFuture) {
  batch_.state = BatchState::kCryopreserved;
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  ThawResult t = Thaw(10'000'000, 9'000'000);
  t.thawed_at = kFrozen - absl::Hours(1);
  absl::Status status = DecideThaw(batch_, unit, t, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("thawed_at"));
  t.thawed_at = kNow + absl::Hours(1);
  status = DecideThaw(batch_, unit, t, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("thawed_at"));
}

TEST_F(UnitStepsTest, ThawRefusesUnitsThatAreNotStored) {
  batch_.state = BatchState::kCryopreserved;
  for (UnitState s : {UnitState::kQuarantined, UnitState::kDisposed, UnitState::kThawed,
                      UnitState::kInfused}) {
    Unit unit = Stored(1, 1'000'000, At(1, 1));
    unit.state = s;
    absl::Status status =
        DecideThaw(batch_, unit, Thaw(10'000'000, 9'000'000), product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << UnitStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("cannot thaw unit"));
    EXPECT_THAT(status.message(), HasSubstr(UnitStateName(s)));
  }
  Unit held = Stored(1, 1'000'000, At(1, 1));
  held.state = UnitState::kQuarantined;
  EXPECT_THAT(DecideThaw(batch_, held, Thaw(10'000'000, 9'000'000), product_, ctx_)
                  .status()
                  .message(),
              HasSubstr("quarantined or rejected"));
}

// --- Fresh units ---------------------------------------------------------------------------

class FreshUnitsTest : public UnitStepsTest {
 protected:
  FormulatePlan Fresh(std::vector<FreshUnitSpec> units,
                      absl::Time formulated_at = kHarvest + absl::Hours(1)) const {
    FormulatePlan p;
    p.formulated_at = formulated_at;
    p.medium = "Plasma-Lyte A + 2% HSA";
    p.medium_lot = "CS10-01";
    p.units = std::move(units);
    return p;
  }
  absl::StatusOr<FormulateDecision> Formulate(const FormulatePlan& plan) {
    return DecideFormulate(batch_, BatchHistory(records_), existing_, plan, product_, resources_,
                           ctx_);
  }
  // A fresh bag of this batch as formulated at `at`, held.
  Unit Held(int sequence, int64_t cells, absl::Time at) {
    Unit u = Stored(sequence, cells, At(1, 1), at);
    u.kind = UnitKind::kBag;
    u.position.reset();
    u.expires_at = at + absl::Hours(48);
    return u;
  }
};

TEST_F(FreshUnitsTest, FormulatedBagsExpireAfterTheProductsFreshShelfLife) {
  const absl::Time at = kHarvest + absl::Hours(1);
  absl::StatusOr<FormulateDecision> d =
      Formulate(Fresh({{.cells = 60'000'000, .volume_ml = 50}}, at));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kFormulated);
  ASSERT_THAT(d->units, SizeIs(1));
  const Unit& u = d->units[0];
  EXPECT_EQ(u.unit_id, "A9999260000018-01");
  EXPECT_EQ(u.patient_id, "PT-0001");
  EXPECT_EQ(u.kind, UnitKind::kBag);
  EXPECT_EQ(u.cells, 60'000'000);
  EXPECT_EQ(u.volume_ml, 50);
  EXPECT_EQ(u.freezing_medium, "Plasma-Lyte A + 2% HSA");
  EXPECT_EQ(u.medium_lot, "CS10-01");
  EXPECT_EQ(u.freezer_program, "");
  EXPECT_EQ(u.frozen_at, at);
  EXPECT_EQ(u.frozen_by, "tanaka");
  EXPECT_EQ(u.state, UnitState::kStored);
  EXPECT_FALSE(u.position.has_value());
  ASSERT_TRUE(u.fresh());
  EXPECT_EQ(*u.expires_at, at + absl::Hours(48));
  EXPECT_FALSE(u.ExpiredAt(at + absl::Hours(48) - absl::Seconds(1)));
  EXPECT_TRUE(u.ExpiredAt(at + absl::Hours(48)));

  // The product's setting, not a constant.
  product_.fresh_shelf_life = absl::Hours(24);
  d = Formulate(Fresh({{.cells = 60'000'000, .volume_ml = 50}}, at));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d->units[0].expires_at, at + absl::Hours(24));
}

TEST_F(FreshUnitsTest, FormulationCannotExceedTheCellsAvailable) {
  EXPECT_TRUE(Formulate(Fresh({{.cells = 50'000'000, .volume_ml = 50},
                               {.cells = 40'000'000, .volume_ml = 50}}))
                  .ok());
  absl::Status status = Formulate(Fresh({{.cells = 50'000'000, .volume_ml = 50},
                                         {.cells = 40'000'001, .volume_ml = 50}}))
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("units: 2 units hold 9e+07"));
  EXPECT_THAT(status.message(), HasSubstr("available when formulated"));

  // Units frozen since the count are no longer available, and the other way round.
  batch_.state = BatchState::kCryopreserved;
  existing_ = {Stored(1, 60'000'000, At(1, 1))};
  EXPECT_TRUE(Formulate(Fresh({{.cells = 30'000'000, .volume_ml = 50}}, kFrozen)).ok());
  status = Formulate(Fresh({{.cells = 30'000'001, .volume_ml = 50}}, kFrozen)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("3e+07 viable cells"));

  batch_.state = BatchState::kFormulated;
  existing_ = {Held(1, 60'000'000, kHarvest + absl::Hours(1))};
  status = Freeze(Plan({{.cells = 30'000'001, .volume_ml = 1, .position = At(1, 2)}})).status();
  EXPECT_THAT(status.message(), HasSubstr("3e+07 viable cells"));
  absl::StatusOr<FreezeDecision> frozen =
      Freeze(Plan({{.cells = 30'000'000, .volume_ml = 1, .position = At(1, 2)}}));
  ASSERT_TRUE(frozen.ok()) << frozen.status();
  EXPECT_EQ(frozen->new_state, BatchState::kCryopreserved);  // units now in storage
  EXPECT_EQ(frozen->units[0].unit_id, "A9999260000018-02");
}

TEST_F(FreshUnitsTest, FormulationWithoutACountIsRefused) {
  records_.clear();
  absl::Status status = Formulate(Fresh({{.cells = 1, .volume_ml = 1}})).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no cell count"));
}

TEST_F(FreshUnitsTest, FormulationOnlyAtTheEndOfTheCulture) {
  const FormulatePlan plan = Fresh({{.cells = 1'000'000, .volume_ml = 50}});
  for (BatchState s : {BatchState::kFormulated, BatchState::kCryopreserved}) {
    batch_.state = s;
    absl::StatusOr<FormulateDecision> d = Formulate(plan);
    ASSERT_TRUE(d.ok()) << BatchStateName(s) << ": " << d.status();
    EXPECT_EQ(d->new_state, s);
  }
  for (BatchState s : {BatchState::kRegistered, BatchState::kTissueReceived,
                       BatchState::kReleased, BatchState::kQuarantined, BatchState::kRejected,
                       BatchState::kDisposed}) {
    batch_.state = s;
    absl::Status status = Formulate(plan).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(s);
    EXPECT_THAT(status.message(), HasSubstr("cannot formulate fresh units"));
  }
}

TEST_F(FreshUnitsTest, FormulatePlanFieldsAreValidated) {
  struct Case {
    void (*edit)(FormulatePlan&);
    absl::StatusCode code;
    const char* text;
  };
  const Case cases[] = {
      {[](FormulatePlan& p) { p.units.clear(); }, absl::StatusCode::kInvalidArgument,
       "units: formulate 1 to 200 units, got 0"},
      {[](FormulatePlan& p) { p.formulated_at = kNow + absl::Hours(1); },
       absl::StatusCode::kInvalidArgument, "formulated_at"},
      {[](FormulatePlan& p) { p.formulated_at = absl::InfinitePast(); },
       absl::StatusCode::kInvalidArgument, "formulated_at"},
      {[](FormulatePlan& p) { p.medium = ""; }, absl::StatusCode::kInvalidArgument,
       "medium: required"},
      {[](FormulatePlan& p) { p.medium_lot = ""; }, absl::StatusCode::kInvalidArgument,
       "medium_lot: required"},
      {[](FormulatePlan& p) { p.medium_lot = "NOPE"; }, absl::StatusCode::kNotFound,
       "medium_lot: reagent lot \"NOPE\" is not registered"},
      {[](FormulatePlan& p) { p.medium_lot = "CS10-OLD"; }, absl::StatusCode::kFailedPrecondition,
       "medium_lot: reagent lot CS10-OLD"},
      {[](FormulatePlan& p) { p.units[0].cells = 0; }, absl::StatusCode::kInvalidArgument,
       "units[0].cells"},
      {[](FormulatePlan& p) { p.units[1].volume_ml = 0; }, absl::StatusCode::kInvalidArgument,
       "units[1].volume_ml"},
  };
  for (const Case& c : cases) {
    FormulatePlan plan =
        Fresh({{.cells = 1'000'000, .volume_ml = 50}, {.cells = 1'000'000, .volume_ml = 50}});
    c.edit(plan);
    absl::Status status = Formulate(plan).status();
    EXPECT_EQ(status.code(), c.code) << c.text << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr(c.text));
  }
}

TEST_F(FreshUnitsTest, AFormulationRecordedLateIsKeptThoughItsBagsHaveExpired) {
  // Entered 72 h after the fact: on record as done, already out of date.
  absl::StatusOr<FormulateDecision> d =
      Formulate(Fresh({{.cells = 10'000'000, .volume_ml = 50}}, kNow - absl::Hours(72)));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->units[0].ExpiredAt(kNow));
}

TEST_F(FreshUnitsTest, FreshUnitsAreNeitherMovedNorThawedButAreDisposedOf) {
  batch_.state = BatchState::kFormulated;
  const Unit bag = Held(1, 10'000'000, kHarvest + absl::Hours(1));
  // Also once frozen units of the same batch are in storage.
  for (BatchState s : {BatchState::kFormulated, BatchState::kCryopreserved}) {
    batch_.state = s;
    absl::Status status =
        DecideThaw(batch_, bag, Thaw(10'000'000, 9'000'000), product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(status.message(),
                HasSubstr("cannot thaw unit A9999260000018-01: it is a fresh"));
  }
  absl::Status status;
  status = DecideMove(batch_, bag, At(2, 2), kNow, "", storage_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("cannot move unit A9999260000018-01: it is a fresh"));

  batch_.state = BatchState::kFormulated;
  absl::StatusOr<UnitEvent> disposed = DecideDisposeUnit(batch_, bag, "expired unused", ctx_);
  ASSERT_TRUE(disposed.ok()) << disposed.status();
  EXPECT_EQ(disposed->to_state, UnitState::kDisposed);
}

// --- Disposal ------------------------------------------------------------------------------

TEST_F(UnitStepsTest, DisposeUnitFromEveryUsableOrHeldState) {
  for (BatchState bs :
       {BatchState::kCryopreserved, BatchState::kQuarantined, BatchState::kRejected}) {
    batch_.state = bs;
    for (UnitState us : {UnitState::kStored, UnitState::kThawed, UnitState::kQuarantined}) {
      Unit unit = Stored(1, 1'000'000, At(1, 1));
      unit.state = us;
      absl::StatusOr<UnitEvent> e = DecideDisposeUnit(batch_, unit, "QA: reject", ctx_);
      ASSERT_TRUE(e.ok()) << BatchStateName(bs) << "/" << UnitStateName(us) << ": " << e.status();
      EXPECT_EQ(e->kind, UnitEventKind::kDisposed);
      EXPECT_EQ(e->from_state, us);
      EXPECT_EQ(e->to_state, UnitState::kDisposed);
      EXPECT_EQ(e->reason, "QA: reject");
      EXPECT_EQ(e->by, "tanaka");
      EXPECT_EQ(e->at, kNow);
    }
  }
}

TEST_F(UnitStepsTest, DisposeUnitNeedsAReasonAndAUnitStillHeld) {
  batch_.state = BatchState::kCryopreserved;
  Unit unit = Stored(1, 1'000'000, At(1, 1));
  absl::Status status = DecideDisposeUnit(batch_, unit, "", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("reason"));
  for (UnitState s : {UnitState::kDisposed, UnitState::kInfused}) {
    unit.state = s;
    status = DecideDisposeUnit(batch_, unit, "x", ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(status.message(), HasSubstr("cannot dispose of unit"));
  }
  batch_.state = BatchState::kDisposed;
  unit.state = UnitState::kStored;
  EXPECT_EQ(DecideDisposeUnit(batch_, unit, "x", ctx_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(UnitStepsTest, DisposeBatchDisposesEveryUnitNotDisposedOrInfused) {
  for (BatchState s :
       {BatchState::kCryopreserved, BatchState::kQuarantined, BatchState::kRejected}) {
    batch_.state = s;
    std::vector<Unit> units;
    for (UnitState us : {UnitState::kStored, UnitState::kThawed, UnitState::kQuarantined,
                         UnitState::kDisposed, UnitState::kInfused}) {
      units.push_back(Stored(static_cast<int>(units.size()) + 1, 1'000'000, At(1, 1)));
      units.back().state = us;
    }
    absl::StatusOr<BatchEffects> e = DecideDisposeBatch(batch_, units, "patient withdrew", ctx_);
    ASSERT_TRUE(e.ok()) << BatchStateName(s) << ": " << e.status();
    ASSERT_TRUE(e->new_state.has_value());
    EXPECT_EQ(*e->new_state, BatchState::kDisposed);
    ASSERT_THAT(e->unit_changes, SizeIs(3));
    EXPECT_EQ(e->unit_changes[0].unit_id, "A9999260000018-01");
    EXPECT_EQ(e->unit_changes[0].from, UnitState::kStored);
    EXPECT_EQ(e->unit_changes[1].from, UnitState::kThawed);
    EXPECT_EQ(e->unit_changes[2].unit_id, "A9999260000018-03");
    EXPECT_EQ(e->unit_changes[2].from, UnitState::kQuarantined);
    for (const UnitChange& c : e->unit_changes) {
      EXPECT_EQ(c.event, UnitEventKind::kDisposed);
      EXPECT_EQ(c.to, UnitState::kDisposed);
    }
  }
}

TEST_F(UnitStepsTest, DisposeBatchNeedsAReasonAndIsDoneOnce) {
  batch_.state = BatchState::kInCulture;
  absl::StatusOr<BatchEffects> e = DecideDisposeBatch(batch_, {}, "contaminated flask", ctx_);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(*e->new_state, BatchState::kDisposed);
  EXPECT_THAT(e->unit_changes, IsEmpty());

  absl::Status status = DecideDisposeBatch(batch_, {}, "", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("reason"));

  batch_.state = BatchState::kDisposed;
  status = DecideDisposeBatch(batch_, {}, "again", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("DISPOSED"));
}

// --- Late entries --------------------------------------------------------------------------
// A freeze, formulation or thaw written down more than the product's
// max_entry_delay (24 h) after it happened needs a reason; exactly 24 h is on time.

class LateUnitEntryTest : public UnitStepsTest {
 protected:
  LateUnitEntryTest() {
    ctx_.late_entry_reason.clear();
    batch_.state = BatchState::kCryopreserved;
  }
  ThawResult ThawAt(absl::Time at) {
    ThawResult t = Thaw(10'000'000, 9'000'000);
    t.thawed_at = at;
    return t;
  }
};

TEST_F(LateUnitEntryTest, ThawExactly24hAgoIsOnTime) {
  absl::StatusOr<ThawDecision> d = DecideThaw(batch_, Stored(2, 10'000'000, At(1, 1)),
                                              ThawAt(kNow - absl::Hours(24)), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->late_entry.has_value());
}

TEST_F(LateUnitEntryTest, ThawOneMinuteMoreIsRefusedWithoutAReasonAndKeptWithOne) {
  const Unit unit = Stored(2, 10'000'000, At(1, 1));
  const absl::Time thawed = kNow - absl::Hours(24) - absl::Minutes(1);
  absl::Status s = DecideThaw(batch_, unit, ThawAt(thawed), product_, ctx_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required: thawed_at " +
                                     FormatUtc(thawed) + " is recorded at " + FormatUtc(kNow)));

  ctx_.late_entry_reason = "thaw sheet entered the next day";
  absl::StatusOr<ThawDecision> d = DecideThaw(batch_, unit, ThawAt(thawed), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(d->late_entry.has_value());
  EXPECT_EQ(d->late_entry->resource, "units/A9999260000018-02/thaw");
  EXPECT_EQ(d->late_entry->field, "thawed_at");
  EXPECT_EQ(d->late_entry->event_time, thawed);
  EXPECT_EQ(d->late_entry->recorded_by, "tanaka");
  EXPECT_EQ(d->late_entry->reason, "thaw sheet entered the next day");
}

TEST_F(LateUnitEntryTest, ALateFreezeNeedsAReasonAndKeepsItWithEveryUnit) {
  batch_.state = BatchState::kInCulture;
  const FreezePlan plan =
      Plan({{.cells = 10'000'000, .volume_ml = 1, .position = At(1, 1)},
            {.cells = 10'000'000, .volume_ml = 1, .position = At(1, 2)}});
  absl::Status s = Freeze(plan).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required: frozen_at " +
                                     FormatUtc(kFrozen)));

  ctx_.late_entry_reason = "cryo log transcribed after the freezer alarm night";
  absl::StatusOr<FreezeDecision> d = Freeze(plan);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_THAT(d->late_entries, SizeIs(2));
  EXPECT_EQ(d->late_entries[0].resource, "units/" + d->units[0].unit_id);
  EXPECT_EQ(d->late_entries[1].resource, "units/" + d->units[1].unit_id);
  EXPECT_EQ(d->late_entries[0].field, "frozen_at");
  EXPECT_EQ(d->late_entries[0].event_time, kFrozen);
}

}  // namespace
}  // namespace cpctrack::domain
