// Units as stored: frozen and fresh ones, their first events, and migration 6
// (fresh units' expiry, the FORMULATED event) over a file that has units.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/units.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/schema.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::RawConnection;
using testing::StoreTest;
using testing::T;
using testing::TempDir;

class UnitQueriesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    batch_ = AddBatch(1, "P-001", domain::BatchState::kInCulture);
  }

  domain::Unit Fresh(int sequence) const {
    domain::Unit u;
    u.sequence = sequence;
    u.unit_id = domain::UnitId(batch_.batch_id, sequence);
    u.batch_id = batch_.batch_id.compact();
    u.patient_id = "P-001";
    u.kind = domain::UnitKind::kBag;
    u.cells = 60'000'000;
    u.volume_ml = 50;
    u.freezing_medium = "Plasma-Lyte A + 2% HSA";
    u.medium_lot = "MED-1";
    u.frozen_at = T(10);
    u.frozen_by = "tech.ito";
    u.expires_at = T(10) + absl::Hours(48);
    return u;
  }

  domain::Unit Frozen(int sequence) const {
    domain::Unit u = Fresh(sequence);
    u.kind = domain::UnitKind::kVial;
    u.volume_ml = 1.5;
    u.freezing_medium = "CryoStor CS10";
    u.freezer_program = "-1C/min to -90C";
    u.expires_at.reset();
    u.frozen_expires_at = T(10) + absl::Hours(365 * 24);
    return u;
  }

  domain::Batch batch_{.batch_id = testing::SampleDin(1)};
};

TEST_F(UnitQueriesTest, AFreshUnitKeepsItsExpiryAndStartsWithAFormulatedEvent) {
  MustWrite([&](Transaction& tx) { return tx.InsertUnit(Fresh(1)); });
  MustWrite([&](Transaction& tx) { return tx.InsertUnit(Frozen(2)); });
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Unit>> units = tx.LoadUnits(batch_.batch_id);
    if (!units.ok()) return units.status();
    EXPECT_EQ(units->size(), 2u);
    const domain::Unit& fresh = (*units)[0];
    EXPECT_TRUE(fresh.fresh());
    EXPECT_EQ(*fresh.expires_at, T(10) + absl::Hours(48));
    EXPECT_EQ(fresh.frozen_at, T(10));
    EXPECT_EQ(fresh.freezing_medium, "Plasma-Lyte A + 2% HSA");
    EXPECT_FALSE(fresh.position.has_value());
    EXPECT_EQ(fresh.state, domain::UnitState::kStored);
    EXPECT_FALSE((*units)[1].fresh());
    // A frozen unit's expiry is on record too (issue 12).
    EXPECT_EQ((*units)[1].frozen_expires_at, T(10) + absl::Hours(365 * 24));
    EXPECT_EQ((*units)[1].expiry(), T(10) + absl::Hours(365 * 24));

    absl::StatusOr<std::vector<domain::UnitEvent>> events = tx.LoadUnitEvents(fresh.unit_id);
    if (!events.ok()) return events.status();
    EXPECT_EQ(events->size(), 1u);
    EXPECT_EQ(events->at(0).kind, domain::UnitEventKind::kFormulated);
    EXPECT_EQ(events->at(0).to_state, domain::UnitState::kStored);
    EXPECT_EQ(events->at(0).at, T(10));
    events = tx.LoadUnitEvents((*units)[1].unit_id);
    if (!events.ok()) return events.status();
    EXPECT_EQ(events->at(0).kind, domain::UnitEventKind::kFrozen);
    return absl::OkStatus();
  }));
}

