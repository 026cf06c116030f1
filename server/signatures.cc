#include "server/signatures.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
#include "server/audit_support.h"
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
  domain::Signature signature;
  signature.signer = caller.user;
  signature.full_name = caller.full_name;
  signature.meaning = meaning;
  signature.signed_at = at;
  signature.resource = std::string(resource);
  signature.content_sha256 =
      Sha256Hex(domain::SignedContent(resource, record_content, caller.user, meaning, at));
  RETURN_IF_ERROR(tx.InsertSignature(signature));
  RETURN_IF_ERROR(
      AppendAudit(tx, at, caller.user, domain::AuditAction::kSignatureSign, resource, "",
                  absl::StrCat("{\"full_name\":", domain::JsonString(caller.full_name),
                               ",\"meaning\":\"", domain::SignatureMeaningText(meaning),
                               "\",\"content_sha256\":\"", signature.content_sha256, "\"}"),
                  domain::SignatureMeaningText(meaning), request_id));
  ToProto(signature, out);
  return signature;
}

bool SignatureMatches(const domain::Signature& signature, absl::string_view record_content) {
  return signature.content_sha256 ==
         Sha256Hex(domain::SignedContent(signature.resource, record_content, signature.signer,
                                         signature.meaning, signature.signed_at));
}

}  // namespace cpctrack::server
