// The batch record through cpcd's gRPC API, from registration to passages.
#include <cmath>

#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

class BatchApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    RegisterBasics();
  }

  grpc::Status RecordPassage(const std::string& batch_id, const v1::Passage& passage,
                             v1::RecordResponse* response) {
    v1::RecordPassageRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(batch_id);
    *request.mutable_passage() = passage;
    ExplainIfLate(request, FromTs(passage.passage_time()));
    return batches_->RecordPassage(Context().get(), request, response);
  }
};

TEST_F(BatchApiTest, NewBatchGetsADinOfTheFacilityAndYearWithAValidCheckCharacter) {
  const std::string id = CreateBatch();
  ASSERT_EQ(id.size(), 14u);
  EXPECT_EQ(id.substr(0, 5), "W1234");
  EXPECT_EQ(id.substr(5, 2), absl::FormatTime("%y", now_, absl::UTCTimeZone()));
  EXPECT_EQ(id.substr(7, 6), "000001");
  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_REGISTERED);
  EXPECT_EQ(batch.patient_id(), "P-001");
  EXPECT_EQ(batch.product_code(), "ADSC-STD");
  EXPECT_EQ(batch.product_version(), 1);
  EXPECT_EQ(batch.created_by(), "tech.sato");
  EXPECT_EQ(CreateBatch().substr(7, 6), "000002");
}

TEST_F(BatchApiTest, BatchIdIsAcceptedWithSpacesAndRefusedWithAWrongCheckCharacter) {
  const std::string id = CreateBatch();
  const std::string spaced = id.substr(0, 5) + " " + id.substr(5, 2) + " " + id.substr(7, 6) +
                             " " + id.substr(13);
  EXPECT_EQ(Get(spaced).batch_id(), id);

  std::string wrong = id;
  wrong[13] = wrong[13] == 'A' ? 'B' : 'A';
  v1::GetBatchRequest request;
  request.set_batch_id(wrong);
  v1::Batch batch;
  EXPECT_GRPC_ERROR(batches_->GetBatch(Context().get(), request, &batch),
                    grpc::StatusCode::INVALID_ARGUMENT, "wrong check character");
}

TEST_F(BatchApiTest, StepOutOfOrderIsRefusedNamingTheState) {
  const std::string id = CreateBatch();
  v1::SeedCultureRequest request;
  request.set_request_id(NewRequestId());
  request.set_batch_id(id);
  *request.mutable_seeding() = SeedingAt(now_ - absl::Hours(2));
  v1::RecordResponse response;
  EXPECT_GRPC_ERROR(batches_->SeedCulture(Context().get(), request, &response),
                    grpc::StatusCode::FAILED_PRECONDITION, "REGISTERED");
  EXPECT_TRUE(Get(id).records().empty());
}

TEST_F(BatchApiTest, CultureRunsFromTissueToPassagesWithGrowth) {
  const std::string id = CreateBatch();
  EXPECT_EQ(Receive(id, 24 * 11).batch().state(), v1::BATCH_STATE_TISSUE_RECEIVED);
  const absl::Time t0 = now_ - absl::Hours(24 * 11 - 4);
  EXPECT_EQ(Seed(id, t0, 1'000'000).batch().state(), v1::BATCH_STATE_IN_CULTURE);

  v1::RecordResponse p1;
  ASSERT_TRUE(RecordPassage(id, PassageAt(t0 + absl::Hours(72), 8'000'000, 2'000'000), &p1).ok());
  EXPECT_EQ(p1.record().passage().passage_number(), 1);
  EXPECT_EQ(p1.batch().current_passage(), 1);
  v1::RecordResponse p2;
  ASSERT_TRUE(
      RecordPassage(id, PassageAt(t0 + absl::Hours(72 + 96), 32'000'000, 4'000'000), &p2).ok());
  EXPECT_EQ(p2.record().passage().passage_number(), 2);
  // Viability was computed from viable/total (total = 1.1 x viable).
  EXPECT_NEAR(p2.record().passage().viability_percent(), 90.9, 0.05);

  const v1::Batch batch = Get(id);
  ASSERT_EQ(batch.growth().passages_size(), 2);
  EXPECT_NEAR(batch.growth().passages(0).population_doublings(), 3.0, 1e-9);
  EXPECT_EQ(batch.growth().passages(0).doubling_time().seconds(), 24 * 3600);
  EXPECT_NEAR(batch.growth().passages(1).population_doublings(), 4.0, 1e-9);
  EXPECT_EQ(batch.growth().passages(1).doubling_time().seconds(), 24 * 3600);
  EXPECT_NEAR(batch.growth().cumulative_population_doublings(), 7.0, 1e-9);
  EXPECT_EQ(batch.growth().current_viable_cells(), 32'000'000);
  EXPECT_EQ(batch.growth().cells_in_culture(), 4'000'000);
  EXPECT_EQ(batch.records_size(), 4);
  EXPECT_EQ(batch.open_deviation_count(), 0);
}

