// End to end through cpcd: QC with review, a batch frozen into four vials in
// a box, and a day-14 sterility turning positive after freezing.
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "absl/strings/str_cat.h"
#include "cpctrack/v1/deviations.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

constexpr double kTwoWeeksHours = 14 * 24;

class QcCryoTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    qc_ = v1::QcService::NewStub(channel_);
    units_ = v1::UnitService::NewStub(channel_);
    storage_ = v1::StorageService::NewStub(channel_);
    deviations_ = v1::DeviationService::NewStub(channel_);
    RegisterBasics();
    DefineBox();
  }
  void TearDown() override {
    qc_.reset();
    units_.reset();
    storage_.reset();
    deviations_.reset();
    ApiTest::TearDown();
  }

  // A batch in culture with 2e8 viable cells counted at its first passage,
  // harvested two weeks ago: a compendial sterility culture started then can
  // be read now (USP <71>: 14 days).
  std::string GrownBatch() {
    const std::string id = CreateBatch();
    Receive(id, kTwoWeeksHours + 30);
    Seed(id, now_ - absl::Hours(kTwoWeeksHours + 28));
    v1::RecordPassageRequest passage;
    passage.set_request_id(NewRequestId());
    passage.set_batch_id(id);
    *passage.mutable_passage() =
        PassageAt(now_ - absl::Hours(kTwoWeeksHours + 2), 200'000'000, 10'000'000);
    ExplainIfLate(passage, now_ - absl::Hours(kTwoWeeksHours + 2));
    v1::RecordResponse response;
    EXPECT_TRUE(batches_->RecordPassage(Context().get(), passage, &response).ok());
    return id;
  }

  // Draws a FINAL_HARVEST sample with the given tests; returns the tests.
  std::vector<v1::QcTest> Sample(const std::string& batch_id,
                                 const std::vector<v1::QcTestType>& types,
                                 double hours_ago = kTwoWeeksHours + 1) {
    v1::DrawSampleRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(batch_id);
    request.set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
    *request.mutable_drawn_time() = Ts(now_ - absl::Hours(hours_ago));
    ExplainIfLate(request, now_ - absl::Hours(hours_ago));
    for (v1::QcTestType type : types) {
      v1::TestOrder* order = request.add_tests();
      order->set_type(type);
      order->set_method(type == v1::QC_TEST_TYPE_STERILITY ? "USP <71> 14-day culture" : "PCR");
    }
    v1::DrawSampleResponse response;
    const grpc::Status status = qc_->DrawSample(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.tests().begin(), response.tests().end()};
  }

  grpc::Status Result(int64_t test_id, const v1::QcResult& result, v1::QcWriteResponse* out,
                      const std::string& user = "tech.sato") {
    v1::RecordResultRequest request;
    request.set_request_id(NewRequestId());
    request.set_test_id(test_id);
    *request.mutable_result() = result;
    *request.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(1));
    return qc_->RecordResult(Context(user).get(), request, out);
  }

  static v1::QcResult Detection(v1::Detection d, const std::string& organism = "") {
    v1::QcResult r;
    r.mutable_detection()->set_detection(d);
    r.mutable_detection()->set_organism(organism);
    return r;
  }

  grpc::Status Review(int64_t test_id, const std::string& user) {
    v1::ReviewResultRequest request;
    request.set_request_id(NewRequestId());
    request.set_test_id(test_id);
    request.mutable_signature()->set_password(TestPassword(user));
    v1::QcWriteResponse response;
    return qc_->ReviewResult(Context(user).get(), request, &response);
  }

  grpc::Status Freeze(const std::string& batch_id, int count, int64_t cells,
                      v1::FreezeUnitsResponse* out, int first_column = 1) {
    v1::FreezeUnitsRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(batch_id);
    request.set_kind(v1::UNIT_KIND_VIAL);
    *request.mutable_frozen_time() = Ts(now_ - absl::Minutes(30));
    request.set_freezing_medium("CryoStor CS10");
    request.set_medium_lot("MED-1");
    request.set_freezer_program("-1C/min to -90C");
    for (int i = 0; i < count; ++i) {
      v1::UnitSpec* unit = request.add_units();
      unit->set_cells(cells);
      unit->set_volume_ml(1.5);
      unit->set_position(absl::StrCat("LN2-A/R1/B1/A", first_column + i));
    }
    return units_->FreezeUnits(Context().get(), request, out);
  }

  std::vector<v1::Unit> UnitsOf(const std::string& batch_id) {
    v1::ListUnitsRequest request;
    request.set_batch_id(batch_id);
    v1::ListUnitsResponse response;
    EXPECT_TRUE(units_->ListUnits(Context().get(), request, &response).ok());
    return {response.units().begin(), response.units().end()};
  }

  std::vector<v1::QcTest> SterilityExport(const std::string& batch_id) {
    v1::ListTestsRequest request;
    request.set_batch_id(batch_id);
    request.add_types(v1::QC_TEST_TYPE_STERILITY);
    request.add_types(v1::QC_TEST_TYPE_MYCOPLASMA);
    *request.mutable_start_from() = Ts(now_ - absl::Hours(kTwoWeeksHours + 24));
    *request.mutable_start_before() = Ts(now_ + absl::Hours(24));
    v1::ListTestsResponse response;
    EXPECT_TRUE(qc_->ListTests(Context("auditor.ito").get(), request, &response).ok());
    return {response.tests().begin(), response.tests().end()};
  }

  std::unique_ptr<v1::QcService::Stub> qc_;
  std::unique_ptr<v1::UnitService::Stub> units_;
  std::unique_ptr<v1::StorageService::Stub> storage_;
  std::unique_ptr<v1::DeviationService::Stub> deviations_;
};

