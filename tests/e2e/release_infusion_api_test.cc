// End to end through cpcd: a batch from tissue to release to the infusion of
// two thawed vials on two planned dates; a mismatched patient refused at the
// bedside; a batch projected after its planned date AT RISK on the board; a
// fresh bag formulated, released and infused without a thaw, and an expired
// one NOT READY and refused at the bedside.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "tests/e2e/release_fixture.h"

namespace cpctrack::testing {
namespace {

TEST_F(ReleaseInfusionTest, TissueToReleaseToTwoThawedVialsOnTwoPlannedDates) {
  DefineBox();
  const std::string id = GrownBatch(now_ - absl::Hours(2));
  const v1::TreatmentPlan plan = Plan(id, 30'000'000, {Today(), Today(7)});
  ASSERT_EQ(plan.infusions_size(), 2);
  EXPECT_EQ(plan.cells_per_infusion(), 30'000'000);

  // Still growing: not ready, tests not ordered, a projection shown.
  v1::Readiness growing = Readiness(id);
  EXPECT_FALSE(growing.ready());
  ASSERT_NE(Find(growing, "sterility"), nullptr);
  EXPECT_EQ(Find(growing, "sterility")->status(), v1::CRITERION_STATUS_PENDING);
  EXPECT_TRUE(growing.has_projection());
  EXPECT_NE(growing.projection().basis(), "");

  PassReleaseTests(id);
  const v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, 3);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(units_->FreezeUnits(Context().get(), freeze, &frozen).ok());

  // Everything met but QA's signature.
  v1::Readiness before = Readiness(id);
  EXPECT_FALSE(before.ready());
  for (const v1::Criterion& c : before.criteria()) {
    if (c.name() == "QA release") {
      EXPECT_EQ(c.status(), v1::CRITERION_STATUS_PENDING);
    } else {
      EXPECT_EQ(c.status(), v1::CRITERION_STATUS_MET) << c.name() << ": " << c.value();
    }
  }
  EXPECT_EQ(before.infusions_covered(), 2);

  // Release is a signature: the wrong password, or a scheduler, is refused.
  v1::ReleaseBatchResponse released;
  v1::ReleaseBatchRequest unsigned_release;
  unsigned_release.set_request_id(NewRequestId());
  unsigned_release.set_batch_id(id);
  unsigned_release.set_confirm_batch_id(id);
  unsigned_release.mutable_signature()->set_password(TestPassword("qa.mori"));
  EXPECT_GRPC_ERROR(
      readiness_->ReleaseBatch(Context("qa.tanaka").get(), unsigned_release, &released),
      grpc::StatusCode::UNAUTHENTICATED, "password");
  unsigned_release.set_request_id(NewRequestId());
  unsigned_release.mutable_signature()->set_password(TestPassword("sched.mori"));
  EXPECT_GRPC_ERROR(
      readiness_->ReleaseBatch(Context("sched.mori").get(), unsigned_release, &released),
      grpc::StatusCode::PERMISSION_DENIED, "batches.release");

  const grpc::Status release = Release(id, &released);
  ASSERT_TRUE(release.ok()) << release.error_message();
  EXPECT_EQ(released.release().signer(), "qa.tanaka");
  EXPECT_EQ(released.signature().signer(), "qa.tanaka");
  EXPECT_EQ(released.signature().full_name(), "Tanaka Yui");
  EXPECT_EQ(released.signature().resource(),
            absl::StrCat("batches/", id, "/releases/1"));
  EXPECT_EQ(released.signature().content_sha256().size(), 64u);
  EXPECT_EQ(released.release().meaning(), "released for infusion");
  EXPECT_EQ(released.release().record_hash().size(), 64u);
  EXPECT_TRUE(released.readiness().ready());
  EXPECT_EQ(released.readiness().batch_state(), v1::BATCH_STATE_RELEASED);

  // Infusion 1: vial 01, thawed, scanned at the bedside.
  ASSERT_TRUE(Thaw(id + "-01").ok());
  v1::RecordInfusionResponse infused;
  const grpc::Status first = Infuse(plan.infusions(0).planned_infusion_id(), id + "-01", "P-001",
                                    &infused);
  ASSERT_TRUE(first.ok()) << first.error_message();
  EXPECT_EQ(infused.unit().state(), v1::UNIT_STATE_INFUSED);
  EXPECT_EQ(infused.viable_cells_given(), 43'200'000);
  EXPECT_EQ(infused.infusions_remaining(), 1);
  EXPECT_EQ(infused.infusions_covered(), 1);
  // The second person signed for unit and patient identity.
  EXPECT_EQ(infused.verifier_signature().signer(), "nurse.ito");
  EXPECT_EQ(infused.verifier_signature().full_name(), "Ito Saki");
  EXPECT_EQ(infused.verifier_signature().meaning(), "verified: unit and patient identity");
  EXPECT_EQ(infused.verifier_signature().resource(),
            absl::StrCat("batches/", id, "/infusions/", infused.infusion_record_id()));

