// The one access check of cpcd. Every RPC's required access is declared in
// one table (access_control.cc); Respond() (call_support.h), through which
// every handler runs, authenticates the session token of every call once
// and checks its method against that table (CheckAccess) before the handler
// body runs, and hands the body the caller. A method missing from the table
// is refused, and cpcd refuses to start while a registered service has one.
#ifndef CPCTRACK_SERVER_ACCESS_CONTROL_H_
#define CPCTRACK_SERVER_ACCESS_CONTROL_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "domain/access.h"
#include "server/call_support.h"
#include "server/sign_in.h"
#include "server/password_pool.h"
#include "store/store.h"

namespace cpctrack::server {

enum class Access {
  kPublic,      // no session needed (login, server info, health, reflection)
  kSession,     // any signed-in user (logout)
  kPermission,  // a signed-in user whose roles grant `permission`
};

struct MethodRule {
  absl::string_view method;  // "/cpctrack.v1.QcService/ReviewResult"
  Access access;
  domain::Permission permission = domain::Permission::kReadRecords;  // for kPermission
};

// The table: every RPC cpcd serves, with the access it requires.
absl::Span<const MethodRule> MethodRules();
const MethodRule* FindMethodRule(absl::string_view method);

// FailedPrecondition naming every method of `service_names` (full names,
// e.g. "cpctrack.v1.QcService") that has no rule.
absl::Status CheckEveryMethodHasARule(const std::vector<std::string>& service_names);

// The verdict on a call of `method` with `token` ("" when none was sent):
// UNAUTHENTICATED for a missing, unknown, ended or expired session or a
// disabled user; PERMISSION_DENIED naming the permission the caller lacks.
absl::StatusOr<Caller> AuthorizeCall(store::Store& store, absl::string_view method,
                                     absl::string_view token, absl::Time now);

// The token of "authorization: Bearer TOKEN"; "" when absent or malformed.
std::string BearerToken(absl::string_view authorization);

// Puts each call's method name where CheckAccess finds it
// (kMethodMetadataKey). First in the interceptor chain.
class MethodTagFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_ACCESS_CONTROL_H_
