// What a barcode scanner (or a person) types where a unit, a batch or a
// patient is named, read into the identifiers it carries. One parser for the
// bedside, the CLI and the lab tools: a unit label's DataMatrix (an ISBT 128
// compound message), its linear symbols in either order (each with its data
// identifier, separated by whitespace as a scanner's Enter or Tab leaves
// them), or the ID typed as printed. Anything malformed, any structure a
// cpctrack label does not carry, and a DIN whose check fails is refused:
// a scan is read exactly or not at all, never guessed at.
#ifndef CPCTRACK_DOMAIN_SCAN_H_
#define CPCTRACK_DOMAIN_SCAN_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "domain/din.h"

namespace cpctrack::domain {

// A scan or typed ID as read. REQUIRES nothing: every field is validated.
struct Scan {
  Din din;                          // the batch (ISBT 128: the donation)
  std::optional<int> unit_sequence;  // which unit: a typed unit ID, or DS 003's division
  // From Data Structure 003 (empty when not scanned): e.g. "S1234", '1'.
  std::string product_description_code;
  char collection_type = 0;
  std::optional<absl::CivilMinute> expires;  // Data Structure 005, local time
  bool from_barcode = false;                 // ISBT 128 data structures, not typed text
};

// InvalidArgument naming `field`, the text (cut to a readable length) and the
// rule broken.
absl::StatusOr<Scan> ParseScan(absl::string_view field, absl::string_view text);

// The unit a scan names ("A9999260000018-03"); InvalidArgument when it names
// only a batch (a DIN alone cannot tell the batch's units apart).
absl::StatusOr<std::string> ScannedUnitId(absl::string_view field, absl::string_view text);
// The batch a scan names: a batch's DIN, or a unit's batch.
absl::StatusOr<Din> ScannedBatchId(absl::string_view field, absl::string_view text);

// A patient identifier as typed or scanned from a wristband: the text
// trimmed, or the number in an ISBT 128 Patient Identification Number
// (Data Structure 025, "&#" + location aa + length ll + ll letters or digits;
// ST-001 §2.4.25), whose length must match. Letters, digits and . _ - / only.
absl::StatusOr<std::string> ScannedPatientId(absl::string_view field, absl::string_view text);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_SCAN_H_