TEST_F(QcCryoTest, BatchPassesQcAndIsFrozenIntoFourVialsInABox) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests =
      Sample(id, {v1::QC_TEST_TYPE_STERILITY, v1::QC_TEST_TYPE_MYCOPLASMA,
                  v1::QC_TEST_TYPE_ENDOTOXIN, v1::QC_TEST_TYPE_VIABILITY});
  ASSERT_EQ(tests.size(), 4u);
  v1::QcWriteResponse written;
  ASSERT_TRUE(Result(tests[0].test_id(), Detection(v1::DETECTION_NEGATIVE), &written).ok());
  EXPECT_EQ(written.test().state(), v1::QC_TEST_STATE_RESULTED);
  EXPECT_EQ(written.test().results(0).performed_by(), "tech.sato");
  ASSERT_TRUE(Result(tests[1].test_id(), Detection(v1::DETECTION_NEGATIVE), &written).ok());
  v1::QcResult endotoxin;
  endotoxin.set_endotoxin_eu_per_ml(0.2);
  ASSERT_TRUE(Result(tests[2].test_id(), endotoxin, &written).ok());
  v1::QcResult viability;
  viability.set_viability_percent(93);
  ASSERT_TRUE(Result(tests[3].test_id(), viability, &written).ok());
  EXPECT_EQ(written.opened_deviations_size(), 0);

  // Four eyes: a technician cannot review; a reviewer can.
  EXPECT_GRPC_ERROR(Review(tests[0].test_id(), "tech.sato"), grpc::StatusCode::PERMISSION_DENIED,
                    "qc.review");
  for (const v1::QcTest& t : tests) ASSERT_TRUE(Review(t.test_id(), "qa.tanaka").ok());

  v1::FreezeUnitsResponse frozen;
  const grpc::Status freeze = Freeze(id, 4, 25'000'000, &frozen);
  ASSERT_TRUE(freeze.ok()) << freeze.error_message();
  ASSERT_EQ(frozen.units_size(), 4);
  EXPECT_EQ(frozen.batch_state(), v1::BATCH_STATE_CRYOPRESERVED);
  EXPECT_EQ(frozen.units(0).unit_id(), id + "-01");
  EXPECT_EQ(frozen.units(3).position(), "LN2-A/R1/B1/A4");
  EXPECT_EQ(frozen.units(2).patient_id(), "P-001");

  // One position holds one unit; cells cannot exceed what is left.
  v1::FreezeUnitsResponse refused;
  EXPECT_GRPC_ERROR(Freeze(id, 1, 1'000'000, &refused, 4), grpc::StatusCode::FAILED_PRECONDITION,
                    "already holds a unit");
  EXPECT_GRPC_ERROR(Freeze(id, 1, 150'000'000, &refused, 5),
                    grpc::StatusCode::FAILED_PRECONDITION, "available");

  v1::GetTankRequest get_tank;
  get_tank.set_tank_id("LN2-A");
  v1::Tank tank;
  ASSERT_TRUE(storage_->GetTank(Context().get(), get_tank, &tank).ok());
  EXPECT_EQ(tank.capacity(), 81);
  EXPECT_EQ(tank.occupied(), 4);
  ASSERT_EQ(tank.racks_size(), 1);
  EXPECT_EQ(tank.racks(0).boxes(0).units_size(), 4);

  // A move is recorded and frees the old position.
  v1::MoveUnitRequest move;
  move.set_request_id(NewRequestId());
  move.set_unit_id(id + "-02");
  move.set_to_position("LN2-A/R1/B1/C9");
  move.set_reason("consolidating box");
  v1::Unit moved;
  ASSERT_TRUE(units_->MoveUnit(Context().get(), move, &moved).ok());
  EXPECT_EQ(moved.position(), "LN2-A/R1/B1/C9");
  v1::GetUnitRequest get_unit;
  get_unit.set_unit_id(id + "-02");
  v1::Unit unit;
  ASSERT_TRUE(units_->GetUnit(Context().get(), get_unit, &unit).ok());
  ASSERT_EQ(unit.events_size(), 2);
  EXPECT_EQ(unit.events(1).kind(), v1::UNIT_EVENT_KIND_MOVED);
  EXPECT_EQ(unit.events(1).from_position(), "LN2-A/R1/B1/A2");

  // Thaw with post-thaw counts; the thawed unit leaves its position.
  v1::ThawUnitRequest thaw;
  thaw.set_request_id(NewRequestId());
  thaw.set_unit_id(id + "-01");
  *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(1));
  thaw.mutable_thaw()->set_total_cells(24'000'000);
  thaw.mutable_thaw()->set_viable_cells(21'600'000);
  v1::ThawUnitResponse thawed;
  ASSERT_TRUE(units_->ThawUnit(Context().get(), thaw, &thawed).ok());
  EXPECT_EQ(thawed.unit().state(), v1::UNIT_STATE_THAWED);
  EXPECT_EQ(thawed.unit().position(), "");
  EXPECT_DOUBLE_EQ(thawed.unit().thaw().viability_percent(), 90);
  EXPECT_EQ(thawed.opened_deviations_size(), 0);

  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_CRYOPRESERVED);
  EXPECT_EQ(batch.qc_tests_size(), 4);
  EXPECT_EQ(batch.units_size(), 4);
  EXPECT_EQ(batch.open_deviation_count(), 0);
  EXPECT_EQ(batch.quarantine_reason(), "");
}