  // Infusion 2: vial 02 on the second planned date.
  ASSERT_TRUE(Thaw(id + "-02").ok());
  ASSERT_TRUE(
      Infuse(plan.infusions(1).planned_infusion_id(), id + "-02", "P-001", &infused).ok());
  EXPECT_EQ(infused.infusions_remaining(), 0);

  v1::GetPlanRequest get_plan;
  get_plan.set_batch_id(id);
  v1::TreatmentPlan after;
  ASSERT_TRUE(treatment_->GetPlan(Context().get(), get_plan, &after).ok());
  EXPECT_EQ(after.infusions(0).unit_ids(0), id + "-01");
  EXPECT_EQ(after.infusions(1).unit_ids(0), id + "-02");
  // An infused unit cannot be infused again.
  EXPECT_GRPC_ERROR(Infuse(plan.infusions(1).planned_infusion_id(), id + "-02", "P-001", &infused),
                    grpc::StatusCode::FAILED_PRECONDITION, "INFUSED");
}

TEST_F(ReleaseInfusionTest, AReleaseBySomeoneWhoRecordedAPassageOfTheBatchIsRefused) {
  DefineBox();
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  // qa.tanaka, a reviewer who also works as a technician, counts the harvest.
  Passage(id, now_ - absl::Hours(2), 200'000'000, 10'000'000, "qa.tanaka");
  Plan(id, 30'000'000, {Today(7)});
  PassReleaseTests(id);
  const v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, 1);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(units_->FreezeUnits(Context().get(), freeze, &frozen).ok());

  v1::ReleaseBatchResponse released;
  const grpc::Status own = Release(id, &released, "qa.tanaka");
  EXPECT_EQ(own.error_code(), grpc::StatusCode::PERMISSION_DENIED) << own.error_message();
  EXPECT_NE(own.error_message().find("QA is independent of production"), std::string::npos)
      << own.error_message();
  EXPECT_NE(own.error_message().find("qa.tanaka recorded passage record"), std::string::npos)
      << own.error_message();
  // Nothing was written: the batch is not released, and another reviewer can.
  EXPECT_EQ(Get(id).state(), v1::BATCH_STATE_CRYOPRESERVED);
  const grpc::Status other = Release(id, &released, "qa.mori");
  ASSERT_TRUE(other.ok()) << other.error_message();
  EXPECT_EQ(released.release().signer(), "qa.mori");
}

TEST_F(ReleaseInfusionTest, MismatchedPatientIsRefusedAtTheBedsideAndTheAttemptRecorded) {
  DefineBox();
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  Passage(id, now_ - absl::Hours(2), 200'000'000, 10'000'000);
  const v1::TreatmentPlan plan = Plan(id, 30'000'000, {Today(1)});
  PassReleaseTests(id);
  const v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, 1);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(units_->FreezeUnits(Context().get(), freeze, &frozen).ok());
  v1::ReleaseBatchResponse released;
  ASSERT_TRUE(Release(id, &released).ok());
  ASSERT_TRUE(Thaw(id + "-01").ok());

  v1::RecordInfusionResponse infused;
  EXPECT_GRPC_ERROR(Infuse(plan.infusions(0).planned_infusion_id(), id + "-01", "P-002", &infused),
                    grpc::StatusCode::FAILED_PRECONDITION, "chain of identity");
  // The unit was not infused; the refused attempt is on record.
  v1::GetUnitRequest get;
  get.set_unit_id(id + "-01");
  v1::Unit unit;
  ASSERT_TRUE(units_->GetUnit(Context().get(), get, &unit).ok());
  EXPECT_EQ(unit.state(), v1::UNIT_STATE_THAWED);
  DropStubs();
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  server_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_->path() + "/cpctrack.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT outcome, scanned_patient_id, reason FROM bedside_checks",
                               -1, &q, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "refused");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 1)), "P-002");
  EXPECT_NE(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 2))).find("P-001"),
            std::string::npos);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST_F(ReleaseInfusionTest, BatchProjectedAfterItsPlannedDateIsAtRiskOnTheBoard) {
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  // One doubling in ~48 h: 2e9 cells are weeks away.
  Passage(id, now_ - absl::Hours(50), 4'000'000, 4'000'000);
  Plan(id, 1'000'000'000, {Today(2), Today(9)});

  v1::GetBoardRequest request;
  request.set_days(14);
  v1::Board board;
  ASSERT_TRUE(readiness_->GetBoard(Context("sched.mori").get(), request, &board).ok());
  ASSERT_EQ(board.entries_size(), 2);
  EXPECT_EQ(board.entries(0).planned_date(), Today(2));
  EXPECT_EQ(board.entries(1).planned_date(), Today(9));
  EXPECT_EQ(board.entries(0).status(), v1::BOARD_STATUS_AT_RISK);
  EXPECT_EQ(board.entries(0).batch_id(), id);
  EXPECT_EQ(board.entries(0).patient_id(), "P-001");
  EXPECT_TRUE(board.entries(0).has_projected_ready_time());
  EXPECT_GT(board.entries(0).projected_ready_time().seconds(),
            absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 9)));

  const v1::Readiness r = Readiness(id);
  EXPECT_NE(r.projection().basis().find("doubling time"), std::string::npos);
}

