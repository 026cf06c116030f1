#ifndef CPCTRACK_SERVER_BATCH_SERVICE_H_
#define CPCTRACK_SERVER_BATCH_SERVICE_H_

#include "cpctrack/v1/batches.grpc.pb.h"
#include "domain/audit_action.h"
#include "domain/records.h"
#include "server/call_support.h"

namespace cpctrack::server {

class BatchService final : public v1::BatchService::CallbackService, private CallHandler {
 public:
  BatchService(store::Store& store, const ServerConfig& config)
      : CallHandler(store), store_(store), config_(config) {}

  grpc::ServerUnaryReactor* CreateBatch(grpc::CallbackServerContext* ctx,
                                        const v1::CreateBatchRequest* request,
                                        v1::Batch* response) override;
  grpc::ServerUnaryReactor* GetBatch(grpc::CallbackServerContext* ctx,
                                     const v1::GetBatchRequest* request,
                                     v1::Batch* response) override;
  grpc::ServerUnaryReactor* ListBatches(grpc::CallbackServerContext* ctx,
                                        const v1::ListBatchesRequest* request,
                                        v1::ListBatchesResponse* response) override;
  grpc::ServerUnaryReactor* ReceiveTissue(grpc::CallbackServerContext* ctx,
                                          const v1::ReceiveTissueRequest* request,
                                          v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* SeedCulture(grpc::CallbackServerContext* ctx,
                                        const v1::SeedCultureRequest* request,
                                        v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* RecordObservation(grpc::CallbackServerContext* ctx,
                                              const v1::RecordObservationRequest* request,
                                              v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* RecordMediumChange(grpc::CallbackServerContext* ctx,
                                               const v1::RecordMediumChangeRequest* request,
                                               v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* RecordPassage(grpc::CallbackServerContext* ctx,
                                          const v1::RecordPassageRequest* request,
                                          v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* CorrectRecord(grpc::CallbackServerContext* ctx,
                                          const v1::CorrectRecordRequest* request,
                                          v1::RecordResponse* response) override;
  grpc::ServerUnaryReactor* DisposeBatch(grpc::CallbackServerContext* ctx,
                                         const v1::DisposeBatchRequest* request,
                                         v1::Batch* response) override;

 private:
  // Appends one culture step: the shared body of ReceiveTissue … RecordPassage.
  Reply AppendStep(const Caller& caller, absl::string_view method,
                          domain::AuditAction action, const google::protobuf::Message& request,
                          absl::string_view request_id, absl::string_view batch_id,
                          absl::StatusOr<domain::RecordData> data,
                          absl::string_view late_entry_reason, v1::RecordResponse* response);

  store::Store& store_;
  const ServerConfig& config_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_BATCH_SERVICE_H_