TEST_F(QcCryoTest, ANegativeCultureIsFinalOnlyAfterItsIncubationAndInterimReadingsAreShown) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_STERILITY}, 72);
  ASSERT_EQ(tests.size(), 1u);
  v1::QcWriteResponse written;
  // Day 3 of a 14-day culture: no final NEGATIVE yet, and nothing written.
  const grpc::Status early = Result(tests[0].test_id(), Detection(v1::DETECTION_NEGATIVE), &written);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << early.error_message();
  EXPECT_THAT(early.error_message(), HasSubstr("minimum incubation (14 days"));
  EXPECT_THAT(early.error_message(), HasSubstr("it can be read from"));
  // An interim reading is on record, and is no result.
  v1::RecordResultRequest interim;
  interim.set_request_id(NewRequestId());
  interim.set_test_id(tests[0].test_id());
  *interim.mutable_result() = Detection(v1::DETECTION_NEGATIVE);
  *interim.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(2));
  interim.set_interim(true);
  interim.set_interim_note("no growth at 72 h");
  const grpc::Status recorded = qc_->RecordResult(Context().get(), interim, &written);
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();
  EXPECT_EQ(written.test().state(), v1::QC_TEST_STATE_PENDING);
  EXPECT_EQ(written.test().results_size(), 0);
  ASSERT_EQ(written.test().interim_readings_size(), 1);
  EXPECT_EQ(written.test().interim_readings(0).note(), "no growth at 72 h");
  EXPECT_EQ(written.test().interim_readings(0).performed_by(), "tech.sato");
  // Growth is never "interim".
  interim.set_request_id(NewRequestId());
  *interim.mutable_result() = Detection(v1::DETECTION_POSITIVE);
  *interim.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(1));
  EXPECT_GRPC_ERROR(qc_->RecordResult(Context().get(), interim, &written),
                    grpc::StatusCode::INVALID_ARGUMENT, "final POSITIVE");

  std::vector<v1::QcTest> exported = SterilityExport(id);
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0].results_size(), 0);
  ASSERT_EQ(exported[0].interim_readings_size(), 1);
  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_IN_CULTURE);
}