TEST_F(BatchApiTest, ImplausibleCountsAreRefusedNamingTheField) {
  const std::string id = CreateBatch();
  Receive(id);
  const absl::Time t0 = now_ - absl::Hours(20);
  Seed(id, t0);
  v1::Passage passage = PassageAt(t0 + absl::Hours(10), 5'000'000, 1'000'000);
  passage.set_total_cells(4'000'000);  // fewer than viable
  v1::RecordResponse response;
  EXPECT_GRPC_ERROR(RecordPassage(id, passage, &response), grpc::StatusCode::INVALID_ARGUMENT,
                    "viable_cells");
  passage = PassageAt(t0 + absl::Hours(10), 5'000'000, 1'000'000);
  passage.set_viability_percent(120);
  EXPECT_GRPC_ERROR(RecordPassage(id, passage, &response), grpc::StatusCode::INVALID_ARGUMENT,
                    "viability_percent");
  passage = PassageAt(now_ + absl::Hours(3), 5'000'000, 1'000'000);
  EXPECT_GRPC_ERROR(RecordPassage(id, passage, &response), grpc::StatusCode::INVALID_ARGUMENT,
                    "in the future");
  passage = PassageAt(t0 - absl::Hours(1), 5'000'000, 1'000'000);
  EXPECT_GRPC_ERROR(RecordPassage(id, passage, &response), grpc::StatusCode::INVALID_ARGUMENT,
                    "passage_time");
  EXPECT_EQ(Get(id).records_size(), 2) << "a refused passage must write nothing";
}

TEST_F(BatchApiTest, ExpiredUnknownLotsAndOutOfServiceEquipmentAreRefused) {
  const std::string id = CreateBatch();
  Receive(id);
  v1::SeedCultureRequest request;
  request.set_batch_id(id);
  v1::RecordResponse response;

  request.set_request_id(NewRequestId());
  *request.mutable_seeding() = SeedingAt(now_ - absl::Hours(2));
  request.mutable_seeding()->set_medium_lot("OLD-1");
  EXPECT_GRPC_ERROR(batches_->SeedCulture(Context().get(), request, &response),
                    grpc::StatusCode::FAILED_PRECONDITION, "expired");

  request.set_request_id(NewRequestId());
  *request.mutable_seeding() = SeedingAt(now_ - absl::Hours(2));
  request.mutable_seeding()->add_reagent_lots("NOPE-9");
  EXPECT_GRPC_ERROR(batches_->SeedCulture(Context().get(), request, &response),
                    grpc::StatusCode::NOT_FOUND, "reagent_lots[1]");

  v1::SetEquipmentStatusRequest out;
  out.set_request_id(NewRequestId());
  out.set_equipment_id("INC-01");
  out.set_status(v1::EQUIPMENT_STATUS_OUT_OF_SERVICE);
  out.set_reason("CO2 alarm");
  v1::Equipment equipment;
  ASSERT_TRUE(inventory_->SetEquipmentStatus(Context(kAdmin).get(), out, &equipment).ok());
  EXPECT_EQ(equipment.status(), v1::EQUIPMENT_STATUS_OUT_OF_SERVICE);

  request.set_request_id(NewRequestId());
  *request.mutable_seeding() = SeedingAt(now_ - absl::Hours(2));
  EXPECT_GRPC_ERROR(batches_->SeedCulture(Context().get(), request, &response),
                    grpc::StatusCode::FAILED_PRECONDITION, "out of service (CO2 alarm)");
  EXPECT_EQ(Get(id).state(), v1::BATCH_STATE_TISSUE_RECEIVED);
}

