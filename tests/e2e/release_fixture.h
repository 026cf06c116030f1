// The fixture of the suites that take a batch to release and the bedside
// (release_infusion_api_test, bedside_scan_test, followup_api_test): QC,
// units, readiness and treatment stubs on ApiTest, and the steps they share.
#ifndef CPCTRACK_TESTS_E2E_RELEASE_FIXTURE_H_
#define CPCTRACK_TESTS_E2E_RELEASE_FIXTURE_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "tests/e2e/api_fixture.h"
#include "tests/e2e/release_results.h"

namespace cpctrack::testing {

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
    ExplainIfLate(passage, t);
    v1::RecordResponse response;
    const grpc::Status s = batches_->RecordPassage(Context(user).get(), passage, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A new batch of P-001 grown the usual way: received, seeded 98 h ago,
  // passaged 50 h ago (16e6 viable) and passaged again at `harvest` (200e6
  // viable, 10e6 reseeded), ready for its release tests.
  std::string GrownBatch(absl::Time harvest) {
    const std::string id = CreateBatch();
    Receive(id, 100);
    Seed(id, now_ - absl::Hours(98), 2'000'000);
    Passage(id, now_ - absl::Hours(50), 16'000'000, 4'000'000);
    Passage(id, harvest, 200'000'000, 10'000'000);
    return id;
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

  // Every required release test at FINAL_HARVEST, resulted and reviewed by a
  // second person: in spec, but for a viability of `viability_percent`.
  void PassReleaseTests(const std::string& id, double viability_percent = 94) {
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
      if (t.type() == v1::QC_TEST_TYPE_VIABILITY) r->set_viability_percent(viability_percent);
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

  grpc::Status Thaw(const std::string& unit_id, absl::Time at = absl::Now() - absl::Minutes(30)) {
    v1::ThawUnitRequest thaw;
    thaw.set_request_id(NewRequestId());
    thaw.set_unit_id(unit_id);
    *thaw.mutable_thaw()->mutable_thawed_time() = Ts(at);
    ExplainIfLate(thaw, at);
    thaw.mutable_thaw()->set_total_cells(48'000'000);
    thaw.mutable_thaw()->set_viable_cells(43'200'000);
    v1::ThawUnitResponse response;
    return units_->ThawUnit(Context().get(), thaw, &response);
  }

  // At the bedside: nurse.abe scans, nurse.ito verifies and signs.
  grpc::Status Infuse(int64_t planned_id, const std::string& unit_id, const std::string& patient,
                      v1::RecordInfusionResponse* out, const std::string& verifier = "nurse.ito",
                      absl::Time start = absl::Now() - absl::Minutes(10)) {
    v1::RecordInfusionRequest request;
    request.set_request_id(NewRequestId());
    request.set_planned_infusion_id(planned_id);
    request.set_scanned_unit_id(unit_id);
    request.set_scanned_patient_id(patient);
    *request.mutable_start_time() = Ts(start);
    *request.mutable_end_time() = Ts(start + absl::Minutes(8));
    ExplainIfLate(request, start);
    request.set_verifier(verifier);
    request.mutable_verifier_signature()->set_password(TestPassword(verifier));
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
    ExplainIfLate(request, at);
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

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_RELEASE_FIXTURE_H_
