#include "tests/e2e/api_fixture.h"

#include <sqlite3.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cpctrack::testing {

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string NewRequestId() {
  // One generator per thread: a shared one raced between client threads
  // and handed two writers the same ID (the crash test caught it).
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("req-%016x%016x", rng(), rng());
}

std::string IntegrityCheck(const std::string& db_path) {
  sqlite3* db = nullptr;
  std::string result = "cannot open " + db_path;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    result = "cannot run integrity_check";
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
      result.clear();
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        if (!result.empty()) result += "; ";
        result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return result;
}

void ApiTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  server_ = std::make_unique<ServerProcess>(db_path());
  Connect();
}

void ApiTest::TearDown() {
  Disconnect();
  if (server_ != nullptr) {
    EXPECT_EQ(server_->Stop(), 0) << server_->Log();
  }
}

void ApiTest::Disconnect() {
  // An idle open connection holds up cpcd's graceful shutdown for seconds.
  patients_.reset();
  inventory_.reset();
  batches_.reset();
  info_.reset();
  channel_.reset();
}

void ApiTest::Connect() {
  channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  patients_ = v1::PatientService::NewStub(channel_);
  inventory_ = v1::InventoryService::NewStub(channel_);
  batches_ = v1::BatchService::NewStub(channel_);
  info_ = v1::ServerInfoService::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> ApiTest::Context(const std::string& user) {
  if (user.empty()) return TokenContext("");
  std::lock_guard<std::mutex> lock(tokens_mutex_);
  auto [it, added] = tokens_.try_emplace(user);
  if (added) it->second = LoginToken(channel_, user);
  return TokenContext(it->second);
}

void ApiTest::DefineBox() {
  auto storage = v1::StorageService::NewStub(channel_);
  v1::CreateTankRequest tank;
  tank.set_request_id(NewRequestId());
  tank.set_tank_id("LN2-A");
  tank.set_name("Vapour tank A");
  tank.set_temperature_class(v1::TEMPERATURE_CLASS_LN2_VAPOUR);
  v1::Tank t;
  grpc::Status status = storage->CreateTank(Context(kAdmin).get(), tank, &t);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::AddRackRequest rack;
  rack.set_request_id(NewRequestId());
  rack.set_tank_id("LN2-A");
  rack.set_rack("R1");
  status = storage->AddRack(Context(kAdmin).get(), rack, &t);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::AddBoxRequest box;
  box.set_request_id(NewRequestId());
  box.set_tank_id("LN2-A");
  box.set_rack("R1");
  box.set_box("B1");
  box.set_rows(9);
  box.set_columns(9);
  v1::Box b;
  status = storage->AddBox(Context(kAdmin).get(), box, &b);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void ApiTest::CreatePatient(const std::string& patient_id) {
  v1::CreatePatientRequest patient;
  patient.set_request_id(NewRequestId());
  v1::Patient* p = patient.mutable_patient();
  p->set_patient_id(patient_id);
  p->set_body_weight_kg(61.5);
  v1::Screening* screening = p->mutable_screening();
  screening->set_hbv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_hcv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_hiv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_htlv1(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_syphilis(v1::SCREENING_RESULT_NEGATIVE);
  p->mutable_consent()->set_given(true);
  *p->mutable_consent()->mutable_consent_time() = Ts(now_ - absl::Hours(72));
  p->mutable_consent()->set_document_ref("CF-0001");
  v1::Patient created;
  ASSERT_TRUE(patients_->CreatePatient(Context().get(), patient, &created).ok());
}

void ApiTest::RegisterBasics() {
  CreatePatient("P-001");
  if (HasFatalFailure()) return;

  const std::string future = absl::FormatTime("%Y-%m-%d", now_ + absl::Hours(24 * 365),
                                              absl::UTCTimeZone());
  struct Lot {
    const char* number;
    const char* name;
    std::string expiry;
  };
  for (const Lot& lot : {Lot{"MED-1", "alpha-MEM", future}, Lot{"COL-1", "collagenase", future},
                         Lot{"TRY-1", "TrypLE", future}, Lot{"OLD-1", "alpha-MEM", "2020-01-31"}}) {
    v1::CreateReagentLotRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_lot()->set_lot_number(lot.number);
    request.mutable_lot()->set_name(lot.name);
    request.mutable_lot()->set_expiry_date(lot.expiry);
    v1::ReagentLot response;
    ASSERT_TRUE(inventory_->CreateReagentLot(Context(kAdmin).get(), request, &response).ok());
    // Received into quarantine; QA accepts it on the supplier's certificate.
    v1::AcceptReagentLotRequest accept;
    accept.set_request_id(NewRequestId());
    accept.set_lot_number(lot.number);
    accept.set_certificate(absl::StrCat("CoA ", lot.number));
    accept.mutable_signature()->set_password(TestPassword(kLotAcceptor));
    v1::ReagentLotDecision accepted;
    grpc::Status status =
        inventory_->AcceptReagentLot(Context(kLotAcceptor).get(), accept, &accepted);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (auto [id, kind] : {std::pair{"INC-01", v1::EQUIPMENT_KIND_INCUBATOR},
                          std::pair{"BSC-01", v1::EQUIPMENT_KIND_BIOSAFETY_CABINET},
                          std::pair{"NC-01", v1::EQUIPMENT_KIND_CELL_COUNTER}}) {
    v1::CreateEquipmentRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_equipment()->set_equipment_id(id);
    request.mutable_equipment()->set_kind(kind);
    request.mutable_equipment()->set_name(id);
    v1::Equipment response;
    ASSERT_TRUE(inventory_->CreateEquipment(Context(kAdmin).get(), request, &response).ok());
    // Each is a kind that is used only once calibrated.
    v1::RecordEquipmentUpkeepRequest calibration;
    calibration.set_request_id(NewRequestId());
    calibration.set_equipment_id(id);
    calibration.set_kind(v1::UPKEEP_KIND_CALIBRATION);
    calibration.set_certificate(absl::StrCat("CAL-", id));
    calibration.set_next_due(future);
    v1::RecordEquipmentUpkeepResponse calibrated;
    grpc::Status status =
        inventory_->RecordEquipmentUpkeep(Context(kAdmin).get(), calibration, &calibrated);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

v1::FreezeUnitsRequest ApiTest::FreezeVialsRequest(const std::string& batch_id, int vials) {
  v1::FreezeUnitsRequest freeze;
  freeze.set_request_id(NewRequestId());
  freeze.set_batch_id(batch_id);
  freeze.set_kind(v1::UNIT_KIND_VIAL);
  *freeze.mutable_frozen_time() = Ts(now_ - absl::Minutes(40));
  freeze.set_freezing_medium("CryoStor CS10");
  freeze.set_medium_lot("MED-1");
  freeze.set_freezer_program("-1C/min to -90C");
  for (int i = 1; i <= vials; ++i) {
    v1::UnitSpec* unit = freeze.add_units();
    unit->set_cells(50'000'000);
    unit->set_volume_ml(1.5);
    unit->set_position(absl::StrCat("LN2-A/R1/B1/A", i));
  }
  return freeze;
}

void ApiTest::UseRapidCultureMethods() {
  v1::CreateProductRequest request;
  request.set_request_id(NewRequestId());
  v1::Product* product = request.mutable_product();
  product->set_product_code("ADSC-STD");
  for (v1::QcTestType type :
       {v1::QC_TEST_TYPE_STERILITY, v1::QC_TEST_TYPE_MYCOPLASMA, v1::QC_TEST_TYPE_ENDOTOXIN,
        v1::QC_TEST_TYPE_GRAM_STAIN, v1::QC_TEST_TYPE_FLOW_CYTOMETRY,
        v1::QC_TEST_TYPE_VIABILITY}) {
    v1::RequiredTest* test = product->add_required_tests();
    test->set_type(type);
    if (type == v1::QC_TEST_TYPE_STERILITY || type == v1::QC_TEST_TYPE_MYCOPLASMA) {
      test->set_method("validated rapid method");
      test->mutable_min_incubation()->set_seconds(30 * 60);
    }
  }
  v1::Product created;
  const grpc::Status status = inventory_->CreateProduct(Context(kAdmin).get(), request, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

std::string ApiTest::CreateBatch() {
  v1::CreateBatchRequest request;
  request.set_request_id(NewRequestId());
  request.set_patient_id("P-001");
  request.set_product_code("ADSC-STD");
  v1::Batch batch;
  const grpc::Status status = batches_->CreateBatch(Context().get(), request, &batch);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return batch.batch_id();
}

std::string ApiTest::BatchInCulture() {
  const std::string id = CreateBatch();
  Receive(id);
  Seed(id, now_ - absl::Hours(20));
  return id;
}

v1::RecordResponse ApiTest::Receive(const std::string& batch_id, double hours_ago) {
  v1::ReceiveTissueRequest request;
  request.set_request_id(NewRequestId());
  request.set_batch_id(batch_id);
  v1::TissueReceipt* r = request.mutable_tissue_receipt();
  *r->mutable_collection_time() = Ts(now_ - absl::Hours(hours_ago));
  *r->mutable_receipt_time() = Ts(now_ - absl::Hours(hours_ago - 1));
  ExplainIfLate(request, now_ - absl::Hours(hours_ago - 1));
  r->set_collection_site("abdomen");
  r->set_volume_ml(20);
  r->set_transport_temperature_c(4);
  v1::RecordResponse response;
  const grpc::Status status = batches_->ReceiveTissue(Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

v1::Seeding ApiTest::SeedingAt(absl::Time t, int64_t cells) {
  v1::Seeding s;
  *s.mutable_seeding_time() = Ts(t);
  s.set_cells_seeded(cells);
  s.set_vessel_type("T75");
  s.set_vessel_count(2);
  s.set_surface_area_cm2(150);
  s.set_medium_lot("MED-1");
  s.add_reagent_lots("COL-1");
  s.set_incubator_id("INC-01");
  s.set_cabinet_id("BSC-01");
  return s;
}

v1::RecordResponse ApiTest::Seed(const std::string& batch_id, absl::Time t, int64_t cells) {
  v1::SeedCultureRequest request;
  request.set_request_id(NewRequestId());
  request.set_batch_id(batch_id);
  *request.mutable_seeding() = SeedingAt(t, cells);
  ExplainIfLate(request, t);
  v1::RecordResponse response;
  const grpc::Status status = batches_->SeedCulture(Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

v1::Passage ApiTest::PassageAt(absl::Time t, int64_t viable, int64_t reseed) {
  v1::Passage p;
  *p.mutable_passage_time() = Ts(t);
  p.set_total_cells(viable + viable / 10);
  p.set_viable_cells(viable);
  p.set_counting_method(v1::COUNTING_METHOD_AUTOMATED_TRYPAN_BLUE);
  p.set_cells_reseeded(reseed);
  p.set_medium_lot("MED-1");
  p.add_reagent_lots("TRY-1");
  p.set_incubator_id("INC-01");
  p.set_counter_id("NC-01");
  return p;
}

v1::Batch ApiTest::Get(const std::string& batch_id) {
  v1::GetBatchRequest request;
  request.set_batch_id(batch_id);
  request.set_view(v1::BATCH_VIEW_FULL);
  v1::Batch batch;
  const grpc::Status status = batches_->GetBatch(Context().get(), request, &batch);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return batch;
}

}  // namespace cpctrack::testing
