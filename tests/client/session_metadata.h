// How the client tests' fakes know who called: cpc sends the session token
// of `cpc login`, and the tests' sessions hold "token-for-USER".
#ifndef CPCTRACK_TESTS_CLIENT_SESSION_METADATA_H_
#define CPCTRACK_TESTS_CLIENT_SESSION_METADATA_H_

#include <grpcpp/grpcpp.h>

#include <string>

namespace cpc {

inline constexpr char kTestTokenPrefix[] = "token-for-";

// The user whose test session token the call carries; `none` without one.
inline std::string SessionUser(const grpc::ServerContextBase& context,
                               const std::string& none = "<none>") {
  auto it = context.client_metadata().find("authorization");
  if (it == context.client_metadata().end()) return none;
  const std::string value(it->second.data(), it->second.size());
  const std::string prefix = std::string("Bearer ") + kTestTokenPrefix;
  return value.rfind(prefix, 0) == 0 ? value.substr(prefix.size()) : "<bad token>";
}

}  // namespace cpc

#endif  // CPCTRACK_TESTS_CLIENT_SESSION_METADATA_H_
