// ISBT 128 Donation Identification Numbers (DINs): the batch ID printed on
// every container label. 13 characters (facility code, year, sequence)
// followed by an ISO/IEC 7064 MOD 37-2 check character, which is what stops a
// mistyped ID from silently naming another patient's batch.
#ifndef CPCTRACK_DOMAIN_DIN_H_
#define CPCTRACK_DOMAIN_DIN_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace cpctrack::domain {

class Din {
 public:
  // REQUIRES: a valid facility code (see ValidateFacilityCode), 0 <= year <= 99,
  // 1 <= sequence <= 999999.
  static absl::StatusOr<Din> Create(absl::string_view facility_code, int year,
                                    int sequence);

  // Parses a DIN with its check character, with or without spaces, in any
  // case: "G1234 17 654321 A", "g123417654321a". A wrong or missing check
  // character is an InvalidArgument error that says so.
  static absl::StatusOr<Din> Parse(absl::string_view text);

  // The ISO/IEC 7064 MOD 37-2 check character of 13 DIN characters
  // ('0'-'9', 'A'-'Z', or '*' for 36). REQUIRES: 13 characters in [0-9A-Z].
  static char CheckCharacter(absl::string_view thirteen);

  // "G123417654321A": the form used in the API, the database and URLs.
  const std::string& compact() const { return compact_; }
  // "G1234 17 654321 A": the eye-readable form on labels.
  std::string Spaced() const;
  absl::string_view facility_code() const { return absl::string_view(compact_).substr(0, 5); }
  int year() const;
  int sequence() const;

  friend bool operator==(const Din&, const Din&) = default;

 private:
  explicit Din(std::string compact) : compact_(std::move(compact)) {}
  std::string compact_;
};

// A facility identification code: 5 characters, the first 1-9, A-N or P-Z
// (never 0 or O), then four digits.
absl::Status ValidateFacilityCode(absl::string_view code);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_DIN_H_
