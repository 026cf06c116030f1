#ifndef CPCTRACK_SERVER_PATIENT_SERVICE_H_
#define CPCTRACK_SERVER_PATIENT_SERVICE_H_

#include "cpctrack/v1/patients.grpc.pb.h"
#include "server/call_support.h"

namespace cpctrack::server {

class PatientService final : public v1::PatientService::CallbackService, private CallHandler {
 public:
  PatientService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreatePatient(grpc::CallbackServerContext* ctx,
                                          const v1::CreatePatientRequest* request,
                                          v1::Patient* response) override;
  grpc::ServerUnaryReactor* UpdatePatient(grpc::CallbackServerContext* ctx,
                                          const v1::UpdatePatientRequest* request,
                                          v1::Patient* response) override;
  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* ctx,
                                       const v1::GetPatientRequest* request,
                                       v1::Patient* response) override;
  grpc::ServerUnaryReactor* ListPatients(grpc::CallbackServerContext* ctx,
                                         const v1::ListPatientsRequest* request,
                                         v1::ListPatientsResponse* response) override;

 private:
  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_PATIENT_SERVICE_H_
