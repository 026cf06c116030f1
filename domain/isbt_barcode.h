// The DIN as a barcode carries it: ISBT 128 Data Structure 001,
// "=" + the 13 DIN characters + 2 flag characters. The check character itself
// is not encoded; flag type 3 carries its value + 60, so a scanner can check
// the DIN it read (e.g. G1234 17 654321, check A = 10: "=G12341765432170").
#ifndef CPCTRACK_DOMAIN_ISBT_BARCODE_H_
#define CPCTRACK_DOMAIN_ISBT_BARCODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/din.h"

namespace cpctrack::domain {

// "=G12341765432170".
std::string DinBarcodeData(const Din& din);

// Reads what a scanner returns for Data Structure 001 back into a DIN.
// Flags 60-96 must match the DIN's check character; other flag values
// ("00" and the like) carry no check, and the DIN is returned with its
// computed check character. InvalidArgument when the data is not a DIN.
absl::StatusOr<Din> ParseDinBarcodeData(absl::string_view data);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_ISBT_BARCODE_H_
