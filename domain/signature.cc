#include "domain/signature.h"

#include "absl/strings/str_cat.h"

namespace cpctrack::domain {

absl::string_view SignatureMeaningText(SignatureMeaning meaning) {
  switch (meaning) {
    case SignatureMeaning::kResultReviewed: return "reviewed: QC result verified as recorded";
    case SignatureMeaning::kDeviationDisposition: return "approved: QA disposition of deviation";
    case SignatureMeaning::kBatchReleased: return "released: batch released for use";
    case SignatureMeaning::kIdentityVerified: return "verified: unit and patient identity";
    case SignatureMeaning::kFollowUpAssessed: return "assessed: QA assessment of a follow-up case";
    case SignatureMeaning::kFollowUpAcknowledged:
      return "acknowledged: the physician was informed of a follow-up case";
    case SignatureMeaning::kMaterialAccepted: return "approved: material accepted for use";
    case SignatureMeaning::kMaterialRejected: return "rejected: material rejected for use";
    case SignatureMeaning::kPhysicianUseRequested:
      return "requested: use under the physician's responsibility";
  }
  return "unknown";
}

std::string SignedContent(absl::string_view resource, absl::string_view record_content,
                          absl::string_view signer, SignatureMeaning meaning, absl::Time at) {
  // Lengths before the free-text parts keep two different records from ever
  // producing the same bytes by shifting text between lines.
  return absl::StrCat("cpctrack-signature-v1\nresource ", resource.size(), " ", resource,
                      "\nsigner ", signer, "\nmeaning ", static_cast<int>(meaning), "\nat ",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", at, absl::UTCTimeZone()),
                      "\ncontent ", record_content.size(), "\n", record_content);
}

}  // namespace cpctrack::domain
