// The application layer's inventory writes on a real SQLite file: products,
// lots with QA's signed decision, equipment and its upkeep.
#include "app/inventory.h"

#include <gtest/gtest.h>

#include "app/signatures.h"
#include "domain/audit.h"
#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class InventoryTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    // A signature names a user.
    const domain::User qa{"qa.tanaka", "Tanaka Yui", {domain::Role::kReviewer}, false, T(0),
                          "admin"};
    MustWrite([&](store::Transaction& tx) {
      return tx.InsertUser(qa, "$argon2id$v=19$m=8,t=1,p=1$no-login", "admin");
    });
  }
};

TEST_F(InventoryTest, SeedingShipsTheDefaultAndFreshProductsOnce) {
  const WriteContext system{.now = T(0), .user = "cpcd", .request_id = "bootstrap"};
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) { return SeedDefaultProducts(tx, system); }));
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) { return SeedDefaultProducts(tx, system); }));
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kProductCreate));
  EXPECT_EQ(audit[0].actor, "cpcd");
  EXPECT_EQ(audit[0].resource, absl::StrCat("products/", domain::DefaultProduct().product_code,
                                            "/versions/1"));
  EXPECT_EQ(audit[0].reason, "default product shipped with cpctrack");
  EXPECT_EQ(audit[0].request_id, "bootstrap");
  EXPECT_EQ(audit[1].resource, absl::StrCat("products/", domain::FreshProduct().product_code,
                                            "/versions/1"));
}

TEST_F(InventoryTest, AnAcceptedLotIsStoredWithItsDecisionSignatureAndAuditEntries) {
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    return CreateReagentLot(tx, Context(T(1), "qc.mori", "req-lot"),
                            store::testing::SampleLot("COL-9"))
        .status();
  }));
  absl::StatusOr<LotDecisionOutcome> out;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    out = AcceptReagentLot(tx, Context(T(2), "qa.tanaka", "req-acc"), "COL-9", "CoA 2291");
    return out.status();
  }));
  EXPECT_EQ(out->lot.status, domain::LotStatus::kAccepted);
  EXPECT_EQ(out->signature.signer, "qa.tanaka");
  EXPECT_EQ(out->signature.meaning, domain::SignatureMeaning::kMaterialAccepted);
  EXPECT_TRUE(SignatureMatches(out->signature, domain::ToJson(out->lot)));
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kLotCreate));
  EXPECT_EQ(audit[0].actor, "qc.mori");
  EXPECT_EQ(audit[1].action, Name(domain::AuditAction::kLotAccept));
  EXPECT_EQ(audit[1].reason, "CoA 2291");
  EXPECT_EQ(audit[1].new_value, domain::ToJson(out->lot));
  EXPECT_EQ(audit[2].action, Name(domain::AuditAction::kSignatureSign));
  EXPECT_EQ(audit[2].resource, "lots/COL-9");
  EXPECT_EQ(audit[2].request_id, "req-acc");
}

TEST_F(InventoryTest, ALotDecidedOnceIsNotDecidedAgainAndNothingIsWritten) {
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    RETURN_IF_ERROR(CreateReagentLot(tx, Context(T(1), "qc.mori", "req-lot"),
                                     store::testing::SampleLot("COL-9"))
                        .status());
    return RejectReagentLot(tx, Context(T(2), "qa.tanaka", "req-rej"), "COL-9", "torn seal")
        .status();
  }));
  const size_t before = Audit().size();
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return AcceptReagentLot(tx, Context(T(3), "qa.tanaka", "req-acc"), "COL-9", "CoA").status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(Audit().size(), before);
  CPC_EXPECT_OK(store_->Read([](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Signature>> signed_ = tx.SignaturesFor("lots/COL-9");
    EXPECT_EQ(signed_->size(), 1u);
    return signed_.status();
  }));
}

TEST_F(InventoryTest, EquipmentIsCreatedAndCalibratedWithAuditEntries) {
  domain::Equipment incubator =
      store::testing::SampleEquipment("INC-09", domain::EquipmentKind::kIncubator);
  absl::StatusOr<domain::Equipment> created;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    created = CreateEquipment(tx, Context(T(1), "lab.manager", "req-eq"), incubator);
    return created.status();
  }));
  EXPECT_EQ(created->calibration_required, domain::NeedsCalibration(incubator.kind));
  EXPECT_EQ(created->created_by, "lab.manager");
  absl::StatusOr<UpkeepOutcome> upkeep;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    upkeep = RecordEquipmentUpkeep(tx, Context(T(2), "lab.manager", "req-cal"),
                                   {"INC-09", domain::UpkeepKind::kCalibration, std::nullopt,
                                    absl::CivilDay(2026, 12, 31), "CAL-2026-04"});
    return upkeep.status();
  }));
  EXPECT_EQ(upkeep->record.performed_at, T(2));
  EXPECT_NE(upkeep->record.record_id, 0);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kEquipmentCreate));
  EXPECT_EQ(audit[1].action, Name(domain::AuditAction::kEquipmentCalibrate));
  EXPECT_EQ(audit[1].resource,
            absl::StrCat("equipment/INC-09/upkeep/", upkeep->record.record_id));
}

TEST_F(InventoryTest, UpkeepOfUnknownEquipmentIsRefusedAndNothingIsWritten) {
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return RecordEquipmentUpkeep(tx, Context(T(2), "lab.manager", "req-cal"),
                                 {"INC-77", domain::UpkeepKind::kMaintenance, std::nullopt,
                                  absl::CivilDay(2026, 12, 31), "MNT-2026-01"})
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound) << refused;
  EXPECT_TRUE(Audit().empty());
}

}  // namespace
}  // namespace cpctrack::app