TEST_F(BatchApiTest, LateProcessingIsAllowedButOpensADeviation) {
  const std::string id = CreateBatch();
  Receive(id, 60);  // collected 60 h ago; the product allows 48 h
  const v1::RecordResponse seeded = Seed(id, now_ - absl::Hours(1));
  ASSERT_EQ(seeded.opened_deviations_size(), 1);
  EXPECT_EQ(seeded.opened_deviations(0).kind(), v1::DEVIATION_KIND_LATE_PROCESSING);
  EXPECT_EQ(seeded.opened_deviations(0).record_id(), seeded.record().record_id());
  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_IN_CULTURE);
  EXPECT_EQ(batch.open_deviation_count(), 1);
  ASSERT_EQ(batch.deviations_size(), 1);
  EXPECT_NE(batch.deviations(0).description().find("59.0 h after collection"), std::string::npos)
      << batch.deviations(0).description();
}

TEST_F(BatchApiTest, CorrectionSupersedesARecordAndKeepsTheOriginal) {
  const std::string id = CreateBatch();
  Receive(id, 100);
  const absl::Time t0 = now_ - absl::Hours(98);
  Seed(id, t0, 1'000'000);
  v1::RecordResponse passage;
  ASSERT_TRUE(RecordPassage(id, PassageAt(t0 + absl::Hours(48), 4'000'000, 1'000'000), &passage)
                  .ok());

  v1::CorrectRecordRequest request;
  request.set_request_id(NewRequestId());
  request.set_batch_id(id);
  request.set_record_id(passage.record().record_id());
  *request.mutable_passage() = PassageAt(t0 + absl::Hours(48), 8'000'000, 1'000'000);
  v1::RecordResponse corrected;
  EXPECT_GRPC_ERROR(batches_->CorrectRecord(Context().get(), request, &corrected),
                    grpc::StatusCode::INVALID_ARGUMENT, "reason");

  request.set_reason("counter read 4e6 from the wrong sample; recount 8e6");
  const grpc::Status status = batches_->CorrectRecord(Context("qa.tanaka").get(), request,
                                                      &corrected);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(corrected.record().corrects_record_id(), passage.record().record_id());
  EXPECT_EQ(corrected.record().passage().passage_number(), 1);
  EXPECT_EQ(corrected.record().recorded_by(), "qa.tanaka");

  const v1::Batch batch = Get(id);
  ASSERT_EQ(batch.records_size(), 4);
  EXPECT_EQ(batch.records(2).corrected_by_record_id(), corrected.record().record_id());
  EXPECT_EQ(batch.records(2).passage().viable_cells(), 4'000'000) << "the original stays";
  EXPECT_NEAR(batch.growth().passages(0).population_doublings(), 3.0, 1e-9)
      << "growth uses the corrected count";
  EXPECT_EQ(batch.current_passage(), 1);

  request.set_request_id(NewRequestId());
  EXPECT_GRPC_ERROR(batches_->CorrectRecord(Context().get(), request, &corrected),
                    grpc::StatusCode::FAILED_PRECONDITION, "already corrected");
}

TEST_F(BatchApiTest, CallsNeedASession) {
  v1::CreateBatchRequest request;
  request.set_request_id(NewRequestId());
  request.set_patient_id("P-001");
  request.set_product_code("ADSC-STD");
  v1::Batch batch;
  EXPECT_GRPC_ERROR(batches_->CreateBatch(Context("").get(), request, &batch),
                    grpc::StatusCode::UNAUTHENTICATED, "cpc login");
  EXPECT_GRPC_ERROR(batches_->CreateBatch(TokenContext("not-a-token").get(), request, &batch),
                    grpc::StatusCode::UNAUTHENTICATED, "not recognized");
}

