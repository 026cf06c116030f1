#ifndef CPCTRACK_SERVER_REPORT_SERVICE_H_
#define CPCTRACK_SERVER_REPORT_SERVICE_H_

#include "cpctrack/v1/reports.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

// Reports across batches (proto/cpctrack/v1/reports.proto): loads the facts
// in one read transaction; domain/periodic_report.h decides what counts.
class ReportService final : public v1::ReportService::CallbackService, private CallHandler {
 public:
  ReportService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* GetPeriodicReport(grpc::CallbackServerContext* ctx,
                                              const v1::GetPeriodicReportRequest* request,
                                              v1::PeriodicReport* response) override;
  grpc::ServerUnaryReactor* GetLotWhereUsed(grpc::CallbackServerContext* ctx,
                                            const v1::GetLotWhereUsedRequest* request,
                                            v1::WhereUsed* response) override;
  grpc::ServerUnaryReactor* GetEquipmentWhereUsed(grpc::CallbackServerContext* ctx,
                                                  const v1::GetEquipmentWhereUsedRequest* request,
                                                  v1::WhereUsed* response) override;
  grpc::ServerUnaryReactor* GetUserWhereUsed(grpc::CallbackServerContext* ctx,
                                             const v1::GetUserWhereUsedRequest* request,
                                             v1::WhereUsed* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_REPORT_SERVICE_H_