TEST_F(UnitQueriesTest, TheSchemaHoldsAnExpiryToItsUnitAndAfterItsFormulation) {
  MustWrite([&](Transaction& tx) { return tx.InsertUnit(Fresh(1)); });
  domain::Unit early = Fresh(2);
  early.expires_at = early.frozen_at;
  EXPECT_FALSE(store_->Write([&](Transaction& tx) { return tx.InsertUnit(early); }).ok());

  RawConnection raw(db_path_);
  const std::string id = domain::UnitId(batch_.batch_id, 1);
  EXPECT_NE(raw.Exec(absl::StrCat("UPDATE units SET expires_at = expires_at + 3600000000 "
                                  "WHERE unit_id = '", id, "'")),
            SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("never change"));
  MustWrite([&](Transaction& tx) { return tx.InsertUnit(Frozen(3)); });
  EXPECT_NE(raw.Exec(absl::StrCat("UPDATE units SET frozen_expires_at = frozen_expires_at + 1 "
                                  "WHERE unit_id = '", domain::UnitId(batch_.batch_id, 3), "'")),
            SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("expiry on record never changes"));
  // The rebuilt event table is append-only like the one it replaced.
  EXPECT_NE(raw.Exec("UPDATE unit_events SET reason = 'x'"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
  EXPECT_NE(raw.Exec("DELETE FROM unit_events"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
  EXPECT_NE(raw.Exec(absl::StrCat("INSERT INTO unit_events (unit_id, kind, from_state, to_state, "
                                  "at, recorded_at, recorded_by, reason) VALUES ('", id,
                                  "', 9, 1, 1, 0, 0, 'x', '')")),
            SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("CHECK"));
}

// A file as version 5 left it, with a unit that was frozen and thawed, is
// migrated with its events (IDs and all) and the thaw that points at one.
TEST(UnitMigrationTest, MigrationSixKeepsEveryUnitEventAndTheThawsThatPointAtThem) {
  TempDir dir;
  const std::string path = dir.File("v5.db");
  {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<int> version = MigrateTo(**db, 5);
    ASSERT_TRUE(version.ok()) << version.status();
    ASSERT_EQ(*version, 5);
    CPC_ASSERT_OK((*db)->Exec(R"sql(
      INSERT INTO products VALUES ('ADSC-STD', 1, 'ADSC', 172800, 5, 30.0, 0);
      INSERT INTO patients VALUES ('P-001', 0, 'x');
      INSERT INTO reagent_lots VALUES ('CS10-1', 'CryoStor CS10', 'BioLife', '2027-01-31', 0, 'x');
      INSERT INTO batches VALUES (1, 'A9999260000018', 'A9999', 26, 1, 'P-001', 'ADSC-STD', 1,
                                  4, 2, 0, 'x', 0);
      INSERT INTO units VALUES ('A9999260000018-01', 1, 1, 'P-001', 1, 30000000, 1.5,
                                'CryoStor CS10', 'CS10-1', '-1C/min', NULL, 10, 'x', 10, 2,
                                NULL, NULL);
      INSERT INTO unit_events VALUES (7, 'A9999260000018-01', 1, 0, 1, NULL, NULL, 10, 10, 'x', '');
      INSERT INTO unit_events VALUES (9, 'A9999260000018-01', 3, 1, 2, NULL, NULL, 20, 20, 'x', '');
      INSERT INTO unit_thaws VALUES ('A9999260000018-01', 9, 20, 30000000, 27000000, 90.0);
    )sql"));
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->schema_version(), LatestSchemaVersion());
  CPC_ASSERT_OK((*store)->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Unit> unit = tx.GetUnit("A9999260000018-01");
    if (!unit.ok()) return unit.status();
    EXPECT_FALSE(unit->fresh());
    EXPECT_TRUE(unit->thaw.has_value());
    absl::StatusOr<std::vector<domain::UnitEvent>> events = tx.LoadUnitEvents(unit->unit_id);
    if (!events.ok()) return events.status();
    EXPECT_EQ(events->size(), 2u);
    EXPECT_EQ(events->at(0).kind, domain::UnitEventKind::kFrozen);
    EXPECT_EQ(events->at(1).kind, domain::UnitEventKind::kThawed);
    return absl::OkStatus();
  }));
  store->reset();
  RawConnection raw(path);
  EXPECT_EQ(raw.QueryInt("SELECT group_concat(event_id) = '7,9' FROM unit_events"), 1);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM sqlite_temp_schema"), 0);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name IN "
                         "('unit_events_by_unit', 'unit_events_no_update', "
                         "'unit_events_no_delete', 'units_expiry_fixed')"),
            4);
}

}  // namespace
}  // namespace cpctrack::store
