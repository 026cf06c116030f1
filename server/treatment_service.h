#ifndef CPCTRACK_SERVER_TREATMENT_SERVICE_H_
#define CPCTRACK_SERVER_TREATMENT_SERVICE_H_

#include <string>

#include "app/treatment.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class ReadinessService final : public v1::ReadinessService::CallbackService, private CallHandler {
 public:
  ReadinessService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* GetReadiness(grpc::CallbackServerContext* ctx,
                                         const v1::GetReadinessRequest* request,
                                         v1::Readiness* response) override;
  grpc::ServerUnaryReactor* GetBoard(grpc::CallbackServerContext* ctx,
                                     const v1::GetBoardRequest* request,
                                     v1::Board* response) override;
  grpc::ServerUnaryReactor* ReleaseBatch(grpc::CallbackServerContext* ctx,
                                         const v1::ReleaseBatchRequest* request,
                                         v1::ReleaseBatchResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

class TreatmentService final : public v1::TreatmentService::CallbackService, private CallHandler {
 public:
  TreatmentService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreatePlan(grpc::CallbackServerContext* ctx,
                                       const v1::CreatePlanRequest* request,
                                       v1::TreatmentPlan* response) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx,
                                    const v1::GetPlanRequest* request,
                                    v1::TreatmentPlan* response) override;
  grpc::ServerUnaryReactor* RecordInfusion(grpc::CallbackServerContext* ctx,
                                           const v1::RecordInfusionRequest* request,
                                           v1::RecordInfusionResponse* response) override;

 private:
  Reply RecordVerifiedInfusion(const v1::RecordInfusionRequest* request,
                               v1::RecordInfusionResponse* response, const Caller& caller,
                               const std::string& unit_id, const app::Verifier& verifier);
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_TREATMENT_SERVICE_H_
