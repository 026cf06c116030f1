#include "server/signatures.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
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

}  // namespace cpctrack::server
