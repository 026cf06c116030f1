#include "server/call_support.h"

#include "domain/text.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/patient.h"
#include "domain/status_macros.h"
#include "domain/text.h"

namespace cpctrack::server {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr char kPageTokenPrefix[] = "v1:";

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // A message may quote what a caller sent: it must not forge a log line.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      domain::EscapeUnprintable(status.message()));
}

absl::StatusOr<std::string> CallerUser(const Caller& caller) {
  if (caller.user.empty()) {
    return absl::UnauthenticatedError("no session: log in first (`cpc login`)");
  }
  return caller.user;
}

absl::StatusOr<app::WriteContext> WriteContextFor(const Caller& caller,
                                                  const ServerConfig& config,
                                                  absl::string_view request_id,
                                                  absl::string_view late_entry_reason) {
  ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
  return app::WriteContext{.now = absl::Now(),
                           .zone = config.time_zone,
                           .user = std::move(user),
                           .full_name = caller.full_name,
                           .request_id = std::string(request_id),
                           .late_entry_reason = std::string(late_entry_reason)};
}

absl::Status RequireId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        "request_id: required on every write (a client-generated unique ID, e.g. a UUID)");
  }
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError("request_id: longer than 128 characters");
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError("request_id: only printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", requested, " must not be negative"));
  }
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string EncodePageToken(absl::string_view key) {
  if (key.empty()) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kPageTokenPrefix, key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  if (token.empty()) return std::string();
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, kPageTokenPrefix)) {
    return absl::InvalidArgumentError("page_token: not a token from this server");
  }
  return decoded.substr(sizeof(kPageTokenPrefix) - 1);
}

}  // namespace cpctrack::server
