#include "bench/workload.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/patients.grpc.pb.h"

namespace cpctrack::bench {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr char kPatient[] = "P-BENCH";

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

// A call as the holder of session `token` ("" for the no-op server).
std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

absl::Status FromGrpc(absl::string_view what, const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// Each client its own connection, as separate bench PCs would have (gRPC
// would otherwise share one subchannel between identical channels).
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

BatchLife::BatchLife(v1::BatchService::Stub& stub, std::string token, int client,
                     const Workload& workload)
    : stub_(stub),
      token_(std::move(token)),
      workload_(workload),
      rng_(static_cast<uint64_t>(client) * 7919 + 1) {}

absl::Status BatchLife::Next() {
  const std::string request_id = absl::StrFormat("bench-%016x%016x", rng_(), rng_());
  if (step_ == 0) return Create(request_id);
  if (step_ == 1) return Receive(request_id);
  if (step_ == 2) return Seed(request_id);
  const absl::Time t = seeded_at_ + step_ * workload_.step_spacing;
  absl::Status status = Step(request_id, t);
  if (++step_ >= 3 + workload_.records_per_batch) step_ = 0;
  return status;
}

absl::Status BatchLife::Create(const std::string& request_id) {
  v1::CreateBatchRequest request;
  request.set_request_id(request_id);
  request.set_patient_id(kPatient);
  request.set_product_code("ADSC-STD");
  v1::Batch batch;
  absl::Status status = FromGrpc("CreateBatch",
                                 stub_.CreateBatch(Context(token_).get(), request, &batch));
  if (status.ok()) {
    batch_id_ = batch.batch_id();
    // Within the 24 h after which a step needs a late-entry reason.
    received_at_ = absl::Now() - absl::Hours(20);
    seeded_at_ = received_at_ + absl::Hours(2);
    passages_ = 0;
    step_ = 1;
  }
  return status;
}

absl::Status BatchLife::Receive(const std::string& request_id) {
  v1::ReceiveTissueRequest request;
  request.set_request_id(request_id);
  request.set_batch_id(batch_id_);
  v1::TissueReceipt* r = request.mutable_tissue_receipt();
  *r->mutable_collection_time() = Ts(received_at_ - absl::Hours(1));
  *r->mutable_receipt_time() = Ts(received_at_);
  r->set_collection_site("abdomen");
  r->set_volume_ml(20);
  r->set_transport_temperature_c(4);
  v1::RecordResponse response;
  return Advance(FromGrpc("ReceiveTissue",
                          stub_.ReceiveTissue(Context(token_).get(), request, &response)));
}

absl::Status BatchLife::Seed(const std::string& request_id) {
  v1::SeedCultureRequest request;
  request.set_request_id(request_id);
  request.set_batch_id(batch_id_);
  v1::Seeding* s = request.mutable_seeding();
  *s->mutable_seeding_time() = Ts(seeded_at_);
  s->set_cells_seeded(kCellsSeeded);
  s->set_vessel_type("T75");
  s->set_vessel_count(2);
  s->set_surface_area_cm2(150);
  s->set_medium_lot("MED-1");
  s->add_reagent_lots("COL-1");
  s->set_incubator_id("INC-01");
  s->set_cabinet_id("BSC-01");
  v1::RecordResponse response;
  return Advance(FromGrpc("SeedCulture", stub_.SeedCulture(Context(token_).get(), request, &response)));
}

absl::Status BatchLife::Advance(absl::Status status) {
  if (status.ok()) ++step_;
  return status;
}

absl::Status BatchLife::Step(const std::string& request_id, absl::Time t) {
  const Mix& mix = workload_.mix;
  const int total = mix.observation + mix.medium_change + mix.passage;
  const int pick = std::uniform_int_distribution<int>(0, total - 1)(rng_);
  v1::RecordResponse response;
  // Four passages per batch stay inside the default limit (P5).
  if (pick >= mix.observation + mix.medium_change && passages_ < 4) {
    v1::RecordPassageRequest request;
    request.set_request_id(request_id);
    request.set_batch_id(batch_id_);
    v1::Passage* p = request.mutable_passage();
    *p->mutable_passage_time() = Ts(t);
    p->set_viable_cells(4 * kCellsSeeded);
    p->set_total_cells(4 * kCellsSeeded + kCellsSeeded / 2);
    p->set_counting_method(v1::COUNTING_METHOD_AUTOMATED_TRYPAN_BLUE);
    p->set_cells_reseeded(kCellsSeeded);
    p->set_medium_lot("MED-1");
    p->add_reagent_lots("TRY-1");
    p->set_incubator_id("INC-01");
    p->set_counter_id("NC-01");
    ++passages_;
    return FromGrpc("RecordPassage", stub_.RecordPassage(Context(token_).get(), request, &response));
  }
  if (pick >= mix.observation) {
    v1::RecordMediumChangeRequest request;
    request.set_request_id(request_id);
    request.set_batch_id(batch_id_);
    *request.mutable_medium_change()->mutable_change_time() = Ts(t);
    request.mutable_medium_change()->set_medium_lot("MED-1");
    request.mutable_medium_change()->set_volume_ml(15);
    return FromGrpc("RecordMediumChange",
                    stub_.RecordMediumChange(Context(token_).get(), request, &response));
  }
  v1::RecordObservationRequest request;
  request.set_request_id(request_id);
  request.set_batch_id(batch_id_);
  *request.mutable_observation()->mutable_observation_time() = Ts(t);
  request.mutable_observation()->set_confluence_percent(20 + step_ % 70);
  request.mutable_observation()->set_morphology("spindle-shaped");
  return FromGrpc("RecordObservation",
                  stub_.RecordObservation(Context(token_).get(), request, &response));
}

absl::StatusOr<Mix> ParseMix(absl::string_view text) {
  Mix mix{0, 0, 0};
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(part, '=');
    int weight = 0;
    if (!absl::SimpleAtoi(kv.second, &weight) || weight < 0 || weight > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("--mix: \"", part, "\": the weight must be 0 to 1000"));
    }
    if (kv.first == "observation") {
      mix.observation = weight;
    } else if (kv.first == "medium_change") {
      mix.medium_change = weight;
    } else if (kv.first == "passage") {
      mix.passage = weight;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--mix: unknown step \"", kv.first, "\" (observation, medium_change, passage)"));
    }
  }
  if (mix.observation + mix.medium_change + mix.passage == 0) {
    return absl::InvalidArgumentError("--mix: at least one weight must be positive");
  }
  return mix;
}

