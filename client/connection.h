#ifndef CPCTRACK_CLIENT_CONNECTION_H_
#define CPCTRACK_CLIENT_CONNECTION_H_

#include <memory>
#include <string>
#include <type_traits>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/pending_writes.h"
#include "client/rpc_methods.h"
#include "client/status_util.h"
#include "cpctrack/v1/audit.grpc.pb.h"
#include "cpctrack/v1/auth.grpc.pb.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/deviations.grpc.pb.h"
#include "cpctrack/v1/followups.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/reports.grpc.pb.h"
#include "cpctrack/v1/server_info.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "google/protobuf/message.h"

namespace cpc {

// What the global flags (and their environment defaults) say about the call.
struct ConnectionOptions {
  std::string server = "localhost:50051";
  // The user chose `server` (--server or $CPC_SERVER) rather than taking the
  // default: `cpc retry` refuses to send a saved write anywhere else.
  bool server_given = false;
  // The session from `cpc login` for this server (see session_file.h): its
  // token is sent as "authorization: Bearer TOKEN" on every call; `user` is
  // whose it is (the pending-write journal keeps it). Empty: not logged in.
  std::string user;
  std::string token;
  // Where sessions are kept; see ConfigDirectoryFromEnvironment().
  std::string config_dir;
  // TLS: the CA that signed cpcd's certificate (PEM contents, not paths).
  // Empty: plain text, which cpcd accepts only on loopback. A client
  // certificate and key for mutual TLS.
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  // --insecure: plain text to a non-loopback server anyway (a lab network
  // test only). Without it, no password or token leaves in plain text.
  bool insecure = false;
  // Empty means: generate one for this invocation.
  std::string request_id;
  absl::Duration timeout = absl::Seconds(10);
  // Where writes are saved until their outcome is known; see
  // PendingWriteDirectory().
  std::string pending_write_dir;
};

// A fresh random UUIDv4 ("0b6a…-4…-a…"), from std::random_device.
std::string NewRequestId();

// Whether a write that ended with `status` may yet be recorded (or was not
// sent at all): DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE. Every other answer
// is final, and so is an error made before sending.
bool WriteFateUnknown(const grpc::Status& status);

// The channel to cpcd and one stub per service.
class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  const ConnectionOptions& options() const { return options_; }

  // The request ID for this invocation's write: --request-id, or one UUID
  // generated once, so that every write of one command line shares it.
  const std::string& RequestId() const { return request_id_; }

  // Reads a listing to its end: calls `method` with `request`, hands each page
  // to `on_page(page, first)` and follows next_page_token until none is left.
  // A failure part-way is returned; the pages already handled stay handled.
  template <typename Stub, typename Request, typename Response, typename OnPage>
  absl::Status ForEachPage(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                           Request request, OnPage on_page) const {
    bool first = true;
    do {
      Response page;
      CPC_RETURN_IF_ERROR(Call(method, request, &page));
      on_page(page, first);
      first = false;
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return absl::OkStatus();
  }

  // Makes one unary call with the deadline and the session token, e.g.
  //   conn.Call(&BatchService::Stub::GetBatch, request, &batch).
  // A failure keeps the server's code and message; where the code alone
  // leaves a technician guessing (unreachable, timed out) the message says
  // what to check.
  //
  // A call that cannot reach the server is tried again a few times. A write
  // (a request with a request_id) is first saved to the pending-write
  // journal and sent as the saved bytes; see SendSavedWrite(). A write that
  // carries a password (a signature, a new user) is never saved to disk: it
  // is sent once, like a read.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                 Response*),
                    const Request& request, Response* response) const {
    if constexpr (requires { request.request_id(); }) {
      if (CarriesSecret(request)) {
        return CallOnce(method, request, response, request.request_id());
      }
      // The request's type names the method (FullMethodName); `method` only
      // chose it at the call site.
      CPC_ASSIGN_OR_RETURN(std::string method_name,
                           FullMethodName(*Request::descriptor(), *Response::descriptor()));
      return SaveAndSendWrite(request.request_id(), method_name, request.SerializeAsString(),
                              response);
    } else {
      return CallOnce(method, request, response, /*write_request_id=*/"");
    }
  }

  // Sends a saved write byte for byte (same request ID, so the server records
  // it at most once) and reads the answer into `response`, which must be the
  // method's response type. A write that cannot reach the server is tried
  // again a few times, one that times out once more. The journal entry is
  // removed once the outcome is known: a readable success, or an answer from
  // the server other than DEADLINE_EXCEEDED, CANCELLED or UNAVAILABLE. An
  // answer that cannot be read is INTERNAL and keeps the entry.
  //
  // REQUIRES: write.server and write.user are this connection's (checked,
  // FAILED_PRECONDITION): only the server it was saved for knows whether it
  // was recorded, and the record must name the user who did the work.
  absl::Status SendSavedWrite(const PendingWrite& write,
                              google::protobuf::Message* response) const;

  const PendingWriteJournal& journal() const { return journal_; }

 private:
  static constexpr int kAttempts = 3;

