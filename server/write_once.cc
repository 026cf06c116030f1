// WriteOnce (declared in call_support.h), apart from the request checks so
// that those build without the store (fuzz/ links them alone).
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "server/call_support.h"
#include "store/store.h"

namespace cpctrack::server {

Reply Write(store::Store& store, WriteFn fn) {
  return Reply::Later([&store, fn = std::move(fn)](Reply::Done done) mutable {
    store.Enqueue(std::move(fn), std::move(done));
  });
}

Reply RecordRead(store::Store& store, WriteFn fn) {
  return Reply::Later([&store, fn = std::move(fn)](Reply::Done done) mutable {
    store.EnqueueRecordRead(std::move(fn), std::move(done));
  });
}

Reply WriteOnce(store::Store& store, absl::string_view method, absl::string_view user,
                const google::protobuf::Message& request, absl::string_view request_id,
                google::protobuf::Message* response, WriteFn fn) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  // The fingerprint is the request without its ID: a retry must ask for
  // exactly the same thing to get the first answer back.
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  // Credentials are not part of what was asked (and are never stored).
  for (const char* name :
       {"request_id", "password", "admin_password", "signature", "verifier_signature",
        "physician_signature"}) {
    const auto* field = copy->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string fingerprint = absl::StrCat(method, ":", user, ":",
                                         absl::Base64Escape(copy->SerializePartialAsString()));
  return Reply::Later([&store, method = std::string(method),
                       request_id = std::string(request_id),
                       fingerprint = std::move(fingerprint), response,
                       fn = std::move(fn)](Reply::Done done) mutable {
    store.EnqueueOnce(
        request_id, std::move(method), std::move(fingerprint),
        [response, fn = std::move(fn)](store::Transaction& tx) mutable
        -> absl::StatusOr<std::string> {
          RETURN_IF_ERROR(fn(tx));
          return response->SerializeAsString();
        },
        [response, request_id, done = std::move(done)](
            absl::StatusOr<std::string> stored) mutable {
          if (!stored.ok()) return std::move(done)(stored.status());
          // A retry gets the first answer, whatever `fn` left in `response`.
          if (!response->ParseFromString(*stored)) {
            return std::move(done)(absl::DataLossError(
                absl::StrCat("stored response for request_id ", request_id, " cannot be read")));
          }
          std::move(done)(absl::OkStatus());
        });
  });
}

}  // namespace cpctrack::server
