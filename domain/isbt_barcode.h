// ISBT 128 data structures as a unit label's barcodes carry them. Each
// follows ICCBBA ST-001, "ISBT 128 Standard Technical Specification" v6.2.2
// (2023), section 2.4, as cited per function; the compound message's example
// in ICCBBA ST-012 v1.4.0 section 6.2 ("=+05000=Z549917...&>0183652359")
// confirms the concatenation and the century digit (0 = 2000-2099).
#ifndef CPCTRACK_DOMAIN_ISBT_BARCODE_H_
#define CPCTRACK_DOMAIN_ISBT_BARCODE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "domain/din.h"

namespace cpctrack::domain {

// Data Structure 001, Donation Identification Number (ST-001 §2.4.1, Table 3
// [RT004] for the flags): "=" + the 13 DIN characters (the first doubles as
// the second data identifier character) + 2 flag characters; 16 in all. The
// check character itself is not encoded; flag type 3 carries its value + 60,
// so a scanner can check the DIN it read (G1234 17 654321, check A = 10:
// "=G12341765432170").
std::string DinBarcodeData(const Din& din);

// Reads Data Structure 001 back into a DIN. Flags 60-96 must match the DIN's
// check character; other flag values ("00" and the like) carry no check, and
// the DIN is returned with its computed check character. InvalidArgument
// when the data is not a DIN.
absl::StatusOr<Din> ParseDinBarcodeData(absl::string_view data);

// Table 7 [RT008], ST-001 §3: collection type "1", "For autologous use only".
inline constexpr char kCollectionTypeAutologousOnly = '1';
// First-level division codes A-Z (ST-001 §2.4.3): the units of one batch.
inline constexpr int kMaxDivisions = 26;

// A Product Description Code (ST-001 §2.4.3, the "αoooo" of Data Structure
// 003): S + 4 letters or digits for a cellular therapy product in ICCBBA's
// database, or A-D + 4 for a national or local/facility code (e.g. "DAX12").
absl::Status ValidateProductDescriptionCode(absl::string_view code);

// Data Structure 003, Product Code (ST-001 §2.4.3): "=<" + αoooo (the Product
// Description Code) + t (collection type) + ds (division: d a capital letter,
// s a lower case letter or "0" for none); 10 in all. A unit's division is
// its sequence in the batch: unit 1 is "A0", unit 26 "Z0". InvalidArgument
// for a code that is not valid or a sequence outside 1-26.
absl::StatusOr<std::string> ProductCodeData(absl::string_view product_description_code,
                                            char collection_type, int unit_sequence);

// Data Structure 005, Expiration Date and Time (ST-001 §2.4.5): "&>" +
// cyyjjjhhmm (century digit, year in century, ordinal day, hour, minute),
// in the facility's local time; 12 in all. REQUIRES: year 2000-2999.
std::string ExpiryDateTimeData(absl::CivilMinute expires);

// Data Structure 023, Compound Message (ST-001 §2.4.23): "=+" + aa (how many
// structures follow) + bbb ("000": an undefined sequence, which ICCBBA
// encourages), then the structures, each with its data identifier, with no
// characters between them.
std::string CompoundMessage(const std::vector<std::string>& structures);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_ISBT_BARCODE_H_