absl::Status RegisterReferenceData(const std::string& address, const Tokens& tokens) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto patients = v1::PatientService::NewStub(channel);
  auto inventory = v1::InventoryService::NewStub(channel);
  const absl::Time now = absl::Now();

  v1::CreatePatientRequest patient;
  patient.set_request_id("bench-patient");
  v1::Patient* p = patient.mutable_patient();
  p->set_patient_id(kPatient);
  p->set_body_weight_kg(60);
  v1::Screening* screening = p->mutable_screening();
  screening->set_hbv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_hcv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_hiv(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_htlv1(v1::SCREENING_RESULT_NEGATIVE);
  screening->set_syphilis(v1::SCREENING_RESULT_NEGATIVE);
  p->mutable_consent()->set_given(true);
  *p->mutable_consent()->mutable_consent_time() = Ts(now - absl::Hours(72));
  p->mutable_consent()->set_document_ref("CF-BENCH");
  v1::Patient created;
  if (absl::Status s = FromGrpc("CreatePatient",
                                patients->CreatePatient(Context(tokens.technician).get(), patient, &created));
      !s.ok()) {
    return s;
  }
  const std::string expiry =
      absl::FormatTime("%Y-%m-%d", now + absl::Hours(24 * 365), absl::UTCTimeZone());
  for (const char* lot : {"MED-1", "COL-1", "TRY-1"}) {
    v1::CreateReagentLotRequest request;
    request.set_request_id(absl::StrCat("bench-lot-", lot));
    request.mutable_lot()->set_lot_number(lot);
    request.mutable_lot()->set_name(lot);
    request.mutable_lot()->set_expiry_date(expiry);
    v1::ReagentLot response;
    if (absl::Status s = FromGrpc("CreateReagentLot",
                                  inventory->CreateReagentLot(Context(tokens.administrator).get(), request, &response));
        !s.ok()) {
      return s;
    }
    v1::AcceptReagentLotRequest accept;
    accept.set_request_id(absl::StrCat("bench-accept-", lot));
    accept.set_lot_number(lot);
    accept.set_certificate(absl::StrCat("CoA ", lot));
    accept.mutable_signature()->set_password(tokens.reviewer_password);
    v1::ReagentLotDecision accepted;
    if (absl::Status s = FromGrpc("AcceptReagentLot",
                                  inventory->AcceptReagentLot(Context(tokens.reviewer).get(), accept, &accepted));
        !s.ok()) {
      return s;
    }
  }
  for (auto [id, kind] : {std::pair{"INC-01", v1::EQUIPMENT_KIND_INCUBATOR},
                          std::pair{"BSC-01", v1::EQUIPMENT_KIND_BIOSAFETY_CABINET},
                          std::pair{"NC-01", v1::EQUIPMENT_KIND_CELL_COUNTER}}) {
    v1::CreateEquipmentRequest request;
    request.set_request_id(absl::StrCat("bench-equipment-", id));
    request.mutable_equipment()->set_equipment_id(id);
    request.mutable_equipment()->set_kind(kind);
    request.mutable_equipment()->set_name(id);
    v1::Equipment response;
    if (absl::Status s = FromGrpc("CreateEquipment",
                                  inventory->CreateEquipment(Context(tokens.administrator).get(), request, &response));
        !s.ok()) {
      return s;
    }
    // Each is used only once calibrated.
    v1::RecordEquipmentUpkeepRequest calibration;
    calibration.set_request_id(absl::StrCat("bench-calibration-", id));
    calibration.set_equipment_id(id);
    calibration.set_kind(v1::UPKEEP_KIND_CALIBRATION);
    calibration.set_certificate(absl::StrCat("CAL-", id));
    calibration.set_next_due(expiry);
    v1::RecordEquipmentUpkeepResponse calibrated;
    if (absl::Status s = FromGrpc("RecordEquipmentUpkeep",
                                  inventory->RecordEquipmentUpkeep(
                                      Context(tokens.administrator).get(), calibration, &calibrated));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

ClientResult RunClient(const std::string& address, const Tokens& tokens, int client,
                       const Workload& workload, absl::Time until) {
  auto stub = v1::BatchService::NewStub(OwnChannel(address));
  BatchLife life(*stub, tokens.technician, client, workload);
  ClientResult result;
  while (absl::Now() < until) {
    const absl::Time start = absl::Now();
    absl::Status status = life.Next();
    if (status.ok()) {
      result.latencies_us.push_back(absl::ToInt64Microseconds(absl::Now() - start));
    } else {
      if (result.errors++ == 0) result.first_error = status.ToString();
    }
  }
  return result;
}

Summary Summarize(const std::vector<ClientResult>& clients, absl::Duration elapsed) {
  Summary summary;
  std::vector<int64_t> all;
  for (const ClientResult& c : clients) {
    all.insert(all.end(), c.latencies_us.begin(), c.latencies_us.end());
    summary.errors += c.errors;
    if (summary.first_error.empty()) summary.first_error = c.first_error;
  }
  summary.requests = static_cast<int64_t>(all.size());
  summary.requests_per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(elapsed);
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    summary.p50_ms = all[all.size() / 2] / 1000.0;
    summary.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)] / 1000.0;
  }
  return summary;
}

absl::StatusOr<double> MeasureFsyncRate(const std::string& dir, absl::Duration duration) {
  const std::string path = absl::StrCat(dir, "/fsync-probe");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", path));
  const std::string page(4096, 'x');
  int64_t syncs = 0;
  const absl::Time start = absl::Now();
  absl::Status status;
  while (absl::Now() - start < duration) {
    if (write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) ||
        fdatasync(fd) != 0) {
      status = absl::InternalError(absl::StrCat("cannot write and sync ", path));
      break;
    }
    ++syncs;
  }
  const absl::Duration elapsed = absl::Now() - start;
  close(fd);
  unlink(path.c_str());
  if (!status.ok()) return status;
  return static_cast<double>(syncs) / absl::ToDoubleSeconds(elapsed);
}

}  // namespace cpctrack::bench