TEST_F(QcCryoTest, AGramStainThatSeesOrganismsQuarantinesTheBatchAndEveryUnit) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_GRAM_STAIN}, 3);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(Freeze(id, 4, 25'000'000, &frozen).ok());
  v1::QcResult gram;
  gram.mutable_gram_stain()->set_finding(v1::GRAM_FINDING_ORGANISMS_SEEN);
  gram.mutable_gram_stain()->set_description("Gram-positive cocci in clusters");
  v1::QcWriteResponse written;
  ASSERT_TRUE(Result(tests[0].test_id(), gram, &written).ok());
  EXPECT_EQ(written.batch_state(), v1::BATCH_STATE_QUARANTINED);
  EXPECT_EQ(written.quarantined_unit_ids_size(), 4);
  ASSERT_EQ(written.opened_deviations_size(), 1);
  EXPECT_EQ(written.opened_deviations(0).kind(), v1::DEVIATION_KIND_POSITIVE_TEST);
  EXPECT_THAT(written.opened_deviations(0).description(), HasSubstr("ORGANISMS_SEEN"));
  for (const v1::Unit& unit : UnitsOf(id)) {
    EXPECT_EQ(unit.state(), v1::UNIT_STATE_QUARANTINED) << unit.unit_id();
  }
}

TEST_F(QcCryoTest, Day14SterilityPositiveAfterFreezingQuarantinesBatchAndUnits) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_STERILITY});
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(Freeze(id, 4, 25'000'000, &frozen).ok());

  v1::QcWriteResponse written;
  ASSERT_TRUE(Result(tests[0].test_id(),
                     Detection(v1::DETECTION_POSITIVE, "Staphylococcus epidermidis"), &written)
                  .ok());
  EXPECT_EQ(written.batch_state(), v1::BATCH_STATE_QUARANTINED);
  EXPECT_EQ(written.quarantined_unit_ids_size(), 4);
  ASSERT_EQ(written.opened_deviations_size(), 1);
  EXPECT_EQ(written.opened_deviations(0).kind(), v1::DEVIATION_KIND_POSITIVE_TEST);
  for (const v1::Unit& u : UnitsOf(id)) EXPECT_EQ(u.state(), v1::UNIT_STATE_QUARANTINED);

  // Impossible to miss: list and show carry the reason.
  v1::ListBatchesRequest list;
  v1::ListBatchesResponse listed;
  ASSERT_TRUE(batches_->ListBatches(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.batches_size(), 1);
  EXPECT_EQ(listed.batches(0).state(), v1::BATCH_STATE_QUARANTINED);
  EXPECT_NE(listed.batches(0).quarantine_reason().find("Staphylococcus epidermidis"),
            std::string::npos);
  EXPECT_NE(Get(id).quarantine_reason().find("STERILITY"), std::string::npos);

  // Nothing moves, thaws or freezes; the positive cannot be undone by the lab.
  v1::MoveUnitRequest move;
  move.set_request_id(NewRequestId());
  move.set_unit_id(id + "-01");
  move.set_to_position("LN2-A/R1/B1/B1");
  v1::Unit unit;
  EXPECT_GRPC_ERROR(units_->MoveUnit(Context().get(), move, &unit),
                    grpc::StatusCode::FAILED_PRECONDITION, "QUARANTINED");
  v1::ThawUnitRequest thaw;
  thaw.set_request_id(NewRequestId());
  thaw.set_unit_id(id + "-02");
  *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(1));
  thaw.mutable_thaw()->set_total_cells(10);
  thaw.mutable_thaw()->set_viable_cells(9);
  v1::ThawUnitResponse thawed;
  EXPECT_GRPC_ERROR(units_->ThawUnit(Context().get(), thaw, &thawed),
                    grpc::StatusCode::FAILED_PRECONDITION, "QUARANTINED");
  v1::InvalidateTestRequest invalidate;
  invalidate.set_request_id(NewRequestId());
  invalidate.set_test_id(tests[0].test_id());
  invalidate.set_reason("suspected contamination at inoculation");
  EXPECT_GRPC_ERROR(qc_->InvalidateTest(Context("qa.tanaka").get(), invalidate, &written),
                    grpc::StatusCode::FAILED_PRECONDITION, "POSITIVE");

  // The auditor's sterility export shows the positive with its performer.
  std::vector<v1::QcTest> exported = SterilityExport(id);
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0].results(0).detection().detection(), v1::DETECTION_POSITIVE);
  EXPECT_EQ(exported[0].sample().sample_point(), v1::SAMPLE_POINT_FINAL_HARVEST);
  EXPECT_EQ(exported[0].results(0).performed_by(), "tech.sato");
  EXPECT_EQ(exported[0].patient_id(), "P-001");

  // QA rejects through the deviation: the batch can only be disposed of.
  v1::CloseDeviationRequest close;
  close.set_request_id(NewRequestId());
  close.set_deviation_id(written.opened_deviations(0).deviation_id());
  close.set_disposition(v1::DISPOSITION_REJECT);
  close.set_reason("confirmed contamination");
  close.mutable_signature()->set_password(TestPassword("qa.tanaka"));
  v1::CloseDeviationResponse closed;
  ASSERT_TRUE(deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed).ok());
  EXPECT_EQ(closed.batch_state(), v1::BATCH_STATE_REJECTED);
  v1::DrawSampleRequest sample;
  sample.set_request_id(NewRequestId());
  sample.set_batch_id(id);
  sample.set_sample_point(v1::SAMPLE_POINT_OTHER);
  *sample.mutable_drawn_time() = Ts(absl::Now());
  v1::DrawSampleResponse drawn;
  EXPECT_GRPC_ERROR(qc_->DrawSample(Context().get(), sample, &drawn),
                    grpc::StatusCode::FAILED_PRECONDITION, "REJECTED");
  v1::DisposeBatchRequest dispose;
  dispose.set_request_id(NewRequestId());
  dispose.set_batch_id(id);
  dispose.set_reason("rejected: sterility positive");
  v1::Batch disposed;
  ASSERT_TRUE(batches_->DisposeBatch(Context("qa.tanaka").get(), dispose, &disposed).ok());
  EXPECT_EQ(disposed.state(), v1::BATCH_STATE_DISPOSED);
  for (const v1::Unit& u : UnitsOf(id)) {
    EXPECT_EQ(u.state(), v1::UNIT_STATE_DISPOSED);
    EXPECT_EQ(u.position(), "");
  }
}

