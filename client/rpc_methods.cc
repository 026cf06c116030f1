#include "client/rpc_methods.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace cpc {

namespace pb = ::google::protobuf;

absl::StatusOr<std::string> FullMethodName(const pb::Descriptor& request,
                                           const pb::Descriptor& response) {
  // Each write request type belongs to one method (AIP style), so the types
  // name the method; the test of this file checks that this stays true.
  const pb::MethodDescriptor* found = nullptr;
  int matches = 0;
  const pb::FileDescriptor& file = *request.file();
  for (int s = 0; s < file.service_count(); ++s) {
    const pb::ServiceDescriptor& service = *file.service(s);
    for (int m = 0; m < service.method_count(); ++m) {
      const pb::MethodDescriptor* method = service.method(m);
      if (method->input_type() == &request && method->output_type() == &response) {
        found = method;
        ++matches;
      }
    }
  }
  if (matches != 1) {
    return absl::InternalError(absl::StrCat(matches, " methods take ", request.full_name(),
                                            " and return ", response.full_name(),
                                            "; expected exactly one"));
  }
  return absl::StrCat("/", found->service()->full_name(), "/", found->name());
}

absl::StatusOr<const pb::MethodDescriptor*> FindMethod(absl::string_view full_method_name) {
  // "/pkg.Service/Method" -> "pkg.Service.Method"
  absl::string_view name = full_method_name;
  const size_t slash = name.rfind('/');
  if (!absl::ConsumePrefix(&name, "/") || slash == absl::string_view::npos || slash == 0) {
    return absl::NotFoundError(absl::StrCat("\"", full_method_name, "\" is not a gRPC method name"));
  }
  std::string dotted = absl::StrCat(name.substr(0, slash - 1), ".", name.substr(slash));
  const pb::MethodDescriptor* method =
      pb::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  if (method == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("this cpc does not know the method ", full_method_name));
  }
  return method;
}

}  // namespace cpc
