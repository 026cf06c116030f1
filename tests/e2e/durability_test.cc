// Retries with the same request ID, restarts and crashes of the real cpcd.
#include <grpcpp/generic/generic_stub.h>
#include <sqlite3.h>

#include <gmock/gmock.h>

#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

class DurabilityTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    RegisterBasics();
  }

  v1::RecordObservationRequest Observation(const std::string& batch_id, double confluence) {
    v1::RecordObservationRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(batch_id);
    *request.mutable_observation()->mutable_observation_time() = Ts(now_ - absl::Minutes(30));
    request.mutable_observation()->set_confluence_percent(confluence);
    request.mutable_observation()->set_morphology("spindle-shaped");
    return request;
  }
};

TEST_F(DurabilityTest, RetryWithTheSameRequestIdReturnsTheFirstResultAndRecordsNothingTwice) {
  const std::string id = BatchInCulture();
  const v1::RecordObservationRequest request = Observation(id, 60);
  v1::RecordResponse first, second;
  ASSERT_TRUE(batches_->RecordObservation(Context().get(), request, &first).ok());
  ASSERT_TRUE(batches_->RecordObservation(Context().get(), request, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Get(id).records_size(), 3);

  v1::RecordObservationRequest changed = request;
  changed.mutable_observation()->set_confluence_percent(70);
  v1::RecordResponse third;
  EXPECT_GRPC_ERROR(batches_->RecordObservation(Context().get(), changed, &third),
                    grpc::StatusCode::INVALID_ARGUMENT, "already used for a different request");
  EXPECT_EQ(Get(id).records_size(), 3);
}

TEST_F(DurabilityTest, RetryOfCreateBatchDoesNotUseASecondBatchId) {
  v1::CreateBatchRequest request;
  request.set_request_id(NewRequestId());
  request.set_patient_id("P-001");
  request.set_product_code("ADSC-STD");
  v1::Batch first, second;
  ASSERT_TRUE(batches_->CreateBatch(Context().get(), request, &first).ok());
  ASSERT_TRUE(batches_->CreateBatch(Context().get(), request, &second).ok());
  EXPECT_EQ(first.batch_id(), second.batch_id());
  EXPECT_EQ(CreateBatch().substr(7, 6), "000002");
}

TEST_F(DurabilityTest, RequestWithoutRequestIdIsRefused) {
  const std::string id = BatchInCulture();
  v1::RecordObservationRequest request = Observation(id, 60);
  request.clear_request_id();
  v1::RecordResponse response;
  EXPECT_GRPC_ERROR(batches_->RecordObservation(Context().get(), request, &response),
                    grpc::StatusCode::INVALID_ARGUMENT, "request_id");
}

TEST_F(DurabilityTest, DataSurvivesAGracefulRestart) {
  const std::string id = BatchInCulture();
  const v1::RecordObservationRequest request = Observation(id, 55);
  v1::RecordResponse first;
  ASSERT_TRUE(batches_->RecordObservation(Context().get(), request, &first).ok());

  Disconnect();
  EXPECT_EQ(server_->Stop(), 0) << server_->Log();
  server_->Restart();
  Connect();

  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_IN_CULTURE);
  ASSERT_EQ(batch.records_size(), 3);
  EXPECT_EQ(batch.records(2).observation().confluence_percent(), 55);
  // The retry after the restart still gets the first answer.
  v1::RecordResponse again;
  ASSERT_TRUE(batches_->RecordObservation(Context().get(), request, &again).ok());
  EXPECT_EQ(again.record().record_id(), first.record().record_id());
  EXPECT_EQ(Get(id).records_size(), 3);
}

TEST_F(DurabilityTest, AcknowledgedWritesSurviveSigkill) {
  const std::string id = BatchInCulture();
  std::vector<int64_t> acknowledged;
  for (int i = 0; i < 10; ++i) {
    v1::RecordResponse response;
    ASSERT_TRUE(batches_->RecordObservation(Context().get(), Observation(id, 10 + i), &response)
                    .ok());
    acknowledged.push_back(response.record().record_id());
  }
  server_->Kill();
  server_->Restart();
  Connect();
  const v1::Batch batch = Get(id);
  ASSERT_EQ(batch.records_size(), 12);
  for (size_t i = 0; i < acknowledged.size(); ++i) {
    EXPECT_EQ(batch.records(2 + i).record_id(), acknowledged[i]);
    EXPECT_EQ(batch.records(2 + i).observation().confluence_percent(), 10 + i);
  }
}

TEST_F(DurabilityTest, ServesHealthCheckingAndTheRequestLog) {
  // grpc.health.v1.Health/Check with an empty request (service ""); the
  // answer {status: SERVING} encodes as the two bytes 08 01.
  grpc::GenericStub stub(channel_);
  grpc::Slice empty_request("");  // HealthCheckRequest{service: ""}
  grpc::ByteBuffer request_buffer(&empty_request, 1);
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_buffer,
                 &response_buffer, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = s;
                   done = true;
                   cv.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response_buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));

  const std::string log = server_->Log();
  EXPECT_NE(log.find("/cpctrack.v1.PatientService/CreatePatient user=tech.sato OK"), std::string::npos)
      << log;
  EXPECT_NE(log.find("/grpc.health.v1.Health/Check user=- OK"), std::string::npos) << log;
}

