#ifndef CPCTRACK_SERVER_DEVIATION_SERVICE_H_
#define CPCTRACK_SERVER_DEVIATION_SERVICE_H_

#include <optional>

#include "cpctrack/v1/deviations.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class DeviationService final : public v1::DeviationService::CallbackService, private CallHandler {
 public:
  DeviationService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* OpenDeviation(grpc::CallbackServerContext* ctx,
                                          const v1::OpenDeviationRequest* request,
                                          v1::Deviation* response) override;
  grpc::ServerUnaryReactor* AddDeviationNote(grpc::CallbackServerContext* ctx,
                                             const v1::AddDeviationNoteRequest* request,
                                             v1::Deviation* response) override;
  grpc::ServerUnaryReactor* CloseDeviation(grpc::CallbackServerContext* ctx,
                                           const v1::CloseDeviationRequest* request,
                                           v1::CloseDeviationResponse* response) override;
  grpc::ServerUnaryReactor* GetDeviation(grpc::CallbackServerContext* ctx,
                                         const v1::GetDeviationRequest* request,
                                         v1::Deviation* response) override;
  grpc::ServerUnaryReactor* ListDeviations(grpc::CallbackServerContext* ctx,
                                           const v1::ListDeviationsRequest* request,
                                           v1::ListDeviationsResponse* response) override;

  // Excursions (excursion_service.cc).
  grpc::ServerUnaryReactor* OpenExcursion(grpc::CallbackServerContext* ctx,
                                          const v1::OpenExcursionRequest* request,
                                          v1::Excursion* response) override;
  grpc::ServerUnaryReactor* GetExcursion(grpc::CallbackServerContext* ctx,
                                         const v1::GetExcursionRequest* request,
                                         v1::Excursion* response) override;
  grpc::ServerUnaryReactor* CloseExcursion(grpc::CallbackServerContext* ctx,
                                           const v1::CloseExcursionRequest* request,
                                           v1::CloseExcursionResponse* response) override;

 private:
  Reply CloseSigned(const v1::CloseDeviationRequest* request,
                    v1::CloseDeviationResponse* response, const Caller& caller,
                    std::optional<Caller> physician);

  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_DEVIATION_SERVICE_H_