TEST_F(QcCryoTest, QaContinueLiftsTheQuarantineBackToWhereTheBatchWas) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_MYCOPLASMA});
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(Freeze(id, 2, 25'000'000, &frozen).ok());
  v1::QcWriteResponse written;
  ASSERT_TRUE(Result(tests[0].test_id(), Detection(v1::DETECTION_POSITIVE), &written).ok());
  ASSERT_EQ(written.batch_state(), v1::BATCH_STATE_QUARANTINED);

  v1::AddDeviationNoteRequest note;
  note.set_request_id(NewRequestId());
  note.set_deviation_id(written.opened_deviations(0).deviation_id());
  note.set_text("retained sample retested negative by two methods");
  v1::Deviation annotated;
  ASSERT_TRUE(deviations_->AddDeviationNote(Context("qa.tanaka").get(), note, &annotated).ok());
  ASSERT_EQ(annotated.notes_size(), 1);

  // A contamination signal is never used under the physician's responsibility
  // (issue 13); nothing is written.
  v1::CloseDeviationRequest close;
  close.set_request_id(NewRequestId());
  close.set_deviation_id(annotated.deviation_id());
  close.set_disposition(v1::DISPOSITION_USE_UNDER_PHYSICIAN_RESPONSIBILITY);
  close.set_reason("physician asks for the cells");
  close.mutable_signature()->set_password(TestPassword("qa.tanaka"));
  v1::CloseDeviationResponse closed;
  EXPECT_GRPC_ERROR(deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed),
                    grpc::StatusCode::FAILED_PRECONDITION,
                    "never used under the physician's responsibility");
  EXPECT_EQ(Get(id).open_deviation_count(), 1);

  // Continued only as a false positive with a negative retest on record.
  close.set_request_id(NewRequestId());
  close.set_disposition(v1::DISPOSITION_CONTINUE);
  close.set_reason("false positive: retained sample retested negative by two methods");
  EXPECT_GRPC_ERROR(deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed),
                    grpc::StatusCode::FAILED_PRECONDITION,
                    absl::StrCat("no retest of MYCOPLASMA test ", tests[0].test_id()));
  EXPECT_EQ(Get(id).state(), v1::BATCH_STATE_QUARANTINED);
  v1::OrderTestsRequest retest;
  retest.set_request_id(NewRequestId());
  retest.set_sample_id(tests[0].sample().sample_id());
  retest.add_tests()->set_type(v1::QC_TEST_TYPE_MYCOPLASMA);
  retest.mutable_tests(0)->set_method("PCR");
  // Started, as the test ordered with it, on the sample's draw day, weeks ago.
  retest.set_late_entry_reason("retest of the retained sample, typed in from the lab notebook");
  v1::OrderTestsResponse ordered;
  const grpc::Status order_status = qc_->OrderTests(Context().get(), retest, &ordered);
  ASSERT_TRUE(order_status.ok()) << order_status.error_message();
  ASSERT_EQ(ordered.tests_size(), 1);
  ASSERT_TRUE(Result(ordered.tests(0).test_id(), Detection(v1::DETECTION_NEGATIVE), &written).ok());

  close.set_request_id(NewRequestId());
  const grpc::Status continued =
      deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed);
  ASSERT_TRUE(continued.ok()) << continued.error_message();
  EXPECT_EQ(closed.batch_state(), v1::BATCH_STATE_CRYOPRESERVED);
  EXPECT_EQ(closed.changed_unit_ids_size(), 2);
  EXPECT_EQ(closed.deviation().state(), v1::DEVIATION_STATE_CLOSED);
  for (const v1::Unit& u : UnitsOf(id)) EXPECT_EQ(u.state(), v1::UNIT_STATE_STORED);
  EXPECT_EQ(Get(id).open_deviation_count(), 0);

  // A retry of the same request gets the same answer; a new one is refused.
  v1::CloseDeviationResponse replayed;
  ASSERT_TRUE(deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &replayed).ok());
  EXPECT_EQ(replayed.batch_state(), v1::BATCH_STATE_CRYOPRESERVED);
  close.set_request_id(NewRequestId());
  EXPECT_GRPC_ERROR(deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed),
                    grpc::StatusCode::FAILED_PRECONDITION, "was closed");
}