  // Saves the write to the journal, then SendSavedWrite().
  absl::Status SaveAndSendWrite(const std::string& request_id, const std::string& method,
                                std::string request,
                                google::protobuf::Message* response) const;
  // `*readable` is false when an OK answer's bytes could not be taken out.
  grpc::Status SendBytes(grpc::ClientContext* context, const PendingWrite& write,
                         std::string* reply, bool* readable) const;
  void PrepareContext(grpc::ClientContext* context) const;
  // FailedPrecondition when a call that sends a secret (a password in the
  // request, or the session token) would go in plain text to a server that
  // is not on this machine, without --insecure.
  absl::Status CheckTransport(bool request_carries_secret) const;
  // Whether the request has a password or signature field set.
  static bool CarriesSecret(const google::protobuf::Message& request);
  // Sends `request` directly, trying again only while the server cannot be
  // reached (nothing was sent).
  template <typename Stub, typename Request, typename Response>
  absl::Status CallOnce(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                     Response*),
                        const Request& request, Response* response,
                        const std::string& write_request_id) const {
    CPC_RETURN_IF_ERROR(CheckTransport(CarriesSecret(request)));
    grpc::Status status;
    bool reached = false;  // the status is cpcd's own (see ReachedServer)
    for (int attempt = 1;; ++attempt) {
      grpc::ClientContext context;
      PrepareContext(&context);
      status = (StubFor<Stub>().*method)(&context, request, response);
      reached = ReachedServer(context);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE || reached ||
          attempt == kAttempts) {
        break;
      }
      PauseBeforeRetry(attempt);
    }
    return FromGrpc(status, reached, write_request_id, /*journaled=*/false);
  }
  // Whether the call got as far as cpcd (so its status is cpcd's own).
  bool ReachedServer(const grpc::ClientContext& context) const;
  static void PauseBeforeRetry(int attempt);
  // `write_request_id` is set for a write: when its fate is unknown, the
  // message says how to retry it safely.
  // `reached`: the status came from cpcd, not from failing to reach it.
  // `journaled`: the write is in the pending-write journal (`cpc retry`).
  absl::Status FromGrpc(const grpc::Status& status, bool reached,
                        const std::string& write_request_id, bool journaled = true) const;

  template <typename Stub>
  Stub& StubFor() const {
    namespace v1 = ::cpctrack::v1;
    if constexpr (std::is_same_v<Stub, v1::AuthService::Stub>) return *auth_;
    else if constexpr (std::is_same_v<Stub, v1::UserService::Stub>) return *users_;
    else if constexpr (std::is_same_v<Stub, v1::PatientService::Stub>) return *patients_;
    else if constexpr (std::is_same_v<Stub, v1::InventoryService::Stub>) return *inventory_;
    else if constexpr (std::is_same_v<Stub, v1::BatchService::Stub>) return *batches_;
    else if constexpr (std::is_same_v<Stub, v1::ServerInfoService::Stub>) return *server_info_;
    else if constexpr (std::is_same_v<Stub, v1::QcService::Stub>) return *qc_;
    else if constexpr (std::is_same_v<Stub, v1::DeviationService::Stub>) return *deviations_;
    else if constexpr (std::is_same_v<Stub, v1::FollowUpService::Stub>) return *follow_ups_;
    else if constexpr (std::is_same_v<Stub, v1::UnitService::Stub>) return *units_;
    else if constexpr (std::is_same_v<Stub, v1::StorageService::Stub>) return *storage_;
    else if constexpr (std::is_same_v<Stub, v1::ReadinessService::Stub>) return *readiness_;
    else if constexpr (std::is_same_v<Stub, v1::TreatmentService::Stub>) return *treatment_;
    else if constexpr (std::is_same_v<Stub, v1::AuditService::Stub>) return *audit_;
    else if constexpr (std::is_same_v<Stub, v1::ReportService::Stub>) return *reports_;
    // A stub missing here would return nothing: refuse to compile instead.
    else static_assert(sizeof(Stub) == 0, "Connection has no stub of this service");
  }

  ConnectionOptions options_;
  std::string request_id_;
  PendingWriteJournal journal_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> generic_;
  std::unique_ptr<cpctrack::v1::AuthService::Stub> auth_;
  std::unique_ptr<cpctrack::v1::UserService::Stub> users_;
  std::unique_ptr<cpctrack::v1::PatientService::Stub> patients_;
  std::unique_ptr<cpctrack::v1::InventoryService::Stub> inventory_;
  std::unique_ptr<cpctrack::v1::BatchService::Stub> batches_;
  std::unique_ptr<cpctrack::v1::ServerInfoService::Stub> server_info_;
  std::unique_ptr<cpctrack::v1::QcService::Stub> qc_;
  std::unique_ptr<cpctrack::v1::DeviationService::Stub> deviations_;
  std::unique_ptr<cpctrack::v1::FollowUpService::Stub> follow_ups_;
  std::unique_ptr<cpctrack::v1::UnitService::Stub> units_;
  std::unique_ptr<cpctrack::v1::StorageService::Stub> storage_;
  std::unique_ptr<cpctrack::v1::ReadinessService::Stub> readiness_;
  std::unique_ptr<cpctrack::v1::TreatmentService::Stub> treatment_;
  std::unique_ptr<cpctrack::v1::AuditService::Stub> audit_;
  std::unique_ptr<cpctrack::v1::ReportService::Stub> reports_;
};

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_CONNECTION_H_