TEST_F(ReleaseInfusionTest, FreshBagFormulatedReleasedAndInfusedWithoutAThaw) {
  const std::string id = GrownBatch(now_ - absl::Hours(2));  // its last passage: the final harvest
  const v1::TreatmentPlan plan = Plan(id, 30'000'000, {Today()});
  ASSERT_EQ(plan.infusions_size(), 1);

  // More than the final harvest gave is refused.
  v1::FormulateFreshUnitsRequest too_many;
  too_many.set_request_id(NewRequestId());
  too_many.set_batch_id(id);
  *too_many.mutable_formulated_time() = Ts(now_ - absl::Minutes(40));
  too_many.set_medium("Plasma-Lyte A + 2% HSA");
  too_many.set_medium_lot("MED-1");
  too_many.add_units()->set_cells(200'000'001);
  too_many.mutable_units(0)->set_volume_ml(50);
  v1::FormulateFreshUnitsResponse refused;
  EXPECT_GRPC_ERROR(units_->FormulateFreshUnits(Context().get(), too_many, &refused),
                    grpc::StatusCode::FAILED_PRECONDITION, "available when formulated");

  const absl::Time formulated = now_ - absl::Minutes(40);
  const v1::FormulateFreshUnitsResponse bags = Formulate(id, formulated, {60'000'000});
  ASSERT_EQ(bags.units_size(), 1);
  EXPECT_EQ(bags.batch_state(), v1::BATCH_STATE_FORMULATED);
  const v1::Unit& bag = bags.units(0);
  EXPECT_EQ(bag.unit_id(), id + "-01");
  EXPECT_EQ(bag.kind(), v1::UNIT_KIND_BAG);
  EXPECT_EQ(bag.state(), v1::UNIT_STATE_STORED);
  EXPECT_EQ(bag.position(), "");
  ASSERT_TRUE(bag.has_fresh());
  EXPECT_EQ(bag.fresh().medium(), "Plasma-Lyte A + 2% HSA");
  EXPECT_EQ(bag.fresh().formulated_by(), "tech.sato");
  // The default product's fresh shelf life: 48 h.
  EXPECT_EQ(bag.fresh().expire_time().seconds() - bag.fresh().formulated_time().seconds(),
            48 * 3600);
  EXPECT_FALSE(bag.has_frozen_time());

  // A fresh bag is neither moved nor thawed.
  v1::ThawUnitRequest thaw;
  thaw.set_request_id(NewRequestId());
  thaw.set_unit_id(bag.unit_id());
  *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(1));
  thaw.mutable_thaw()->set_total_cells(60'000'000);
  thaw.mutable_thaw()->set_viable_cells(50'000'000);
  v1::ThawUnitResponse thawed;
  EXPECT_GRPC_ERROR(units_->ThawUnit(Context().get(), thaw, &thawed),
                    grpc::StatusCode::FAILED_PRECONDITION, "it is a fresh unit");

  PassReleaseTests(id);
  v1::Readiness before = Readiness(id);
  EXPECT_EQ(before.batch_state(), v1::BATCH_STATE_FORMULATED);
  for (const v1::Criterion& c : before.criteria()) {
    if (c.name() == "QA release") {
      EXPECT_EQ(c.status(), v1::CRITERION_STATUS_PENDING);
    } else {
      EXPECT_EQ(c.status(), v1::CRITERION_STATUS_MET) << c.name() << ": " << c.value();
    }
  }
  ASSERT_NE(Find(before, "fresh product shelf life"), nullptr);
  EXPECT_NE(Find(before, "fresh product shelf life")->value().find(bag.unit_id() + " expires"),
            std::string::npos);
  EXPECT_EQ(before.infusions_covered(), 1);

  v1::ReleaseBatchResponse released;
  const grpc::Status release = Release(id, &released);
  ASSERT_TRUE(release.ok()) << release.error_message();
  EXPECT_EQ(released.readiness().batch_state(), v1::BATCH_STATE_RELEASED);
  EXPECT_TRUE(released.readiness().ready());

  v1::Board board = Board();
  ASSERT_EQ(board.entries_size(), 1);
  EXPECT_EQ(board.entries(0).batch_id(), id);
  EXPECT_EQ(board.entries(0).status(), v1::BOARD_STATUS_READY);

  // At the bedside: no thaw; the bag's viable cells are the dose.
  v1::RecordInfusionResponse infused;
  const grpc::Status given =
      Infuse(plan.infusions(0).planned_infusion_id(), bag.unit_id(), "P-001", &infused);
  ASSERT_TRUE(given.ok()) << given.error_message();
  EXPECT_EQ(infused.unit().state(), v1::UNIT_STATE_INFUSED);
  EXPECT_EQ(infused.viable_cells_given(), 60'000'000);
  EXPECT_EQ(infused.infusions_remaining(), 0);

  v1::GetUnitRequest get;
  get.set_unit_id(bag.unit_id());
  v1::Unit after;
  ASSERT_TRUE(units_->GetUnit(Context().get(), get, &after).ok());
  ASSERT_EQ(after.events_size(), 2);
  EXPECT_EQ(after.events(0).kind(), v1::UNIT_EVENT_KIND_FORMULATED);
  EXPECT_EQ(after.events(1).kind(), v1::UNIT_EVENT_KIND_INFUSED);
  EXPECT_EQ(BedsideChecksOnRecord(), std::vector<std::string>{"matched|P-001|"});
}