TEST_F(QcCryoTest, InvalidatedTestIsRetestedAndBothStayInTheExport) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_STERILITY});
  v1::QcWriteResponse written;
  v1::RecordResultRequest unordered;
  unordered.set_request_id(NewRequestId());
  unordered.set_test_id(9999);
  *unordered.mutable_result() = Detection(v1::DETECTION_NEGATIVE);
  EXPECT_GRPC_ERROR(qc_->RecordResult(Context().get(), unordered, &written),
                    grpc::StatusCode::NOT_FOUND, "test_id");

  v1::InvalidateTestRequest invalidate;
  invalidate.set_request_id(NewRequestId());
  invalidate.set_test_id(tests[0].test_id());
  invalidate.set_reason("bottle cracked in the incubator");
  ASSERT_TRUE(qc_->InvalidateTest(Context("qa.tanaka").get(), invalidate, &written).ok());
  EXPECT_EQ(written.test().state(), v1::QC_TEST_STATE_INVALIDATED);

  v1::OrderTestsRequest retest;
  retest.set_request_id(NewRequestId());
  retest.set_sample_id(tests[0].sample().sample_id());
  v1::TestOrder* order = retest.add_tests();
  order->set_type(v1::QC_TEST_TYPE_STERILITY);
  order->set_method("BacT/ALERT rapid");
  order->set_retest_of(tests[0].test_id());
  // The retest starts when the sample was drawn, two weeks ago.
  ExplainIfLate(retest, FromTs(tests[0].sample().drawn_time()));
  v1::OrderTestsResponse ordered;
  ASSERT_TRUE(qc_->OrderTests(Context().get(), retest, &ordered).ok());
  ASSERT_EQ(ordered.tests_size(), 1);
  ASSERT_TRUE(
      Result(ordered.tests(0).test_id(), Detection(v1::DETECTION_NEGATIVE), &written).ok());

  // A correction after review needs a reason and keeps the first result.
  ASSERT_TRUE(Review(ordered.tests(0).test_id(), "qa.tanaka").ok());
  v1::CorrectResultRequest correct;
  correct.set_request_id(NewRequestId());
  correct.set_test_id(ordered.tests(0).test_id());
  *correct.mutable_result() = Detection(v1::DETECTION_NEGATIVE);
  *correct.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(1));
  correct.mutable_result()->set_instrument_id("BACT-02");
  EXPECT_GRPC_ERROR(qc_->CorrectResult(Context().get(), correct, &written),
                    grpc::StatusCode::INVALID_ARGUMENT, "reason");
  correct.set_reason("instrument ID was wrong");
  ASSERT_TRUE(qc_->CorrectResult(Context().get(), correct, &written).ok());
  EXPECT_EQ(written.test().results_size(), 2);
  EXPECT_EQ(written.test().state(), v1::QC_TEST_STATE_RESULTED);  // reviewed again

  std::vector<v1::QcTest> exported = SterilityExport(id);
  ASSERT_EQ(exported.size(), 2u);
  EXPECT_EQ(exported[0].state(), v1::QC_TEST_STATE_INVALIDATED);
  EXPECT_EQ(exported[0].invalidation().reason(), "bottle cracked in the incubator");
  EXPECT_EQ(exported[1].retest_of(), tests[0].test_id());
}

}  // namespace
}  // namespace cpctrack::testing

