// One log line per RPC, written when its status is sent: time, method, user,
// peer, status code and duration. A gRPC server interceptor, so every RPC
// (including health checks and reflection) is covered without each handler
// remembering to log.
#ifndef CPCTRACK_SERVER_REQUEST_LOG_H_
#define CPCTRACK_SERVER_REQUEST_LOG_H_

#include <grpcpp/support/server_interceptor.h>

namespace cpctrack::server {

class RequestLogFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_REQUEST_LOG_H_
