// WriteOnce (declared in call_support.h), apart from the request checks so
// that those build without the store (fuzz/ links them alone).
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "server/call_support.h"

namespace cpctrack::server {

absl::Status WriteOnce(store::Store& store, absl::string_view method, absl::string_view user,
                       const google::protobuf::Message& request, absl::string_view request_id,
                       google::protobuf::Message* response,
                       absl::FunctionRef<absl::Status(store::Transaction&)> fn) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  // The fingerprint is the request without its ID: a retry must ask for
  // exactly the same thing to get the first answer back.
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  // Credentials are not part of what was asked (and are never stored).
  for (const char* name : {"request_id", "password", "admin_password", "signature"}) {
    const auto* field = copy->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  }
  const std::string fingerprint = absl::StrCat(
      method, ":", user, ":", absl::Base64Escape(copy->SerializePartialAsString()));

  ASSIGN_OR_RETURN(std::string stored,
                   store.WriteOnce(request_id, method, fingerprint,
                                   [&](store::Transaction& tx) -> absl::StatusOr<std::string> {
                                     RETURN_IF_ERROR(fn(tx));
                                     return response->SerializeAsString();
                                   }));
  if (!response->ParseFromString(stored)) {
    return absl::DataLossError(
        absl::StrCat("stored response for request_id ", request_id, " cannot be read"));
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::server
