#include "server/signatures.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
#include "app/signatures.h"
#include "server/credentials.h"

namespace cpctrack::server {

Reply VerifySigner(store::Store& store, PasswordPool& pool, const Caller& caller,
                   const v1::SignatureRequest& request, absl::Time now) {
  if (request.password().empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "signature.password: required: this step is an electronic signature by ", caller.user,
        "; enter your password again"));
  }
  // Limited per signer: failed signatures by one user never hold up another's.
  Reply check = CheckPassword(store, pool, caller.user, request.password(),
                              "electronic signature", now, absl::StrCat("signer:", caller.user),
                              [](store::UserAccount) -> Reply { return absl::OkStatus(); });
  return Reply::Later([check = std::move(check)](Reply::Done done) mutable {
    std::move(check).Deliver([done = std::move(done)](absl::Status status) mutable {
      if (!status.ok()) {
        status = absl::UnauthenticatedError(
            absl::StrCat("signature not accepted: ", status.message()));
      }
      std::move(done)(std::move(status));
    });
  });
}

absl::StatusOr<domain::Signature> RecordSignature(store::Transaction& tx, const Caller& caller,
                                                  domain::SignatureMeaning meaning,
                                                  absl::string_view resource,
                                                  absl::string_view record_content,
                                                  absl::Time at, absl::string_view request_id,
                                                  v1::Signature* out) {
  app::WriteContext ctx{.now = at, .user = caller.user, .full_name = caller.full_name,
                        .request_id = std::string(request_id)};
  ASSIGN_OR_RETURN(domain::Signature signature,
                   app::RecordSignature(tx, ctx, meaning, resource, record_content));
  ToProto(signature, out);
  return signature;
}

}  // namespace cpctrack::server
