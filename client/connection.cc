#include "client/connection.h"

#include <array>
#include <future>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "domain/network.h"

namespace cpc {

std::string NewRequestId() {
  std::random_device device;  // /dev/urandom on Linux
  std::array<uint8_t, 16> bytes;
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t word = device();
    for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
  bytes[6] = (bytes[6] & 0x0F) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3F) | 0x80;  // RFC 4122 variant
  std::string id;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    absl::StrAppendFormat(&id, "%02x", bytes[i]);
  }
  return id;
}

bool WriteFateUnknown(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return false;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    // A connection lost after the request went out looks just like a server
    // that says "not now"; only the first can have recorded the write.
    case grpc::StatusCode::UNAVAILABLE:
      return true;
    default:
      // An error made on this side (never sent) or the server's own refusal.
      return false;
  }
}

namespace {

std::shared_ptr<grpc::ChannelCredentials> Credentials(const ConnectionOptions& options) {
  if (options.ca_pem.empty() && options.cert_pem.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.ca_pem;  // empty: the system's roots
  ssl.pem_cert_chain = options.cert_pem;
  ssl.pem_private_key = options.key_pem;
  return grpc::SslCredentials(ssl);
}

}  // namespace

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)),
      request_id_(options_.request_id.empty() ? NewRequestId() : options_.request_id),
      journal_(options_.pending_write_dir),
      channel_(grpc::CreateChannel(options_.server, Credentials(options_))),
      generic_(std::make_unique<grpc::GenericStub>(channel_)),
      auth_(cpctrack::v1::AuthService::NewStub(channel_)),
      users_(cpctrack::v1::UserService::NewStub(channel_)),
      patients_(cpctrack::v1::PatientService::NewStub(channel_)),
      inventory_(cpctrack::v1::InventoryService::NewStub(channel_)),
      batches_(cpctrack::v1::BatchService::NewStub(channel_)),
      server_info_(cpctrack::v1::ServerInfoService::NewStub(channel_)),
      qc_(cpctrack::v1::QcService::NewStub(channel_)),
      deviations_(cpctrack::v1::DeviationService::NewStub(channel_)),
      follow_ups_(cpctrack::v1::FollowUpService::NewStub(channel_)),
      units_(cpctrack::v1::UnitService::NewStub(channel_)),
      storage_(cpctrack::v1::StorageService::NewStub(channel_)),
      readiness_(cpctrack::v1::ReadinessService::NewStub(channel_)),
      treatment_(cpctrack::v1::TreatmentService::NewStub(channel_)),
      audit_(cpctrack::v1::AuditService::NewStub(channel_)),
      reports_(cpctrack::v1::ReportService::NewStub(channel_)) {}

void Connection::PrepareContext(grpc::ClientContext* context) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  // Without a session nothing is sent; the server says to log in.
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
}

absl::Status Connection::CheckTransport(bool request_carries_secret) const {
  const bool plain_text = options_.ca_pem.empty() && options_.cert_pem.empty();
  if (!plain_text || options_.insecure || (!request_carries_secret && options_.token.empty())) {
    return absl::OkStatus();
  }
  const std::string host = cpctrack::domain::TargetHost(options_.server);
  if (cpctrack::domain::IsLoopbackHost(host)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "not sending a ", request_carries_secret ? "password" : "session token",
      " in plain text to ", options_.server, ", which is not this machine: give --ca-file "
      "(TLS; $CPC_CA_FILE), or --insecure for a test on a lab network only"));
}

bool Connection::CarriesSecret(const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (const char* name :
       {"password", "new_password", "admin_password", "signature", "verifier_signature"}) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field != nullptr && !field->is_repeated() && reflection->HasField(request, field)) {
      return true;
    }
  }
  return false;
}

absl::Status Connection::SaveAndSendWrite(const std::string& request_id,
                                          const std::string& method, std::string request,
                                          google::protobuf::Message* response) const {
  PendingWrite write{.request_id = request_id,
                     .method = method,
                     .request = std::move(request),
                     .saved_time = absl::Now(),
                     .server = options_.server,
                     .user = options_.user};
  // Not sending is better than sending a write that could not be retried safely.
  if (absl::Status saved = journal_.Save(write); !saved.ok()) {
    return absl::Status(saved.code(),
                        absl::StrCat("write not sent: ", saved.message()));
  }
  return SendSavedWrite(write, response);
}