namespace cpctrack::testing {
namespace {

TEST_F(QcCryoTest, AReviewIsASignatureThatNeedsThePasswordAgainAndIsBoundToTheResult) {
  const std::string id = GrownBatch();
  std::vector<v1::QcTest> tests = Sample(id, {v1::QC_TEST_TYPE_ENDOTOXIN});
  v1::QcResult endotoxin;
  endotoxin.set_endotoxin_eu_per_ml(0.2);
  v1::QcWriteResponse written;
  ASSERT_TRUE(Result(tests[0].test_id(), endotoxin, &written).ok());

  v1::ReviewResultRequest request;
  request.set_request_id(NewRequestId());
  request.set_test_id(tests[0].test_id());
  // The session alone is not a signature.
  EXPECT_GRPC_ERROR(qc_->ReviewResult(Context("qa.tanaka").get(), request, &written),
                    grpc::StatusCode::UNAUTHENTICATED, "signature.password: required");
  request.mutable_signature()->set_password("someone else's");
  EXPECT_GRPC_ERROR(qc_->ReviewResult(Context("qa.tanaka").get(), request, &written),
                    grpc::StatusCode::UNAUTHENTICATED, "signature not accepted");
  // Another user's password does not sign either: the signer is the session's user.
  request.mutable_signature()->set_password(TestPassword("qa.mori"));
  EXPECT_GRPC_ERROR(qc_->ReviewResult(Context("qa.tanaka").get(), request, &written),
                    grpc::StatusCode::UNAUTHENTICATED, "signature not accepted");

  request.mutable_signature()->set_password(TestPassword("qa.tanaka"));
  const grpc::Status status = qc_->ReviewResult(Context("qa.tanaka").get(), request, &written);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::Signature& signature = written.signature();
  EXPECT_EQ(signature.signer(), "qa.tanaka");
  EXPECT_EQ(signature.full_name(), "Tanaka Yui");
  EXPECT_THAT(signature.meaning(), ::testing::HasSubstr("reviewed"));
  EXPECT_GT(signature.signed_at().seconds(), 0);
  EXPECT_EQ(signature.resource(),
            absl::StrCat("batches/", id, "/qc_tests/", tests[0].test_id(), "/results/",
                         written.test().results(0).result_id()));
  EXPECT_EQ(signature.content_sha256().size(), 64u);

  // A retry with the same request ID returns the same signature without the
  // password being stored anywhere.
  v1::QcWriteResponse replayed;
  ASSERT_TRUE(qc_->ReviewResult(Context("qa.tanaka").get(), request, &replayed).ok());
  EXPECT_EQ(replayed.signature().content_sha256(), signature.content_sha256());
}

}  // namespace
}  // namespace cpctrack::testing
