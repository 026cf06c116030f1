// One log line per RPC, written when its status is sent: time, method, user,
// peer, status code and duration. A gRPC server interceptor, so every RPC
// (including health checks and reflection) is covered without each handler
// remembering to log.
#ifndef CPCTRACK_SERVER_REQUEST_LOG_H_
#define CPCTRACK_SERVER_REQUEST_LOG_H_

#include <grpcpp/support/server_interceptor.h>

namespace cpctrack::server {

enum class LogFormat {
  kText,  // "2026-12-03T16:00:00.123Z /cpctrack.v1.BatchService/GetBatch user=tech.sato OK 1.2ms"
  kJson,  // one JSON object per line, for a log collector (--log_format json)
};

// Also counts each RPC in ProcessMetrics() (metrics.h).
class RequestLogFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RequestLogFactory(LogFormat format = LogFormat::kText) : format_(format) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  LogFormat format_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_REQUEST_LOG_H_