TEST_F(DurabilityTest, ServesReflectionListingTheCpctrackServices) {
  // ServerReflectionInfo is a bidirectional stream; send one request
  // {list_services: ""} (field 7, an empty string: bytes 3a 00) and read one
  // answer, which names every service.
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto call = stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                               &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int expected_tag) {
    ASSERT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(tag, reinterpret_cast<void*>(expected_tag));
    ASSERT_TRUE(ok);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  grpc::Slice request_slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&request_slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  step(2);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  step(3);
  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  for (const char* service : {"cpctrack.v1.BatchService", "cpctrack.v1.PatientService",
                              "cpctrack.v1.InventoryService", "cpctrack.v1.ServerInfoService",
                              "grpc.health.v1.Health"}) {
    EXPECT_NE(bytes.find(service), std::string::npos) << service;
  }
}

// Reads the audit trail straight from the database file, as an auditor's
// tool would: (actor, action, resource, old_value, new_value, reason, request_id).
// The audit trail of records: users' logins and changes (users/...) left out.
std::vector<std::vector<std::string>> AuditRows(const std::string& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT actor, action, resource, old_value, new_value, reason, "
                               "request_id FROM audit_log WHERE resource NOT LIKE 'users/%' "
                               "ORDER BY sequence",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < 7; ++i) {
      row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST_F(DurabilityTest, EveryWriteIsInTheAuditTrailWithWhoWhatAndWhy) {
  const std::string id = BatchInCulture();
  v1::RecordObservationRequest observe = Observation(id, 60);
  v1::RecordResponse observed;
  ASSERT_TRUE(batches_->RecordObservation(Context().get(), observe, &observed).ok());
  v1::CorrectRecordRequest correct;
  correct.set_request_id(NewRequestId());
  correct.set_batch_id(id);
  correct.set_record_id(observed.record().record_id());
  correct.set_reason("confluence misread");
  *correct.mutable_observation() = observe.observation();
  correct.mutable_observation()->set_confluence_percent(65);
  v1::RecordResponse corrected;
  ASSERT_TRUE(batches_->CorrectRecord(Context("qa.tanaka").get(), correct, &corrected).ok());
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);

  const auto rows = AuditRows(dir_->path() + "/cpctrack.db");
  std::vector<std::string> actions;
  for (const auto& row : rows) actions.push_back(row[1]);
  // The two products shipped with cpctrack (ADSC-STD and ADSC-FRESH) first.
  // Each lot is accepted by QA (a signature) and each piece of equipment
  // calibrated before use.
  EXPECT_THAT(actions, ::testing::ElementsAre(
                           "product.create", "product.create", "patient.create",
                           "lot.create", "lot.accept", "signature.sign",
                           "lot.create", "lot.accept", "signature.sign",
                           "lot.create", "lot.accept", "signature.sign",
                           "lot.create", "lot.accept", "signature.sign",
                           "equipment.create", "equipment.calibrate",
                           "equipment.create", "equipment.calibrate",
                           "equipment.create", "equipment.calibrate",
                           "batch.create", "batch.receive_tissue", "batch.update",
                           "batch.seed_culture", "batch.update", "batch.record_observation",
                           "batch.correct_record"));
  const auto& last = rows.back();
  EXPECT_EQ(last[0], "qa.tanaka");
  EXPECT_EQ(last[2], "batches/" + id + "/records/" +
                         std::to_string(corrected.record().record_id()));
  EXPECT_THAT(last[3], ::testing::HasSubstr("\"confluence_percent\":60"));
  EXPECT_THAT(last[4], ::testing::HasSubstr("\"confluence_percent\":65"));
  EXPECT_EQ(last[5], "confluence misread");
  EXPECT_EQ(last[6], correct.request_id());
  const auto& state_change = rows[23];  // the batch.update after the receipt
  EXPECT_THAT(state_change[3], ::testing::HasSubstr("REGISTERED"));
  EXPECT_THAT(state_change[4], ::testing::HasSubstr("TISSUE_RECEIVED"));
  server_.reset();
}

TEST_F(DurabilityTest, ListsBatchesByStateAndPatientPageByPage) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(CreateBatch());
  Receive(ids[1]);
  Receive(ids[3]);

  v1::ListBatchesRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    v1::ListBatchesResponse response;
    ASSERT_TRUE(batches_->ListBatches(Context().get(), request, &response).ok());
    for (const auto& b : response.batches()) seen.push_back(b.batch_id());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  v1::ListBatchesRequest by_state;
  by_state.set_state(v1::BATCH_STATE_TISSUE_RECEIVED);
  by_state.set_patient_id("P-001");
  v1::ListBatchesResponse response;
  ASSERT_TRUE(batches_->ListBatches(Context().get(), by_state, &response).ok());
  ASSERT_EQ(response.batches_size(), 2);
  EXPECT_EQ(response.batches(0).batch_id(), ids[3]);
  EXPECT_EQ(response.batches(1).batch_id(), ids[1]);

  v1::ListBatchesRequest bad;
  bad.set_page_token("not-a-token");
  EXPECT_GRPC_ERROR(batches_->ListBatches(Context().get(), bad, &response),
                    grpc::StatusCode::INVALID_ARGUMENT, "page_token");
}

}  // namespace
}  // namespace cpctrack::testing
