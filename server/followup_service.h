// Follow-up cases (a positive after release): listing, QA's signed assessment
// and the physician's signed acknowledgement. A result that turns positive
// opens one in its own transaction (app/qc.h, through app::StoreFollowUp).
#ifndef CPCTRACK_SERVER_FOLLOWUP_SERVICE_H_
#define CPCTRACK_SERVER_FOLLOWUP_SERVICE_H_

#include <vector>

#include "cpctrack/v1/followups.grpc.pb.h"
#include "domain/batch_steps.h"
#include "domain/followup.h"
#include "server/api_mapping.h"
#include "server/call_support.h"
#include "store/store.h"

namespace cpctrack::server {

class FollowUpService final : public v1::FollowUpService::CallbackService, private CallHandler {
 public:
  FollowUpService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* ListFollowUps(grpc::CallbackServerContext* ctx,
                                          const v1::ListFollowUpsRequest* request,
                                          v1::ListFollowUpsResponse* response) override;
  grpc::ServerUnaryReactor* GetFollowUp(grpc::CallbackServerContext* ctx,
                                        const v1::GetFollowUpRequest* request,
                                        v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* AssessFollowUp(grpc::CallbackServerContext* ctx,
                                           const v1::AssessFollowUpRequest* request,
                                           v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* AcknowledgeFollowUp(grpc::CallbackServerContext* ctx,
                                                const v1::AcknowledgeFollowUpRequest* request,
                                                v1::FollowUp* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_FOLLOWUP_SERVICE_H_