grpc::Status Connection::SendBytes(grpc::ClientContext* context, const PendingWrite& write,
                                   std::string* reply, bool* readable) const {
  grpc::Slice request_slice(write.request);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic_->UnaryCall(context, write.method, grpc::StubOptions(), &request, &response,
                      [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  reply->clear();
  *readable = true;
  std::vector<grpc::Slice> slices;
  if (status.ok()) {
    *readable = response.Dump(&slices).ok();
    for (const grpc::Slice& slice : slices) {
      reply->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return status;
}

absl::Status Connection::SendSavedWrite(const PendingWrite& write,
                                       google::protobuf::Message* response) const {
  if (write.server != options_.server || write.user != options_.user) {
    return absl::FailedPreconditionError(absl::StrCat(
        "write ", write.request_id, " was saved for ", write.server, " as \"", write.user,
        "\"; not sending it to ", options_.server, " as \"", options_.user, "\""));
  }
  // A saved write always travels with the session token.
  if (absl::Status transport = CheckTransport(true); !transport.ok()) return transport;
  grpc::Status status;
  bool reached = false;
  bool readable = true;
  std::string reply;
  int unreachable_attempts = 0;
  bool resent_after_deadline = false;
  for (;;) {
    grpc::ClientContext context;
    PrepareContext(&context);
    status = SendBytes(&context, write, &reply, &readable);
    reached = ReachedServer(context);
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !reached &&
        ++unreachable_attempts < kAttempts) {
      PauseBeforeRetry(unreachable_attempts);
      continue;
    }
    // The same bytes under the same request ID: if the first attempt was
    // recorded after all, the server returns its result instead of recording
    // it twice. Once only, so a technician waits at most twice --timeout.
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && !resent_after_deadline) {
      resent_after_deadline = true;
      continue;
    }
    break;
  }
  if (status.ok() && readable) {
    response->Clear();
    readable = response->ParseFromString(reply);
  }
  if (status.ok() && !readable) {
    // cpcd said OK, but without a readable answer nobody has seen what was
    // recorded (or its record ID); keep the write so it is not forgotten.
    return absl::InternalError(absl::StrCat(
        "cpcd's answer to ", write.method, " cannot be read (is this cpc older than cpcd?); ",
        "the write may have been recorded: it stays pending as request ID ", write.request_id,
        "; check the record, then `cpc retry ", write.request_id, "` or `cpc retry --discard ",
        write.request_id, "`"));
  }
  if (!WriteFateUnknown(status)) {
    // A leftover entry would only be listed by `cpc retry`, and resending it
    // returns the recorded result; so a failure to remove it is not an error.
    journal_.Remove(write.request_id).IgnoreError();
  }
  return FromGrpc(status, reached, write.request_id);
}

bool Connection::ReachedServer(const grpc::ClientContext& context) const {
  // A call that got no connection reports the target as its peer (gRPC
  // 1.51); one that reached cpcd reports the address, e.g. "ipv4:10.0.0.5:50051".
  const std::string peer = context.peer();
  return !peer.empty() && peer != options_.server;
}

void Connection::PauseBeforeRetry(int attempt) {
  absl::SleepFor(absl::Milliseconds(250) * attempt);
}

absl::Status Connection::FromGrpc(const grpc::Status& status, bool reached,
                                  const std::string& write_request_id, bool journaled) const {
  if (status.ok()) return absl::OkStatus();
  // grpc::StatusCode and absl::StatusCode share their numbering.
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string message = status.error_message();
  if (code == absl::StatusCode::kUnavailable && !reached) {
    message = absl::StrCat("cannot reach cpcd at ", options_.server,
                           " (check --server or CPC_SERVER): ", message);
  } else if (code == absl::StatusCode::kDeadlineExceeded) {
    message = absl::StrCat("no answer from ", options_.server, " within ",
                           absl::FormatDuration(options_.timeout),
                           write_request_id.empty() ? " (--timeout): " : " (--timeout), asked twice: ",
                           message);
  }
  if (write_request_id.empty() || !WriteFateUnknown(status)) return absl::Status(code, message);
  if (!journaled) {
    // Not saved (it carries a password): only the same request ID is safe.
    absl::StrAppend(&message, "; the write may have been recorded: check, or run the same "
                              "command again with --request-id ", write_request_id);
    return absl::Status(code, message);
  }
  if (code == absl::StatusCode::kUnavailable && !reached) {
    // Running the command again would re-read "now" and relative times.
    absl::StrAppend(&message, "; the write is saved: run `cpc retry ", write_request_id,
                    "` once cpcd is reachable, to send it exactly as typed");
  } else {
    // The server may have recorded it before the answer was lost: only the
    // same bytes under the same request ID make a second try safe.
    absl::StrAppend(&message, "; the write may have been recorded: run `cpc retry ",
                    write_request_id, "` to finish it safely");
  }
  return absl::Status(code, message);
}

}  // namespace cpc
