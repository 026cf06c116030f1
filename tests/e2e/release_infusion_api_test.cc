// End to end through cpcd: a batch from tissue to release to the infusion of
// two thawed vials on two planned dates; a mismatched patient refused at the
// bedside; a batch projected after its planned date AT RISK on the board; a
// fresh bag formulated, released and infused without a thaw, and an expired
// one NOT READY and refused at the bedside.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "tests/e2e/api_fixture.h"
#include "tests/e2e/release_results.h"

namespace cpctrack::testing {
namespace {

class ReleaseInfusionTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    qc_ = v1::QcService::NewStub(channel_);
    units_ = v1::UnitService::NewStub(channel_);
    storage_ = v1::StorageService::NewStub(channel_);
    readiness_ = v1::ReadinessService::NewStub(channel_);
    treatment_ = v1::TreatmentService::NewStub(channel_);
    RegisterBasics();
    UseRapidCultureMethods();
  }
  void TearDown() override {
    DropStubs();
    ApiTest::TearDown();
  }
  void DropStubs() {
    qc_.reset();
    units_.reset();
    storage_.reset();
    readiness_.reset();
    treatment_.reset();
  }

  std::string Today(int plus_days = 0) {
    return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + plus_days);
  }

  void Passage(const std::string& id, absl::Time t, int64_t viable, int64_t reseed,
               const std::string& user = "tech.sato") {
    v1::RecordPassageRequest passage;
    passage.set_request_id(NewRequestId());
    passage.set_batch_id(id);
    *passage.mutable_passage() = PassageAt(t, viable, reseed);
    v1::RecordResponse response;
    const grpc::Status s = batches_->RecordPassage(Context(user).get(), passage, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::TreatmentPlan Plan(const std::string& id, double dose, std::vector<std::string> dates) {
    v1::CreatePlanRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_plan()->set_batch_id(id);
    request.mutable_plan()->set_plan_number("PC-2026-0042");
    request.mutable_plan()->set_fixed_cells(dose);
    for (const std::string& d : dates) request.mutable_plan()->add_infusions()->set_planned_date(d);
    v1::TreatmentPlan plan;
    const grpc::Status s = treatment_->CreatePlan(Context("sched.mori").get(), request, &plan);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return plan;
  }

  // Every required release test at FINAL_HARVEST, resulted in spec and
  // reviewed by a second person.
  void PassReleaseTests(const std::string& id) {
    v1::DrawSampleRequest draw;
    draw.set_request_id(NewRequestId());
    draw.set_batch_id(id);
    draw.set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
    *draw.mutable_drawn_time() = Ts(now_ - absl::Hours(1));
    for (v1::QcTestType type :
         {v1::QC_TEST_TYPE_STERILITY, v1::QC_TEST_TYPE_MYCOPLASMA, v1::QC_TEST_TYPE_ENDOTOXIN,
          v1::QC_TEST_TYPE_GRAM_STAIN, v1::QC_TEST_TYPE_FLOW_CYTOMETRY,
          v1::QC_TEST_TYPE_VIABILITY}) {
      v1::TestOrder* order = draw.add_tests();
      order->set_type(type);
      order->set_method("validated method");
    }
    v1::DrawSampleResponse drawn;
    ASSERT_TRUE(qc_->DrawSample(Context().get(), draw, &drawn).ok());
    for (const v1::QcTest& t : drawn.tests()) {
      v1::RecordResultRequest result;
      result.set_request_id(NewRequestId());
      result.set_test_id(t.test_id());
      v1::QcResult* r = result.mutable_result();
      *r->mutable_read_time() = Ts(absl::Now() - absl::Minutes(5));
      SetPassingResult(t.type(), r);
      v1::QcWriteResponse written;
      const grpc::Status s = qc_->RecordResult(Context().get(), result, &written);
      ASSERT_TRUE(s.ok()) << s.error_message();
      v1::ReviewResultRequest review;
      review.set_request_id(NewRequestId());
      review.set_test_id(t.test_id());
      review.mutable_signature()->set_password(TestPassword("qa.tanaka"));
      ASSERT_TRUE(qc_->ReviewResult(Context("qa.tanaka").get(), review, &written).ok());
    }
  }

  v1::Readiness Readiness(const std::string& id) {
    v1::GetReadinessRequest request;
    request.set_batch_id(id);
    v1::Readiness r;
    const grpc::Status s = readiness_->GetReadiness(Context("sched.mori").get(), request, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return r;
  }

  static const v1::Criterion* Find(const v1::Readiness& r, const std::string& name) {
    for (const v1::Criterion& c : r.criteria()) {
      if (c.name() == name) return &c;
    }
    return nullptr;
  }

  grpc::Status Release(const std::string& id, v1::ReleaseBatchResponse* out,
                       const std::string& signer = "qa.tanaka") {
    v1::ReleaseBatchRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(id);
    request.set_confirm_batch_id(id);
    request.mutable_signature()->set_password(TestPassword(signer));
    return readiness_->ReleaseBatch(Context(signer).get(), request, out);
  }

  grpc::Status Thaw(const std::string& unit_id) {
    v1::ThawUnitRequest thaw;
    thaw.set_request_id(NewRequestId());
    thaw.set_unit_id(unit_id);
    *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(30));
    thaw.mutable_thaw()->set_total_cells(48'000'000);
    thaw.mutable_thaw()->set_viable_cells(43'200'000);
    v1::ThawUnitResponse response;
    return units_->ThawUnit(Context().get(), thaw, &response);
  }

  grpc::Status Infuse(int64_t planned_id, const std::string& unit_id, const std::string& patient,
                      v1::RecordInfusionResponse* out) {
    v1::RecordInfusionRequest request;
    request.set_request_id(NewRequestId());
    request.set_planned_infusion_id(planned_id);
    request.set_scanned_unit_id(unit_id);
    request.set_scanned_patient_id(patient);
    *request.mutable_start_time() = Ts(absl::Now() - absl::Minutes(10));
    *request.mutable_end_time() = Ts(absl::Now() - absl::Minutes(2));
    return treatment_->RecordInfusion(Context("nurse.abe").get(), request, out);
  }

  // Fresh bags of `cells` viable cells each, formulated at `at` in a
  // registered lot.
  v1::FormulateFreshUnitsResponse Formulate(const std::string& id, absl::Time at,
                                            std::vector<int64_t> cells) {
    v1::FormulateFreshUnitsRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(id);
    *request.mutable_formulated_time() = Ts(at);
    request.set_medium("Plasma-Lyte A + 2% HSA");
    request.set_medium_lot("MED-1");
    for (int64_t n : cells) {
      v1::FreshUnitSpec* unit = request.add_units();
      unit->set_cells(n);
      unit->set_volume_ml(50);
    }
    v1::FormulateFreshUnitsResponse response;
    const grpc::Status s = units_->FormulateFreshUnits(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  v1::Board Board() {
    v1::GetBoardRequest request;
    request.set_days(14);
    v1::Board board;
    const grpc::Status s = readiness_->GetBoard(Context("sched.mori").get(), request, &board);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return board;
  }

  // Every bedside check on record, "outcome|scanned patient|reason", read
  // from the file once cpcd has stopped.
  std::vector<std::string> BedsideChecksOnRecord() {
    DropStubs();
    Disconnect();
    EXPECT_EQ(server_->Stop(), 0);
    server_.reset();
    std::vector<std::string> rows;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_->path() + "/cpctrack.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT outcome, scanned_patient_id, reason FROM bedside_checks "
                                 "ORDER BY check_id",
                                 -1, &q, nullptr),
              SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
      rows.push_back(absl::StrCat(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "|",
                                  reinterpret_cast<const char*>(sqlite3_column_text(q, 1)), "|",
                                  reinterpret_cast<const char*>(sqlite3_column_text(q, 2))));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rows;
  }

  std::unique_ptr<v1::QcService::Stub> qc_;
  std::unique_ptr<v1::UnitService::Stub> units_;
  std::unique_ptr<v1::StorageService::Stub> storage_;
  std::unique_ptr<v1::ReadinessService::Stub> readiness_;
  std::unique_ptr<v1::TreatmentService::Stub> treatment_;
};

TEST_F(ReleaseInfusionTest, TissueToReleaseToTwoThawedVialsOnTwoPlannedDates) {
  DefineBox();
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  Passage(id, now_ - absl::Hours(50), 16'000'000, 4'000'000);
  Passage(id, now_ - absl::Hours(2), 200'000'000, 10'000'000);
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
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  Passage(id, now_ - absl::Hours(50), 16'000'000, 4'000'000);
  Passage(id, now_ - absl::Hours(2), 200'000'000, 10'000'000);  // final harvest
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
