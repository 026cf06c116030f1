// What every service method needs around its one call into the domain and
// the store: the access decision and the caller's identity, request IDs, page
// tokens, status mapping and the idempotent write wrapper.
#ifndef CPCTRACK_SERVER_CALL_SUPPORT_H_
#define CPCTRACK_SERVER_CALL_SUPPORT_H_

#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/access.h"
#include "google/protobuf/message.h"
#include "server/credentials.h"
#include "store/store.h"

namespace cpctrack::server {

// Settings every service reads; fixed for the server's life.
struct ServerConfig {
  std::string facility_code;  // ISBT 128 facility code for new DINs
  std::string time_zone_name;
  absl::TimeZone time_zone;   // calendar dates (lot expiry, DIN year) are read here
  std::string version;
  PasswordHashing password_hashing = PasswordHashing::kInteractive;  // for new passwords
  absl::Duration session_lifetime = absl::Hours(12);
};

// The metadata key of the session token: "authorization: Bearer TOKEN".
inline constexpr char kAuthorizationMetadataKey[] = "authorization";

// The authenticated caller of one RPC.
struct Caller {
  std::string user;  // empty only for a public method called without a session
  std::string full_name;
  std::vector<domain::Role> roles;
};

// The access check's verdict on one call, made before its handler runs (see
// access_control.h) and kept until the call ends: the caller, or the status
// the call is refused with. A call without a verdict is refused.
void RecordAccessDecision(const grpc::ServerContextBase* ctx, absl::StatusOr<Caller> decision);
void ForgetAccessDecision(const grpc::ServerContextBase* ctx);
absl::StatusOr<Caller> AccessDecision(const grpc::ServerContextBase* ctx);

grpc::Status ToGrpcStatus(const absl::Status& status);

// The user a write is recorded under: the authenticated session's, never a
// request field. UNAUTHENTICATED when the call has no session.
absl::StatusOr<std::string> CallerUser(const grpc::CallbackServerContext& ctx);
// The same with the full name and roles (signatures need the full name).
absl::StatusOr<Caller> CurrentCaller(const grpc::CallbackServerContext& ctx);

// InvalidArgument "FIELD: required" when an ID a request names is empty.
absl::Status RequireId(absl::string_view field, absl::string_view id);

// A request ID: 1-128 printable ASCII characters, e.g. a UUID.
absl::Status ValidateRequestId(absl::string_view request_id);

// page_size: 0 means the default (50); at most 500.
absl::StatusOr<int> PageSize(int requested);
std::string EncodePageToken(absl::string_view key);
absl::StatusOr<std::string> DecodePageToken(absl::string_view token);

// Runs `fn` as one write transaction keyed by the request's request_id: the
// first call fills `response` and stores it; a retry with the same ID (by the
// same user, asking the same) gets the stored response and writes nothing.
// The stored fingerprint leaves out the request's `password` and `signature`
// fields: secrets are never stored.
absl::Status WriteOnce(store::Store& store, absl::string_view method, absl::string_view user,
                       const google::protobuf::Message& request, absl::string_view request_id,
                       google::protobuf::Message* response,
                       absl::FunctionRef<absl::Status(store::Transaction&)> fn);

// Finishes a unary callback RPC with the result of `fn`, which runs only if
// the access check allowed the call; otherwise with the check's status.
// Every handler runs through here.
template <class Fn>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* ctx, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const absl::Status allowed = AccessDecision(ctx).status();
  reactor->Finish(ToGrpcStatus(allowed.ok() ? fn() : allowed));
  return reactor;
}

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_CALL_SUPPORT_H_
