#ifndef CPCTRACK_SERVER_AUDIT_SERVICE_H_
#define CPCTRACK_SERVER_AUDIT_SERVICE_H_

#include "cpctrack/v1/audit.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

// The audit trail's head and auditor exports (proto/cpctrack/v1/audit.proto).
class AuditService final : public v1::AuditService::CallbackService, private CallHandler {
 public:
  explicit AuditService(store::Store& store) : CallHandler(store), store_(store) {}

  grpc::ServerUnaryReactor* GetAuditHead(grpc::CallbackServerContext* ctx,
                                         const v1::GetAuditHeadRequest* request,
                                         v1::AuditHead* response) override;
  grpc::ServerUnaryReactor* ListAuditEntries(grpc::CallbackServerContext* ctx,
                                             const v1::ListAuditEntriesRequest* request,
                                             v1::ListAuditEntriesResponse* response) override;

 private:
  store::Store& store_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_AUDIT_SERVICE_H_
