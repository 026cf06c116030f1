// Electronic signatures (21 CFR 11.50/11.70, Annex 11 §14): who signed, their
// full name, when, what the signature means, and a hash of the exact record
// content signed, so a signature cannot be moved to another record. Reusable
// by every signed step: result review, deviation disposition, release.
#ifndef CPCTRACK_DOMAIN_SIGNATURE_H_
#define CPCTRACK_DOMAIN_SIGNATURE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

enum class SignatureMeaning {
  kResultReviewed = 1,       // QC result reviewed and accepted as recorded
  kDeviationDisposition = 2, // QA disposition of a deviation
  kBatchReleased = 3,        // release of a batch for infusion
  kIdentityVerified = 4,     // the bedside's second person: unit and patient identity
  kFollowUpAssessed = 5,     // QA's assessment of a follow-up case
  kFollowUpAcknowledged = 6, // the physician's acknowledgement of a follow-up case
  kMaterialAccepted = 7,     // QA accepts a reagent lot for use
  kMaterialRejected = 8,     // QA rejects a reagent lot
  kPhysicianUseRequested = 9,  // the physician's request to use an out-of-specification batch
};

// "reviewed: QC result verified", "approved: deviation disposition", ...
absl::string_view SignatureMeaningText(SignatureMeaning meaning);

struct Signature {
  int64_t signature_id = 0;
  std::string signer;      // user name, from the authenticated session
  std::string full_name;   // as the user record had it when signing
  SignatureMeaning meaning = SignatureMeaning::kResultReviewed;
  absl::Time signed_at;
  std::string resource;    // the signed record, e.g. "batches/…/qcTests/7"
  // Hex SHA-256 of SignedContent(): binds the signature to this record.
  std::string content_sha256;
};

// The exact bytes a signature's hash covers: the record's resource name and
// content together with the signer, meaning and time, one per line. Any other
// record (or the same record changed) gives other bytes.
std::string SignedContent(absl::string_view resource, absl::string_view record_content,
                          absl::string_view signer, SignatureMeaning meaning, absl::Time at);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_SIGNATURE_H_
