#ifndef CPCTRACK_SERVER_QC_SERVICE_H_
#define CPCTRACK_SERVER_QC_SERVICE_H_

#include "cpctrack/v1/qc.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class QcService final : public v1::QcService::CallbackService, private CallHandler {
 public:
  QcService(store::Store& store, const ServerConfig& config) : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* DrawSample(grpc::CallbackServerContext* ctx,
                                       const v1::DrawSampleRequest* request,
                                       v1::DrawSampleResponse* response) override;
  grpc::ServerUnaryReactor* OrderTests(grpc::CallbackServerContext* ctx,
                                       const v1::OrderTestsRequest* request,
                                       v1::OrderTestsResponse* response) override;
  grpc::ServerUnaryReactor* RecordResult(grpc::CallbackServerContext* ctx,
                                         const v1::RecordResultRequest* request,
                                         v1::QcWriteResponse* response) override;
  grpc::ServerUnaryReactor* CorrectResult(grpc::CallbackServerContext* ctx,
                                          const v1::CorrectResultRequest* request,
                                          v1::QcWriteResponse* response) override;
  grpc::ServerUnaryReactor* ReviewResult(grpc::CallbackServerContext* ctx,
                                         const v1::ReviewResultRequest* request,
                                         v1::QcWriteResponse* response) override;
  grpc::ServerUnaryReactor* InvalidateTest(grpc::CallbackServerContext* ctx,
                                           const v1::InvalidateTestRequest* request,
                                           v1::QcWriteResponse* response) override;
  grpc::ServerUnaryReactor* GetTest(grpc::CallbackServerContext* ctx,
                                    const v1::GetTestRequest* request,
                                    v1::QcTest* response) override;
  grpc::ServerUnaryReactor* ListTests(grpc::CallbackServerContext* ctx,
                                      const v1::ListTestsRequest* request,
                                      v1::ListTestsResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_QC_SERVICE_H_