TEST_F(BatchApiTest, IneligiblePatientGetsNoBatch) {
  v1::CreatePatientRequest patient;
  patient.set_request_id(NewRequestId());
  v1::Patient* p = patient.mutable_patient();
  p->set_patient_id("P-002");
  p->set_body_weight_kg(70);
  p->mutable_screening()->set_hbv(v1::SCREENING_RESULT_NEGATIVE);
  p->mutable_screening()->set_hcv(v1::SCREENING_RESULT_POSITIVE);
  p->mutable_screening()->set_hiv(v1::SCREENING_RESULT_NEGATIVE);
  p->mutable_screening()->set_htlv1(v1::SCREENING_RESULT_PENDING);
  p->mutable_screening()->set_syphilis(v1::SCREENING_RESULT_NEGATIVE);
  p->mutable_consent()->set_given(true);
  *p->mutable_consent()->mutable_consent_time() = Ts(now_ - absl::Hours(1));
  v1::Patient created;
  ASSERT_TRUE(patients_->CreatePatient(Context().get(), patient, &created).ok());

  v1::CreateBatchRequest request;
  request.set_request_id(NewRequestId());
  request.set_patient_id("P-002");
  request.set_product_code("ADSC-STD");
  v1::Batch batch;
  EXPECT_GRPC_ERROR(batches_->CreateBatch(Context().get(), request, &batch),
                    grpc::StatusCode::FAILED_PRECONDITION, "hcv POSITIVE, htlv1 PENDING");

  // Results that arrive later are a new revision, with a reason.
  v1::UpdatePatientRequest update;
  update.set_request_id(NewRequestId());
  *update.mutable_patient() = created;
  update.mutable_patient()->mutable_screening()->set_hcv(v1::SCREENING_RESULT_NEGATIVE);
  update.mutable_patient()->mutable_screening()->set_htlv1(v1::SCREENING_RESULT_NEGATIVE);
  v1::Patient updated;
  EXPECT_GRPC_ERROR(patients_->UpdatePatient(Context().get(), update, &updated),
                    grpc::StatusCode::INVALID_ARGUMENT, "reason");
  update.set_reason("confirmatory tests negative (lab report 2211)");
  EXPECT_GRPC_ERROR(patients_->UpdatePatient(Context().get(), update, &updated),
                    grpc::StatusCode::INVALID_ARGUMENT, "expected_revision");
  update.set_expected_revision(created.revision());
  const grpc::Status status = patients_->UpdatePatient(Context("qa.mori").get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.revision(), 2);
  EXPECT_EQ(updated.updated_by(), "qa.mori");
  EXPECT_EQ(updated.created_by(), "tech.sato");
  request.set_request_id(NewRequestId());
  EXPECT_TRUE(batches_->CreateBatch(Context().get(), request, &batch).ok());
  EXPECT_EQ(batch.patient_id(), "P-002");

  // An update made from revision 1 is now stale: it must not overwrite revision 2.
  update.set_request_id(NewRequestId());
  update.mutable_patient()->set_body_weight_kg(72);
  EXPECT_GRPC_ERROR(patients_->UpdatePatient(Context().get(), update, &updated),
                    grpc::StatusCode::ABORTED, "changed since revision 1");
}

TEST_F(BatchApiTest, APositiveScreeningResultAfterTheBatchExistsOpensADeviationOnIt) {
  const std::string id = CreateBatch();
  Receive(id);
  v1::GetPatientRequest get;
  get.set_patient_id("P-001");
  v1::Patient patient;
  ASSERT_TRUE(patients_->GetPatient(Context().get(), get, &patient).ok());
  v1::UpdatePatientRequest update;
  update.set_request_id(NewRequestId());
  *update.mutable_patient() = patient;
  update.mutable_patient()->mutable_screening()->set_htlv1(v1::SCREENING_RESULT_POSITIVE);
  update.set_reason("HTLV-1 confirmatory test positive");
  update.set_expected_revision(patient.revision());
  v1::Patient updated;
  ASSERT_TRUE(patients_->UpdatePatient(Context("qa.mori").get(), update, &updated).ok());

  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.open_deviation_count(), 1);
  ASSERT_EQ(batch.deviations_size(), 1);
  EXPECT_EQ(batch.deviations(0).kind(), v1::DEVIATION_KIND_PATIENT_INELIGIBLE);
  EXPECT_NE(batch.deviations(0).description().find("htlv1 POSITIVE"), std::string::npos)
      << batch.deviations(0).description();
  EXPECT_EQ(batch.deviations(0).opened_by(), "qa.mori");
}

