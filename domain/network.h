// Where plain text may travel: cpcd (gRPC) and cpc-web (HTTP) refuse to
// listen without TLS anywhere but on this machine, and cpc sends a password or
// a session token in plain text only to this machine. "This machine" is decided
// by the address, never by how a name looks ("127.0.0.1.example.net" is not
// loopback).
#ifndef CPCTRACK_DOMAIN_NETWORK_H_
#define CPCTRACK_DOMAIN_NETWORK_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cpctrack::domain {

// Whether `host` is a loopback address: an IPv4 address in 127.0.0.0/8, the
// IPv6 ::1 (bracketed or not, or IPv4-mapped ::ffff:127.x.y.z), or the name
// "localhost", which resolvers must answer with loopback (RFC 6761 6.3).
bool IsLoopbackHost(absl::string_view host);

// The host of a gRPC target: "host:port", "[v6]:port", "dns:///host:port" or
// a bare host; a "unix:" socket is "localhost".
std::string TargetHost(absl::string_view target);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_NETWORK_H_
