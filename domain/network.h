// Where plain text may travel: cpcd (gRPC) and cpc-web (HTTP) both refuse to
// listen without TLS anywhere but on this machine.
#ifndef CPCTRACK_DOMAIN_NETWORK_H_
#define CPCTRACK_DOMAIN_NETWORK_H_

#include "absl/strings/string_view.h"

namespace cpctrack::domain {

// "localhost", "::1", "[::1]" or any 127.x address.
bool IsLoopbackHost(absl::string_view host);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_NETWORK_H_