TEST_F(BatchApiTest, PassingTheProductsPassageLimitOpensADeviation) {
  const std::string id = CreateBatch();
  Receive(id, 24 * 30);
  const absl::Time t0 = now_ - absl::Hours(24 * 30 - 4);
  Seed(id, t0, 1'000'000);
  v1::RecordResponse response;
  for (int p = 1; p <= 6; ++p) {
    ASSERT_TRUE(
        RecordPassage(id, PassageAt(t0 + absl::Hours(72 * p), 4'000'000, 1'000'000), &response)
            .ok());
    EXPECT_EQ(response.opened_deviations_size(), p == 6 ? 1 : 0) << "passage " << p;
  }
  EXPECT_EQ(response.opened_deviations(0).kind(), v1::DEVIATION_KIND_PASSAGE_LIMIT);
  EXPECT_EQ(response.batch().current_passage(), 6);
  EXPECT_EQ(response.batch().open_deviation_count(), 1);
}

TEST_F(BatchApiTest, DuplicatesAndUnknownsGetTheirCodes) {
  v1::CreateReagentLotRequest lot;
  lot.set_request_id(NewRequestId());
  lot.mutable_lot()->set_lot_number("MED-1");
  lot.mutable_lot()->set_name("again");
  lot.mutable_lot()->set_expiry_date("2030-01-01");
  v1::ReagentLot created;
  EXPECT_GRPC_ERROR(inventory_->CreateReagentLot(Context(kAdmin).get(), lot, &created),
                    grpc::StatusCode::ALREADY_EXISTS, "MED-1");
  lot.set_request_id(NewRequestId());
  lot.mutable_lot()->set_lot_number("MED-2");
  lot.mutable_lot()->set_expiry_date("2030-02-30");
  EXPECT_GRPC_ERROR(inventory_->CreateReagentLot(Context(kAdmin).get(), lot, &created),
                    grpc::StatusCode::INVALID_ARGUMENT, "expiry_date");

  v1::GetPatientRequest get;
  get.set_patient_id("P-404");
  v1::Patient patient;
  EXPECT_GRPC_ERROR(patients_->GetPatient(Context().get(), get, &patient),
                    grpc::StatusCode::NOT_FOUND, "P-404");
}

TEST_F(BatchApiTest, OversizedMessagesAndStringsAreRefusedWithAClearError) {
  const std::string id = BatchInCulture();
  v1::RecordObservationRequest request;
  request.set_request_id(NewRequestId());
  request.set_batch_id(id);
  *request.mutable_observation()->mutable_observation_time() = Ts(now_ - absl::Hours(1));
  request.mutable_observation()->set_confluence_percent(50);
  v1::RecordResponse response;

  v1::RecordObservationRequest huge_message = request;
  huge_message.mutable_observation()->set_morphology(std::string(2 << 20, 'x'));
  EXPECT_GRPC_ERROR(batches_->RecordObservation(Context().get(), huge_message, &response),
                    grpc::StatusCode::RESOURCE_EXHAUSTED, "larger than max");

  v1::RecordObservationRequest long_text = request;
  long_text.mutable_observation()->set_morphology(std::string(100'000, 'x'));
  EXPECT_GRPC_ERROR(batches_->RecordObservation(Context().get(), long_text, &response),
                    grpc::StatusCode::INVALID_ARGUMENT, "morphology: longer than");

  v1::RecordObservationRequest long_id = request;
  long_id.set_batch_id(std::string(100'000, '7'));
  const grpc::Status status = batches_->RecordObservation(Context().get(), long_id, &response);
  EXPECT_GRPC_ERROR(status, grpc::StatusCode::INVALID_ARGUMENT, "too long");
  EXPECT_LT(status.error_message().size(), 200u) << "the error does not echo the whole ID";

  v1::RecordObservationRequest long_request_id = request;
  long_request_id.set_request_id(std::string(100'000, 'r'));
  EXPECT_GRPC_ERROR(batches_->RecordObservation(Context().get(), long_request_id, &response),
                    grpc::StatusCode::INVALID_ARGUMENT, "request_id: longer than 128");
  EXPECT_EQ(Get(id).records_size(), 2);
}

}  // namespace
}  // namespace cpctrack::testing
