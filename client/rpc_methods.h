#ifndef CPCTRACK_CLIENT_RPC_METHODS_H_
#define CPCTRACK_CLIENT_RPC_METHODS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace cpc {

// Finds methods of the API compiled into cpc by their message types or by the
// name gRPC sends, so that a write saved as bytes can be sent and read back
// without knowing its types at compile time.

// The full gRPC name ("/cpctrack.v1.BatchService/RecordPassage") of the one
// method in `request`'s .proto file that takes `request` and returns
// `response`. INTERNAL when there is none or more than one.
absl::StatusOr<std::string> FullMethodName(const google::protobuf::Descriptor& request,
                                           const google::protobuf::Descriptor& response);

// The method behind a full gRPC name; NOT_FOUND when cpc does not know it.
absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(
    absl::string_view full_method_name);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_RPC_METHODS_H_
