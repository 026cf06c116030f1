// A real cpcd on a temporary database with gRPC stubs that call it as a
// named user, and helpers that build a batch up to a given step.
#ifndef CPCTRACK_TESTS_E2E_API_FIXTURE_H_
#define CPCTRACK_TESTS_E2E_API_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "cpctrack/v1/server_info.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {

namespace v1 = ::cpctrack::v1;

google::protobuf::Timestamp Ts(absl::Time t);
absl::Time FromTs(const google::protobuf::Timestamp& ts);
std::string NewRequestId();
// PRAGMA integrity_check of a database file (opened read-only): "ok" when sound.
std::string IntegrityCheck(const std::string& db_path);

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)connects the stubs to the server's current port.
  void Connect();
  // Drops the stubs and the channel, before stopping the server.
  void Disconnect();
  // A context with the session token of `user` (logged in on first use;
  // empty: no token) and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& user = "tech.sato");

  // Registers patient P-001 (eligible), lots MED-1 (alpha-MEM), COL-1
  // (collagenase), TRY-1 (TrypLE), OLD-1 (expired), each accepted by QA
  // (kLotAcceptor, not their registrar), incubator INC-01,
  // cabinet BSC-01 and cell counter NC-01 (each calibrated, due in a year).
  void RegisterBasics();
  // A consenting patient, screened negative, consent 72 h ago (as P-001).
  void CreatePatient(const std::string& patient_id);
  // As the administrator: tank LN2-A (LN2 vapour, "Vapour tank A"), rack R1
  // and a 9x9 box B1.
  void DefineBox();
  // A request freezing `vials` vials of 5e7 cells (1.5 mL, CryoStor CS10, lot
  // MED-1) 40 minutes ago, at LN2-A/R1/B1/A1 onwards (DefineBox's box).
  v1::FreezeUnitsRequest FreezeVialsRequest(const std::string& batch_id, int vials);
  // A new batch for P-001, returned as its ID.
  std::string CreateBatch();
  // As the administrator: the next version of ADSC-STD, whose sterility and
  // mycoplasma tests use validated rapid methods with a 30-minute minimum
  // incubation, so that suites about release and the bedside can result a
  // batch within the last hour. (The 14-day compendial culture is the
  // default and has its own tests.)
  void UseRapidCultureMethods();
  // A new batch with tissue received and P0 seeded 20 hours ago.
  std::string BatchInCulture();
  std::string db_path() const { return dir_->path() + "/cpctrack.db"; }
  // Receives tissue collected `hours_ago` (receipt an hour later).
  v1::RecordResponse Receive(const std::string& batch_id, double hours_ago = 30);
  v1::Seeding SeedingAt(absl::Time t, int64_t cells = 2'000'000);
  v1::RecordResponse Seed(const std::string& batch_id, absl::Time t, int64_t cells = 2'000'000);
  v1::Passage PassageAt(absl::Time t, int64_t viable, int64_t reseed);
  v1::Batch Get(const std::string& batch_id);
  // Suites compress weeks of culture into seconds, so a step dated more than
  // a day ago is, to cpcd, written down late (the product allows 24 h): it
  // gives its reason, as a technician typing up a paper record would.
  template <class StepRequest>
  static void ExplainIfLate(StepRequest& request, absl::Time event) {
    if (absl::Now() - event > absl::Hours(23)) {
      request.set_late_entry_reason("transcribed from the paper batch record");
    }
  }

  absl::Time now_ = absl::Now();
  std::mutex tokens_mutex_;  // tests call Context() from several threads
  std::map<std::string, std::string> tokens_;  // user -> session token
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PatientService::Stub> patients_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::BatchService::Stub> batches_;
  std::unique_ptr<v1::ServerInfoService::Stub> info_;
};

// EXPECT that `status` has `code` and a message containing `text`.
#define EXPECT_GRPC_ERROR(status, code, text)                                \
  do {                                                                      \
    const grpc::Status s_ = (status);                                       \
    EXPECT_EQ(s_.error_code(), (code)) << s_.error_message();               \
    EXPECT_NE(s_.error_message().find(text), std::string::npos)             \
        << "message: " << s_.error_message();                               \
  } while (0)

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_API_FIXTURE_H_
