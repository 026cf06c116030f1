#ifndef CPCTRACK_SERVER_UNIT_SERVICE_H_
#define CPCTRACK_SERVER_UNIT_SERVICE_H_

#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class UnitService final : public v1::UnitService::CallbackService, private CallHandler {
 public:
  UnitService(store::Store& store, const ServerConfig& config) : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* FreezeUnits(grpc::CallbackServerContext* ctx,
                                        const v1::FreezeUnitsRequest* request,
                                        v1::FreezeUnitsResponse* response) override;
  grpc::ServerUnaryReactor* FormulateFreshUnits(grpc::CallbackServerContext* ctx,
                                                const v1::FormulateFreshUnitsRequest* request,
                                                v1::FormulateFreshUnitsResponse* response) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* ctx,
                                    const v1::GetUnitRequest* request,
                                    v1::Unit* response) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* ctx,
                                      const v1::ListUnitsRequest* request,
                                      v1::ListUnitsResponse* response) override;
  grpc::ServerUnaryReactor* MoveUnit(grpc::CallbackServerContext* ctx,
                                     const v1::MoveUnitRequest* request,
                                     v1::Unit* response) override;
  grpc::ServerUnaryReactor* ThawUnit(grpc::CallbackServerContext* ctx,
                                     const v1::ThawUnitRequest* request,
                                     v1::ThawUnitResponse* response) override;
  grpc::ServerUnaryReactor* DisposeUnit(grpc::CallbackServerContext* ctx,
                                        const v1::DisposeUnitRequest* request,
                                        v1::Unit* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

class StorageService final : public v1::StorageService::CallbackService, private CallHandler {
 public:
  StorageService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreateTank(grpc::CallbackServerContext* ctx,
                                       const v1::CreateTankRequest* request,
                                       v1::Tank* response) override;
  grpc::ServerUnaryReactor* AddRack(grpc::CallbackServerContext* ctx,
                                    const v1::AddRackRequest* request,
                                    v1::Tank* response) override;
  grpc::ServerUnaryReactor* AddBox(grpc::CallbackServerContext* ctx,
                                   const v1::AddBoxRequest* request,
                                   v1::Box* response) override;
  grpc::ServerUnaryReactor* GetTank(grpc::CallbackServerContext* ctx,
                                    const v1::GetTankRequest* request,
                                    v1::Tank* response) override;
  grpc::ServerUnaryReactor* ListTanks(grpc::CallbackServerContext* ctx,
                                      const v1::ListTanksRequest* request,
                                      v1::ListTanksResponse* response) override;

  // Tank readings (tank_readings.cc).
  grpc::ServerUnaryReactor* RecordTankReadings(grpc::CallbackServerContext* ctx,
                                               const v1::RecordTankReadingsRequest* request,
                                               v1::RecordTankReadingsResponse* response) override;
  grpc::ServerUnaryReactor* ListTankReadings(grpc::CallbackServerContext* ctx,
                                             const v1::ListTankReadingsRequest* request,
                                             v1::ListTankReadingsResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_UNIT_SERVICE_H_
