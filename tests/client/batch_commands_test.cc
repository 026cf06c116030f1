// The batch commands end to end against an in-process fake BatchService:
// what goes over the wire, and what the technician reads.
#include <cstdlib>
#include <memory>
#include <sstream>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "tests/client/in_process_server.h"
#include "tests/client/session_metadata.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "google/protobuf/text_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// P0 seeded 2.5e6 on 11-20 00:00 UTC; passage #3 (later corrected by #4)
// harvested on 11-23; one open late-processing deviation.
constexpr char kBatch[] = R"pb(
  batch_id: "A9999260000018" patient_id: "TKY-0042" product_code: "ADSC-STD"
  product_version: 1 state: BATCH_STATE_IN_CULTURE current_passage: 1
  create_time { seconds: 1795132800 } created_by: "ana" open_deviation_count: 1
  records {
    record_id: 1 recorded_by: "ana" record_time { seconds: 1795132800 }
    tissue_receipt {
      collection_time { seconds: 1794960000 } receipt_time { seconds: 1795132800 }
      collection_site: "abdomen" volume_ml: 20 transport_temperature_c: 4
    }
  }
  records {
    record_id: 2 recorded_by: "ana" record_time { seconds: 1795132800 }
    seeding {
      seeding_time { seconds: 1795132800 } cells_seeded: 2500000 vessel_type: "T75"
      vessel_count: 2 surface_area_cm2: 150 medium_lot: "MEM-1" incubator_id: "INC-01"
    }
  }
  records {
    record_id: 3 recorded_by: "ben" record_time { seconds: 1795392000 }
    corrected_by_record_id: 4
    passage {
      passage_time { seconds: 1795392000 } total_cells: 12000000 viable_cells: 10000000
      viability_percent: 83.3 counting_method: COUNTING_METHOD_AUTOMATED_AO_PI
      cells_reseeded: 3000000 vessel_count: 4 medium_lot: "MEM-1" reagent_lots: "TRY-9"
      incubator_id: "INC-01" passage_number: 1
    }
  }
  records {
    record_id: 4 recorded_by: "cho" record_time { seconds: 1795400000 }
    corrects_record_id: 3 correction_reason: "misread counter"
    passage {
      passage_time { seconds: 1795392000 } total_cells: 12000000 viable_cells: 11000000
      viability_percent: 91.7 counting_method: COUNTING_METHOD_AUTOMATED_AO_PI
      cells_reseeded: 3000000 vessel_count: 4 medium_lot: "MEM-1" reagent_lots: "TRY-9"
      incubator_id: "INC-01" passage_number: 1
    }
  }
  growth {
    current_passage: 1 cumulative_population_doublings: 2.14
    current_viable_cells: 11000000 cells_in_culture: 3000000
    passages {
      passage_number: 1 seeding_time { seconds: 1795132800 }
      harvest_time { seconds: 1795392000 } cells_seeded: 2500000
      viable_cells_harvested: 11000000 population_doublings: 2.14
      doubling_time { seconds: 121118 }
    }
  }
  deviations {
    deviation_id: 7 batch_id: "A9999260000018" kind: DEVIATION_KIND_LATE_PROCESSING
    description: "processing started 48.0 h after collection" state: DEVIATION_STATE_OPEN
    open_time { seconds: 1795132800 } opened_by: "cpcd" record_id: 1
  }
)pb";

class FakeBatchService final : public v1::BatchService::Service {
 public:
  FakeBatchService() {
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kBatch, &batch_));
  }
  grpc::Status GetBatch(grpc::ServerContext* context, const v1::GetBatchRequest* request,
                        v1::Batch* response) override {
    get_requests.push_back(*request);
    if (request->batch_id() != batch_.batch_id()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no batch " + request->batch_id());
    }
    *response = batch_;
    return grpc::Status::OK;
  }
  grpc::Status CorrectRecord(grpc::ServerContext* context,
                             const v1::CorrectRecordRequest* request,
                             v1::RecordResponse* response) override {
    correct_request = *request;
    user = SessionUser(*context);
    response->mutable_batch()->set_batch_id(batch_.batch_id());
    response->mutable_record()->set_record_id(9);
    *response->mutable_record()->mutable_passage() = request->passage();
    return grpc::Status::OK;
  }
  grpc::Status RecordPassage(grpc::ServerContext* context,
                             const v1::RecordPassageRequest* request,
                             v1::RecordResponse* response) override {
    passage_request = *request;
    user = SessionUser(*context);
    if (refuse_writes) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "batch A9999260000018 is TISSUE_RECEIVED; seed it first");
    }
    response->mutable_batch()->set_batch_id(batch_.batch_id());
    response->mutable_batch()->set_current_passage(1);
    response->mutable_batch()->set_state(v1::BATCH_STATE_IN_CULTURE);
    response->mutable_record()->set_record_id(3);
    *response->mutable_record()->mutable_passage() = batch_.records(3).passage();
    return grpc::Status::OK;
  }
  grpc::Status ListBatches(grpc::ServerContext* context, const v1::ListBatchesRequest* request,
                           v1::ListBatchesResponse* response) override {
    list_request = *request;
    *response->add_batches() = batch_;
    response->set_next_page_token("tok 2");
    return grpc::Status::OK;
  }

  bool refuse_writes = false;
  std::vector<v1::GetBatchRequest> get_requests;
  v1::CorrectRecordRequest correct_request;
  v1::RecordPassageRequest passage_request;
  v1::ListBatchesRequest list_request;
  std::string user;

 private:
  v1::Batch batch_;
};

class BatchCommandsTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }

  FakeBatchService service_;
};

TEST_F(BatchCommandsTest, ShowPutsOpenDeviationsFirstAndFoldsCorrections) {
  ASSERT_EQ(Cpc({"batch", "show", "A9999 26 000001 8"}), 0) << err_.str();
  EXPECT_EQ(service_.get_requests.at(0).batch_id(), "A9999260000018");
  EXPECT_EQ(service_.get_requests.at(0).view(), v1::BATCH_VIEW_FULL);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Batch A9999 26 000001 8   (A9999260000018)\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "created  2026-11-20 00:00 UTC by ana")) << out;
  size_t deviation = out.find("!! OPEN DEVIATION #7 late processing: processing started");
  ASSERT_NE(deviation, std::string::npos) << out;
  EXPECT_LT(deviation, out.find("Growth")) << out;
  EXPECT_TRUE(absl::StrContains(
      out, "  P0 -> P1   2.5e6             1.1e7  2.14         33.6 h    2.14"))
      << out;
  // Record #3 shows its corrected values, the correction, and what it was.
  // The created line says UTC; the timeline's times say their zone too.
  EXPECT_TRUE(absl::StrContains(out, "  RECORD  TIME (UTC)        STEP")) << out;
  EXPECT_TRUE(absl::StrContains(out, "#3      2026-11-23 00:00  passage  ben  P0 -> P1  viable "
                                     "1.1e7 of 1.2e7 (91.7%, aopi)"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "corrected by #4 (reason: misread counter), cho")) << out;
  EXPECT_TRUE(absl::StrContains(out, "history: #3 2026-11-23 00:00  P0 -> P1  viable 1e7 "))
      << out;
  // The correcting record has no line of its own.
  EXPECT_FALSE(absl::StrContains(out, "\n  #4 ")) << out;
}

TEST_F(BatchCommandsTest, ShowAsJsonUsesProtoFieldNames) {
  ASSERT_EQ(Cpc({"batch", "show", "A9999260000018", "--json"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"batch_id\": \"A9999260000018\"")) << out_.str();
}

TEST_F(BatchCommandsTest, ShowAsJsonPrintsZeroValues) {
  ASSERT_EQ(Cpc({"batch", "show", "A9999260000018", "--json"}), 0) << err_.str();
  // Passage #3's corrects_record_id is 0: present, so scripts need not guess.
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"corrects_record_id\": \"0\"")) << out_.str();
}

TEST_F(BatchCommandsTest, BatchIdsTypedWithDashesOrLowerCaseAreTheSame) {
  ASSERT_EQ(Cpc({"batch", "show", "a9999-26-000001-8"}), 0) << err_.str();
  EXPECT_EQ(service_.get_requests.at(0).batch_id(), "A9999260000018");
}

