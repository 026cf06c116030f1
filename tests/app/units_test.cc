// Units' writes on a real SQLite file: a unit disposed of is stored with its
// event and audit entry; a disposal without a reason, or a freeze in a
// medium lot still in quarantine, writes nothing.
#include "app/units.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class UnitsTest : public testing::AppTest {
 protected:
  // A cryopreserved batch with one vial in storage.
  void SetUp() override {
    AppTest::SetUp();
    SeedReferenceData();
    AddStaff();
    batch_ = AddBatch(1, "P-001", domain::BatchState::kCryopreserved);
    domain::Unit u;
    u.sequence = 1;
    u.unit_id = domain::UnitId(batch_.batch_id, 1);
    u.batch_id = batch_.batch_id.compact();
    u.patient_id = "P-001";
    u.kind = domain::UnitKind::kVial;
    u.cells = 60'000'000;
    u.volume_ml = 1.5;
    u.freezing_medium = "CryoStor CS10";
    u.medium_lot = "MED-1";
    u.freezer_program = "-1C/min to -90C";
    u.frozen_at = T(10);
    u.frozen_by = "tech.ito";
    u.frozen_expires_at = T(10) + absl::Hours(365 * 24);
    MustWrite([&](store::Transaction& tx) { return tx.InsertUnit(u); });
    unit_id_ = u.unit_id;
  }

  domain::Batch batch_{.batch_id = store::testing::SampleDin(1)};
  std::string unit_id_;
};

TEST_F(UnitsTest, AUnitDisposedOfIsStoredWithItsEventAndAuditEntry) {
  absl::StatusOr<UnitWrite> disposed;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    disposed = DisposeUnit(tx, Context(T(100), "tech.ito", "req-dispose"), unit_id_,
                           "bag cracked in transport");
    return disposed.status();
  });
  ASSERT_TRUE(disposed.ok()) << disposed.status();
  EXPECT_EQ(disposed->unit.state, domain::UnitState::kDisposed);
  EXPECT_EQ(disposed->product.product_code, batch_.product_code);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "unit.dispose");
  EXPECT_EQ(audit[0].actor, "tech.ito");
  EXPECT_EQ(audit[0].resource, "units/" + unit_id_);
  EXPECT_EQ(audit[0].reason, "bag cracked in transport");
  EXPECT_EQ(audit[0].at, T(100));
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::UnitEvent>> events = tx.LoadUnitEvents(unit_id_);
    if (!events.ok()) return events.status();
    EXPECT_EQ(events->back().kind, domain::UnitEventKind::kDisposed);
    return absl::OkStatus();
  }));
}

TEST_F(UnitsTest, ADisposalWithoutAReasonIsRefusedAndWritesNothing) {
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return DisposeUnit(tx, Context(T(100), "tech.ito", "req-dispose"), unit_id_, "").status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
  EXPECT_TRUE(Audit().empty());
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Unit> unit = tx.GetUnit(unit_id_);
    if (!unit.ok()) return unit.status();
    EXPECT_EQ(unit->state, domain::UnitState::kStored);
    return absl::OkStatus();
  }));
}

TEST_F(UnitsTest, AFreezeInAMediumLotQaHasNotAcceptedIsRefusedAndWritesNothing) {
  Qualify("tech.ito", domain::Procedure::kFreezing);
  domain::FreezePlan plan;
  plan.kind = domain::UnitKind::kVial;
  plan.frozen_at = T(90);
  plan.freezing_medium = "CryoStor CS10";
  plan.medium_lot = "MED-1";  // seeded in QUARANTINE
  plan.freezer_program = "-1C/min to -90C";
  plan.units.push_back({1'000'000, 1.5, domain::Position{"BOX-1", 1, 1}});
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return FreezeUnits(tx, Context(T(100), "tech.ito", "req-freeze"), batch_.batch_id, plan)
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("MED-1"), std::string::npos) << refused;
  EXPECT_NE(refused.message().find("QUARANTINE"), std::string::npos) << refused;
  EXPECT_TRUE(Audit().empty());
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Unit>> units = tx.LoadUnits(batch_.batch_id);
    if (!units.ok()) return units.status();
    EXPECT_EQ(units->size(), 1u);  // the vial made before
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::app
