#ifndef CPCTRACK_CLIENT_CONNECTION_H_
#define CPCTRACK_CLIENT_CONNECTION_H_

#include <memory>
#include <string>
#include <type_traits>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "cpctrack/v1/server_info.grpc.pb.h"

namespace cpc {

// What the global flags (and their environment defaults) say about the call.
struct ConnectionOptions {
  std::string server = "localhost:50051";
  // Sent as x-cpc-user on every call; empty means "not sent".
  std::string user;
  // Empty means: generate one for this invocation.
  std::string request_id;
  absl::Duration timeout = absl::Seconds(10);
};

// A fresh random UUIDv4 ("0b6a…-4…-a…"), from std::random_device.
std::string NewRequestId();

// The channel to cpcd and one stub per service.
class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  const ConnectionOptions& options() const { return options_; }

  // The request ID for this invocation's write: --request-id, or one UUID
  // generated once, so that every write of one command line shares it.
  const std::string& RequestId() const { return request_id_; }

  // Makes one unary call with the deadline and the x-cpc-user metadata, e.g.
  //   conn.Call(&BatchService::Stub::GetBatch, request, &batch).
  // A failure keeps the server's code and message; where the code alone
  // leaves a technician guessing (unreachable, timed out) the message says
  // what to check.
  //
  // A call that cannot reach the server is tried again a few times: a write
  // carries its request ID, so the server records it at most once.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                 Response*),
                    const Request& request, Response* response) const {
    grpc::Status status;
    bool reached = false;  // the server itself answered (it has a peer address)
    for (int attempt = 1;; ++attempt) {
      grpc::ClientContext context;
      PrepareContext(&context);
      status = (StubFor<Stub>().*method)(&context, request, response);
      reached = !context.peer().empty();
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE || reached ||
          attempt == kAttempts) {
        break;
      }
      PauseBeforeRetry(attempt);
    }
    std::string write_request_id;
    if constexpr (requires { request.request_id(); }) write_request_id = request.request_id();
    return FromGrpc(status, reached, write_request_id);
  }

 private:
  static constexpr int kAttempts = 3;

  void PrepareContext(grpc::ClientContext* context) const;
  static void PauseBeforeRetry(int attempt);
  // `write_request_id` is set for a write: when its fate is unknown, the
  // message says how to retry it safely.
  // `reached`: the status came from cpcd, not from failing to reach it.
  absl::Status FromGrpc(const grpc::Status& status, bool reached,
                        const std::string& write_request_id) const;

  template <typename Stub>
  Stub& StubFor() const {
    namespace v1 = ::cpctrack::v1;
    if constexpr (std::is_same_v<Stub, v1::PatientService::Stub>) return *patients_;
    if constexpr (std::is_same_v<Stub, v1::InventoryService::Stub>) return *inventory_;
    if constexpr (std::is_same_v<Stub, v1::BatchService::Stub>) return *batches_;
    if constexpr (std::is_same_v<Stub, v1::ServerInfoService::Stub>) return *server_info_;
  }

  ConnectionOptions options_;
  std::string request_id_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<cpctrack::v1::PatientService::Stub> patients_;
  std::unique_ptr<cpctrack::v1::InventoryService::Stub> inventory_;
  std::unique_ptr<cpctrack::v1::BatchService::Stub> batches_;
  std::unique_ptr<cpctrack::v1::ServerInfoService::Stub> server_info_;
};

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_CONNECTION_H_
