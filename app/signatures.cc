#include "app/signatures.h"

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "domain/status_macros.h"

namespace cpctrack::app {

absl::StatusOr<domain::Signature> RecordSignature(store::Transaction& tx, const WriteContext& ctx,
                                                  domain::SignatureMeaning meaning,
                                                  absl::string_view resource,
                                                  absl::string_view record_content) {
  domain::Signature signature;
  signature.signer = ctx.user;
  signature.full_name = ctx.full_name;
  signature.meaning = meaning;
  signature.signed_at = ctx.now;
  signature.resource = std::string(resource);
  signature.content_sha256 = domain::Sha256Hex(
      domain::SignedContent(resource, record_content, ctx.user, meaning, ctx.now));
  RETURN_IF_ERROR(tx.InsertSignature(signature));
  RETURN_IF_ERROR(
      AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kSignatureSign, resource, "",
                  absl::StrCat("{\"full_name\":", domain::JsonString(ctx.full_name),
                               ",\"meaning\":\"", domain::SignatureMeaningText(meaning),
                               "\",\"content_sha256\":\"", signature.content_sha256, "\"}"),
                  domain::SignatureMeaningText(meaning), ctx.request_id));
  return signature;
}

bool SignatureMatches(const domain::Signature& signature, absl::string_view record_content) {
  return signature.content_sha256 ==
         domain::Sha256Hex(domain::SignedContent(signature.resource, record_content,
                                                 signature.signer, signature.meaning,
                                                 signature.signed_at));
}

}  // namespace cpctrack::app