TEST_F(BatchCommandsTest, ServerErrorsAreOneLineWithTheCodeName) {
  EXPECT_EQ(Cpc({"batch", "show", "B000026000001Y"}), 1);
  EXPECT_EQ(err_.str(), "cpc: NOT_FOUND: no batch B000026000001Y\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(BatchCommandsTest, CorrectSendsTheRecordWithOnlyTheGivenFlagsChanged) {
  ASSERT_EQ(Cpc({"batch", "correct", "A9999260000018", "#4", "--viable", "1.05e7",
                 "--reason", "recount"}),
            0)
      << err_.str();
  const v1::CorrectRecordRequest& request = service_.correct_request;
  EXPECT_EQ(request.record_id(), 4);
  EXPECT_EQ(request.reason(), "recount");
  EXPECT_EQ(request.request_id().size(), 36u);
  EXPECT_EQ(request.request_id()[14], '4');  // UUID version 4
  EXPECT_EQ(service_.user, "ana");
  ASSERT_TRUE(request.has_passage());
  EXPECT_EQ(request.passage().viable_cells(), 10500000);
  EXPECT_EQ(request.passage().total_cells(), 12000000);
  EXPECT_EQ(request.passage().reagent_lots_size(), 1);
  EXPECT_EQ(request.passage().incubator_id(), "INC-01");
  // A new count with the old viability would disagree; the server recomputes it.
  EXPECT_EQ(request.passage().viability_percent(), 0);
  EXPECT_EQ(request.passage().passage_number(), 0);
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Corrected passage #4 with #9 (reason: recount)\n"))
      << out_.str();
}

TEST_F(BatchCommandsTest, CorrectRefusesFlagsOfAnotherKindAndSupersededRecords) {
  EXPECT_EQ(Cpc({"batch", "correct", "A9999260000018", "4", "--confluence", "70",
                 "--reason", "x"}),
            2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: batch correct: --confluence does not apply "
                                           "to record #4 (passage); its flags are --total"))
      << err_.str();
  EXPECT_EQ(Cpc({"batch", "correct", "A9999260000018", "3", "--viable", "1", "--reason", "x"}),
            1);
  EXPECT_EQ(err_.str(), "cpc: FAILED_PRECONDITION: record #3 was already corrected by #4; "
                        "correct #4 instead\n");
  EXPECT_EQ(Cpc({"batch", "correct", "A9999260000018", "4", "--viable", "1e7"}), 2);
  EXPECT_EQ(err_.str(), "cpc: batch correct: --reason is required\n");
}

TEST_F(BatchCommandsTest, PassageShowsTheGrowthItProduced) {
  ASSERT_EQ(Cpc({"batch", "passage", "A9999260000018", "--total", "12,000,000", "--viable",
                 "1.1e7", "--method", "aopi", "--counter", "NC-01", "--reseed", "3e6",
                 "--medium-lot", "MEM-1",
                 "--reagent-lot", "TRY-9,COL-2", "--incubator", "INC-01"}),
            0)
      << err_.str();
  const v1::Passage& sent = service_.passage_request.passage();
  EXPECT_EQ(sent.total_cells(), 12000000);
  EXPECT_EQ(sent.counting_method(), v1::COUNTING_METHOD_AUTOMATED_AO_PI);
  EXPECT_EQ(sent.counter_id(), "NC-01");
  EXPECT_EQ(sent.reagent_lots_size(), 2);
  EXPECT_TRUE(sent.has_passage_time());
  EXPECT_TRUE(absl::StrContains(out_.str(),
                                "now P1  PD 2.14  doubling time 33.6 h  cumulative PD 2.14"))
      << out_.str();
}

TEST_F(BatchCommandsTest, RefusedWriteExitsOneWithTheServersWords) {
  service_.refuse_writes = true;
  EXPECT_EQ(Cpc({"batch", "passage", "A9999260000018", "--total", "1", "--viable", "1", "--method", "aopi",
                 "--counter", "C", "--reseed", "1", "--medium-lot", "M", "--incubator", "I"},
                /*user=*/""),
            1);
  EXPECT_EQ(service_.user, "<none>");  // no identity: no metadata at all
  EXPECT_EQ(err_.str(),
            "cpc: FAILED_PRECONDITION: batch A9999260000018 is TISSUE_RECEIVED; seed it first\n");
}

TEST_F(BatchCommandsTest, ListPrintsTheCommandForTheNextPage) {
  ASSERT_EQ(Cpc({"batch", "list", "--state", "in-culture", "--page-size", "1"}), 0)
      << err_.str();
  EXPECT_EQ(service_.list_request.state(), v1::BATCH_STATE_IN_CULTURE);
  EXPECT_EQ(service_.list_request.page_size(), 1);
  EXPECT_TRUE(absl::StrContains(out_.str(), "A9999260000018  TKY-0042  ADSC-STD v1  in-culture"))
      << out_.str();
  EXPECT_TRUE(absl::EndsWith(out_.str(),
                             "\nMore: cpc batch list --page-size 1 --state in-culture "
                             "--page-token 'tok 2'\n"))
      << out_.str();
}

}  // namespace
}  // namespace cpc
