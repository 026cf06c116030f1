#ifndef CPCTRACK_SERVER_SERVER_INFO_SERVICE_H_
#define CPCTRACK_SERVER_SERVER_INFO_SERVICE_H_

#include "cpctrack/v1/server_info.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class ServerInfoService final : public v1::ServerInfoService::CallbackService, private CallHandler {
 public:
  ServerInfoService(store::Store& store, const ServerConfig& config, int schema_version)
      : CallHandler(store), config_(config), schema_version_(schema_version) {}

  grpc::ServerUnaryReactor* GetServerInfo(grpc::CallbackServerContext* ctx,
                                          const v1::GetServerInfoRequest* request,
                                          v1::ServerInfo* response) override {
    return Respond(ctx, [&] {
      response->set_version(config_.version);
      response->set_facility_code(config_.facility_code);
      response->set_time_zone(config_.time_zone_name);
      response->set_schema_version(schema_version_);
      return absl::OkStatus();
    });
  }

 private:
  const ServerConfig& config_;
  const int schema_version_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SERVER_INFO_SERVICE_H_
