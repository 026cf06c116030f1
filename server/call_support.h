// What every service method needs around its one call into the domain and
// the store: the caller's identity, request IDs, page tokens, status mapping
// and the idempotent write wrapper.
#ifndef CPCTRACK_SERVER_CALL_SUPPORT_H_
#define CPCTRACK_SERVER_CALL_SUPPORT_H_

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "store/store.h"

namespace cpctrack::server {

// Settings every service reads; fixed for the server's life.
struct ServerConfig {
  std::string facility_code;  // ISBT 128 facility code for new DINs
  std::string time_zone_name;
  absl::TimeZone time_zone;   // calendar dates (lot expiry, DIN year) are read here
  std::string version;
};

// The metadata key that carries the user until authentication lands.
inline constexpr char kUserMetadataKey[] = "x-cpc-user";

grpc::Status ToGrpcStatus(const absl::Status& status);

// The user a write is recorded under. Until authentication lands this is the
// `x-cpc-user` metadata sent by `cpc --user` / CPC_USER; UNAUTHENTICATED when
// absent. (Authentication will replace the source, not the records.)
absl::StatusOr<std::string> CallerUser(const grpc::CallbackServerContext& ctx);

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
absl::Status WriteOnce(store::Store& store, absl::string_view method, absl::string_view user,
                       const google::protobuf::Message& request, absl::string_view request_id,
                       google::protobuf::Message* response,
                       absl::FunctionRef<absl::Status(store::Transaction&)> fn);

// Finishes a unary callback RPC with the result of `fn`.
template <class Fn>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* ctx, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(fn()));
  return reactor;
}

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_CALL_SUPPORT_H_
