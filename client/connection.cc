#include "client/connection.h"

#include <array>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

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

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)),
      request_id_(options_.request_id.empty() ? NewRequestId() : options_.request_id),
      channel_(grpc::CreateChannel(options_.server, grpc::InsecureChannelCredentials())),
      patients_(cpctrack::v1::PatientService::NewStub(channel_)),
      inventory_(cpctrack::v1::InventoryService::NewStub(channel_)),
      batches_(cpctrack::v1::BatchService::NewStub(channel_)),
      server_info_(cpctrack::v1::ServerInfoService::NewStub(channel_)) {}

void Connection::PrepareContext(grpc::ClientContext* context) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  // Stand-in identity until authentication lands; the server names the
  // missing flag itself when a write needs it.
  if (!options_.user.empty()) context->AddMetadata("x-cpc-user", options_.user);
}

void Connection::PauseBeforeRetry(int attempt) {
  absl::SleepFor(absl::Milliseconds(250) * attempt);
}

absl::Status Connection::FromGrpc(const grpc::Status& status, bool reached,
                                  const std::string& write_request_id) const {
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
                           " (--timeout): ", message);
  }
  const bool fate_unknown = (code == absl::StatusCode::kUnavailable && !reached) ||
                            code == absl::StatusCode::kDeadlineExceeded ||
                            code == absl::StatusCode::kCancelled;
  if (fate_unknown && !write_request_id.empty()) {
    // The server may have recorded it before the answer was lost: only the
    // same request ID makes a second try safe.
    absl::StrAppend(&message, "; the write may have been recorded: retry the same command with --request-id ",
                    write_request_id);
  }
  return absl::Status(code, message);
}

}  // namespace cpc