TEST_F(ReleaseInfusionTest, ExpiredFreshBagIsNotReadyAndRefusedAtTheBedside) {
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  Passage(id, now_ - absl::Hours(50), 16'000'000, 4'000'000);  // final harvest
  const v1::TreatmentPlan plan = Plan(id, 10'000'000, {Today()});
  // Recorded late: formulated 49.5 h ago, so 48 h later it expired.
  const v1::FormulateFreshUnitsResponse bags =
      Formulate(id, now_ - absl::Minutes(49 * 60 + 30), {15'000'000});
  ASSERT_EQ(bags.units_size(), 1);
  const std::string bag = bags.units(0).unit_id();
  EXPECT_LT(bags.units(0).fresh().expire_time().seconds(), absl::ToUnixSeconds(absl::Now()));

  v1::Readiness r = Readiness(id);
  EXPECT_FALSE(r.ready());
  const v1::Criterion* shelf = Find(r, "fresh product shelf life");
  ASSERT_NE(shelf, nullptr);
  EXPECT_EQ(shelf->status(), v1::CRITERION_STATUS_NOT_MET);
  EXPECT_NE(shelf->value().find(bag + " expired"), std::string::npos) << shelf->value();
  ASSERT_NE(Find(r, "units cover the plan"), nullptr);
  EXPECT_EQ(Find(r, "units cover the plan")->status(), v1::CRITERION_STATUS_NOT_MET);
  EXPECT_EQ(r.infusions_covered(), 0);

  v1::Board board = Board();
  ASSERT_EQ(board.entries_size(), 1);
  EXPECT_EQ(board.entries(0).status(), v1::BOARD_STATUS_NOT_READY);
  bool named = false;
  for (const std::string& reason : board.entries(0).reasons()) {
    named = named || reason.rfind("fresh product shelf life: not met (" + bag + " expired", 0) == 0;
  }
  EXPECT_TRUE(named) << board.entries(0).DebugString();

  v1::ReleaseBatchResponse released;
  EXPECT_GRPC_ERROR(Release(id, &released), grpc::StatusCode::FAILED_PRECONDITION,
                    "fresh product shelf life not met");

  v1::RecordInfusionResponse infused;
  EXPECT_GRPC_ERROR(Infuse(plan.infusions(0).planned_infusion_id(), bag, "P-001", &infused),
                    grpc::StatusCode::FAILED_PRECONDITION, "expired: fresh unit " + bag);
  v1::GetUnitRequest get;
  get.set_unit_id(bag);
  v1::Unit unit;
  ASSERT_TRUE(units_->GetUnit(Context().get(), get, &unit).ok());
  EXPECT_EQ(unit.state(), v1::UNIT_STATE_STORED);
  const std::vector<std::string> checks = BedsideChecksOnRecord();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].rfind("refused|P-001|expired: fresh unit " + bag, 0), 0u) << checks[0];
}

}  // namespace
}  // namespace cpctrack::testing
