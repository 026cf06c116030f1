// What every service method needs around its one call into the domain and
// the store: the access decision and the caller's identity, request IDs, page
// tokens, status mapping and the idempotent write wrapper.
#ifndef CPCTRACK_SERVER_CALL_SUPPORT_H_
#define CPCTRACK_SERVER_CALL_SUPPORT_H_

#include <string>
#include <type_traits>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/write_context.h"
#include "domain/access.h"
#include "google/protobuf/message.h"
#include "server/credentials.h"
#include "server/reply.h"
#include "store/store.h"

namespace cpctrack::server {

class PasswordPool;

// Settings every service reads; fixed for the server's life.
struct ServerConfig {
  std::string facility_code;  // ISBT 128 facility code for new DINs
  std::string time_zone_name;
  absl::TimeZone time_zone;   // calendar dates (lot expiry, DIN year) are read here
  std::string version;
  PasswordHashing password_hashing = PasswordHashing::kInteractive;  // for new passwords
  absl::Duration session_lifetime = absl::Hours(12);
  // Deadlines of a follow-up case from its opening (Japan's Act on the Safety
  // of Regenerative Medicine: reports within 7 and 15 days).
  std::vector<absl::Duration> follow_up_deadlines = {absl::Hours(7 * 24), absl::Hours(15 * 24)};
  // Where passwords are hashed and checked (owned by CpcServer): never on a
  // gRPC thread.
  PasswordPool* password_pool = nullptr;
};

// The metadata key of the session token: "authorization: Bearer TOKEN".
inline constexpr char kAuthorizationMetadataKey[] = "authorization";

// The authenticated caller of one RPC.
struct Caller {
  std::string user;  // empty only for a public method called without a session
  std::string full_name;
  std::vector<domain::Role> roles;
};

// Where a call carries its method's full name ("/cpctrack.v1.QcService/
// ReviewResult") to its handler: set by MethodTagFactory (access_control.h)
// in the call's received metadata, replacing any value a client sent.
inline constexpr char kMethodMetadataKey[] = "cpcd-method";
// The authenticated user, set by Respond() in the call's trailing metadata
// for the request log, which removes it before it is sent.
inline constexpr char kUserTrailerKey[] = "cpcd-user";

// The access check of one call (access_control.cc): authenticates its
// session token and checks its method against the method table. The caller,
// or the status the call is refused with.
absl::StatusOr<Caller> CheckAccess(store::Store& store, const grpc::CallbackServerContext& ctx);

grpc::Status ToGrpcStatus(const absl::Status& status);

// The user a write is recorded under: the authenticated session's, never a
// request field. UNAUTHENTICATED when the call has no session.
absl::StatusOr<std::string> CallerUser(const Caller& caller);

// What the application layer is told of a write: the caller (never a
// request field), the clock now, the facility's time zone and the request
// ID. UNAUTHENTICATED when the call has no session.
absl::StatusOr<app::WriteContext> WriteContextFor(const Caller& caller,
                                                  const ServerConfig& config,
                                                  absl::string_view request_id,
                                                  absl::string_view late_entry_reason = "");

// InvalidArgument "FIELD: required" when an ID a request names is empty.
absl::Status RequireId(absl::string_view field, absl::string_view id);

// A request ID: 1-128 printable ASCII characters, e.g. a UUID.
absl::Status ValidateRequestId(absl::string_view request_id);

// page_size: 0 means the default (50); at most 500.
absl::StatusOr<int> PageSize(int requested);
std::string EncodePageToken(absl::string_view key);
absl::StatusOr<std::string> DecodePageToken(absl::string_view token);

// A write: what runs in one savepoint on the store's committer thread.
// Whatever it captures must outlive the call: copies of a handler's locals
// (capture `[=, this]`), and the request and response pointers, which live
// until the call is finished. Never `[&]`: the handler has returned by then.
using WriteFn = absl::AnyInvocable<absl::Status(store::Transaction&)>;

// Queues `fn` as one write (Store::Enqueue); the call is answered once the
// commit holding it is durable.
Reply Write(store::Store& store, WriteFn fn);
// The same for the one write allowed while writes are refused: the entry
// recording an audit export (Store::EnqueueRecordRead).
Reply RecordRead(store::Store& store, WriteFn fn);

// Queues `fn` as one write keyed by the request's request_id: the first call
// fills `response` and stores it; a retry with the same ID (by the same user,
// asking the same) gets the stored response and writes nothing. The stored
// fingerprint leaves out the request's `password` and `signature` fields:
// secrets are never stored. `request`, `response` and `method` must live
// until the call is finished (they do: the call's own messages, a literal).
Reply WriteOnce(store::Store& store, absl::string_view method, absl::string_view user,
                const google::protobuf::Message& request, absl::string_view request_id,
                google::protobuf::Message* response, WriteFn fn);

// What every service derives from, beside its generated base: Respond(),
// through which every handler runs.
class CallHandler {
 protected:
  // `store` is where sessions are looked up.
  explicit CallHandler(store::Store& store) : sessions_(store) {}

  // Checks the call's access once (CheckAccess) and, if it is allowed,
  // answers it with what `fn` returns: an absl::Status, or a Reply that
  // answers later. `fn` takes the caller (`const Caller&`) or nothing. The
  // handler's thread returns at once: a write or a password check finishes
  // the call from the thread that completes it.
  template <class Fn>
  grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* ctx, Fn&& fn) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    absl::StatusOr<Caller> caller = CheckAccess(sessions_, *ctx);
    Reply reply = caller.status();
    if (caller.ok()) {
      if (!caller->user.empty()) ctx->AddTrailingMetadata(kUserTrailerKey, caller->user);
      if constexpr (std::is_invocable_v<Fn&, const Caller&>) {
        reply = Reply(fn(*caller));
      } else {
        reply = Reply(fn());
      }
    }
    std::move(reply).Deliver(
        [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
    return reactor;
  }

 private:
  store::Store& sessions_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_CALL_SUPPORT_H_
