#include "domain/network.h"

#include "absl/strings/match.h"

namespace cpctrack::domain {

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" ||
         absl::StartsWith(host, "127.");
}

}  // namespace cpctrack::domain
