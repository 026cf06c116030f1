#ifndef CPCTRACK_TESTS_CLIENT_FAKE_SERVICES_H_
#define CPCTRACK_TESTS_CLIENT_FAKE_SERVICES_H_

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/deviations.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "tests/client/session_metadata.h"

namespace cpc {

// A proto from text format, failing the test when the text is wrong.
template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

// One fake method: keeps every request and the user whose session it came with, and
// answers with the queued responses in turn, then with `response`, or with
// `status` when that is not OK.
template <typename Request, typename Response>
class Canned {
 public:
  grpc::Status Answer(grpc::ServerContext* context, const Request* request,
                      Response* response) {
    std::lock_guard<std::mutex> lock(mutex_);
    requests.push_back(*request);
    users.push_back(SessionUser(*context));
    if (!status.ok()) return status;
    if (!queued.empty()) {
      *response = queued.front();
      queued.pop_front();
    } else {
      *response = this->response;
    }
    return grpc::Status::OK;
  }
  const Request& last() const { return requests.back(); }

  std::vector<Request> requests;
  std::vector<std::string> users;
  std::deque<Response> queued;
  Response response;
  grpc::Status status = grpc::Status::OK;

 private:
  std::mutex mutex_;
};

#define CPC_FAKE_METHOD(Method, Request, Response)                                 \
  Canned<cpctrack::v1::Request, cpctrack::v1::Response> Method##_;                 \
  grpc::Status Method(grpc::ServerContext* context, const cpctrack::v1::Request* r, \
                      cpctrack::v1::Response* response) override {                \
    return Method##_.Answer(context, r, response);                                 \
  }

class FakeQcService final : public cpctrack::v1::QcService::Service {
 public:
  CPC_FAKE_METHOD(DrawSample, DrawSampleRequest, DrawSampleResponse)
  CPC_FAKE_METHOD(OrderTests, OrderTestsRequest, OrderTestsResponse)
  CPC_FAKE_METHOD(RecordResult, RecordResultRequest, QcWriteResponse)
  CPC_FAKE_METHOD(CorrectResult, CorrectResultRequest, QcWriteResponse)
  CPC_FAKE_METHOD(ReviewResult, ReviewResultRequest, QcWriteResponse)
  CPC_FAKE_METHOD(InvalidateTest, InvalidateTestRequest, QcWriteResponse)
  CPC_FAKE_METHOD(GetTest, GetTestRequest, QcTest)
  CPC_FAKE_METHOD(ListTests, ListTestsRequest, ListTestsResponse)
};

class FakeDeviationService final : public cpctrack::v1::DeviationService::Service {
 public:
  CPC_FAKE_METHOD(OpenDeviation, OpenDeviationRequest, Deviation)
  CPC_FAKE_METHOD(AddDeviationNote, AddDeviationNoteRequest, Deviation)
  CPC_FAKE_METHOD(CloseDeviation, CloseDeviationRequest, CloseDeviationResponse)
  CPC_FAKE_METHOD(GetDeviation, GetDeviationRequest, Deviation)
  CPC_FAKE_METHOD(ListDeviations, ListDeviationsRequest, ListDeviationsResponse)
};

class FakeStorageService final : public cpctrack::v1::StorageService::Service {
 public:
  CPC_FAKE_METHOD(CreateTank, CreateTankRequest, Tank)
  CPC_FAKE_METHOD(AddRack, AddRackRequest, Tank)
  CPC_FAKE_METHOD(AddBox, AddBoxRequest, Box)
  CPC_FAKE_METHOD(GetTank, GetTankRequest, Tank)
  CPC_FAKE_METHOD(ListTanks, ListTanksRequest, ListTanksResponse)
};

class FakeUnitService final : public cpctrack::v1::UnitService::Service {
 public:
  CPC_FAKE_METHOD(FreezeUnits, FreezeUnitsRequest, FreezeUnitsResponse)
  CPC_FAKE_METHOD(FormulateFreshUnits, FormulateFreshUnitsRequest, FormulateFreshUnitsResponse)
  CPC_FAKE_METHOD(GetUnit, GetUnitRequest, Unit)
  CPC_FAKE_METHOD(ListUnits, ListUnitsRequest, ListUnitsResponse)
  CPC_FAKE_METHOD(MoveUnit, MoveUnitRequest, Unit)
  CPC_FAKE_METHOD(ThawUnit, ThawUnitRequest, ThawUnitResponse)
  CPC_FAKE_METHOD(DisposeUnit, DisposeUnitRequest, Unit)
};

class FakeBatchReadService final : public cpctrack::v1::BatchService::Service {
 public:
  CPC_FAKE_METHOD(GetBatch, GetBatchRequest, Batch)
  CPC_FAKE_METHOD(ListBatches, ListBatchesRequest, ListBatchesResponse)
  CPC_FAKE_METHOD(DisposeBatch, DisposeBatchRequest, Batch)
};

class FakeReadinessService final : public cpctrack::v1::ReadinessService::Service {
 public:
  CPC_FAKE_METHOD(GetReadiness, GetReadinessRequest, Readiness)
  CPC_FAKE_METHOD(GetBoard, GetBoardRequest, Board)
  CPC_FAKE_METHOD(ReleaseBatch, ReleaseBatchRequest, ReleaseBatchResponse)
};

class FakeTreatmentService final : public cpctrack::v1::TreatmentService::Service {
 public:
  CPC_FAKE_METHOD(CreatePlan, CreatePlanRequest, TreatmentPlan)
  CPC_FAKE_METHOD(GetPlan, GetPlanRequest, TreatmentPlan)
  CPC_FAKE_METHOD(RecordInfusion, RecordInfusionRequest, RecordInfusionResponse)
};

class FakeProductService final : public cpctrack::v1::InventoryService::Service {
 public:
  CPC_FAKE_METHOD(ListProducts, ListProductsRequest, ListProductsResponse)
  CPC_FAKE_METHOD(CreateProduct, CreateProductRequest, Product)
};

#undef CPC_FAKE_METHOD

}  // namespace cpc

#endif  // CPCTRACK_TESTS_CLIENT_FAKE_SERVICES_H_
