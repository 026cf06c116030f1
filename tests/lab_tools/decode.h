// Reads barcodes back the way a scanner would, from pixels: Code 128 with
// zbar, DataMatrix with libdmtx. Test-only dependencies.
#ifndef CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_
#define CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_

#include <string>
#include <vector>

#include "lab_tools/barcode.h"

namespace cpclab::testing {

// Every Code 128 symbol zbar finds in the image.
std::vector<std::string> DecodeCode128(const GrayImage& image);
// The first DataMatrix libdmtx finds; "" when none.
std::string DecodeDataMatrix(const GrayImage& image);

}  // namespace cpclab::testing

#endif  // CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_
