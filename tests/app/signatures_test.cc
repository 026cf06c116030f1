#include "app/signatures.h"

#include <gtest/gtest.h>

#include "domain/audit_chain.h"

namespace cpctrack::app {
namespace {

TEST(SignatureBindingTest, ASignatureMatchesOnlyTheRecordContentItSigned) {
  domain::Signature signature;
  signature.signer = "qa.tanaka";
  signature.full_name = "Tanaka Yui";
  signature.meaning = domain::SignatureMeaning::kResultReviewed;
  signature.signed_at = absl::FromUnixMicros(1'795'140'000'123'456);
  signature.resource = "batches/A9999260000018/qc_tests/1/results/1";
  signature.content_sha256 = domain::Sha256Hex(domain::SignedContent(
      signature.resource, "{\"eu_per_ml\":0.2}", signature.signer, signature.meaning,
      signature.signed_at));
  EXPECT_TRUE(SignatureMatches(signature, "{\"eu_per_ml\":0.2}"));
  EXPECT_FALSE(SignatureMatches(signature, "{\"eu_per_ml\":0.3}"));
  domain::Signature copied = signature;
  copied.resource = "batches/A9999260000018/qc_tests/2/results/2";
  EXPECT_FALSE(SignatureMatches(copied, "{\"eu_per_ml\":0.2}"));
  domain::Signature reassigned = signature;
  reassigned.signer = "qa.mori";
  EXPECT_FALSE(SignatureMatches(reassigned, "{\"eu_per_ml\":0.2}"));
}

}  // namespace
}  // namespace cpctrack::app
