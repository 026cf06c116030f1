#include "server/call_support.h"

#include "domain/text.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

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

// Verdicts of calls in flight, keyed by their context: gRPC 1.51 gives an
// interceptor no way to end a call with a chosen status, so the interceptor
// decides and Respond() enforces.
struct Decisions {
  absl::Mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, absl::StatusOr<Caller>> by_call
      ABSL_GUARDED_BY(mu);
};

Decisions& AllDecisions() {
  static Decisions* decisions = new Decisions();
  return *decisions;
}

}  // namespace

void RecordAccessDecision(const grpc::ServerContextBase* ctx, absl::StatusOr<Caller> decision) {
  Decisions& d = AllDecisions();
  absl::MutexLock lock(&d.mu);
  d.by_call.insert_or_assign(ctx, std::move(decision));
}

void ForgetAccessDecision(const grpc::ServerContextBase* ctx) {
  Decisions& d = AllDecisions();
  absl::MutexLock lock(&d.mu);
  d.by_call.erase(ctx);
}

absl::StatusOr<Caller> AccessDecision(const grpc::ServerContextBase* ctx) {
  Decisions& d = AllDecisions();
  absl::MutexLock lock(&d.mu);
  auto it = d.by_call.find(ctx);
  if (it == d.by_call.end()) {
    return absl::PermissionDeniedError("no access check ran for this call; refused");
  }
  return it->second;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // A message may quote what a caller sent: it must not forge a log line.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      domain::EscapeUnprintable(status.message()));
}

absl::StatusOr<Caller> CurrentCaller(const grpc::CallbackServerContext& ctx) {
  ASSIGN_OR_RETURN(Caller caller, AccessDecision(&ctx));
  if (caller.user.empty()) {
    return absl::UnauthenticatedError("no session: log in first (`cpc login`)");
  }
  return caller;
}

absl::StatusOr<std::string> CallerUser(const grpc::CallbackServerContext& ctx) {
  ASSIGN_OR_RETURN(Caller caller, CurrentCaller(ctx));
  return caller.user;
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
