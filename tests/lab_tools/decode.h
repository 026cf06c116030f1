// Reads barcodes back the way a scanner would, from pixels: Code 128 with
// zbar, DataMatrix with libdmtx (test-only dependencies); and the pixels of
// a label's ZPL graphics or SVG symbols, as a printer or a browser draws them.
#ifndef CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_
#define CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "lab_tools/barcode.h"

namespace cpclab::testing {

// Every Code 128 symbol zbar finds in the image.
std::vector<std::string> DecodeCode128(const GrayImage& image);
// The first DataMatrix libdmtx finds; "" when none.
std::string DecodeDataMatrix(const GrayImage& image);

// Each ^GFA graphic of a ZPL label, as the printer would image it, with a
// white quiet zone around it; a malformed graphic is left out.
std::vector<GrayImage> ZplGraphics(absl::string_view zpl);
// The label's symbols as a browser draws the SVG preview: every
// <rect x= y= width= height=/> painted black on a white page of the label's
// size (text and frame left out), with a white quiet zone around it.
GrayImage SvgSymbols(absl::string_view svg);
// A PNG file (the label preview cpc-lab writes) read back with cairo, as
// gray pixels; an empty image when it cannot be read.
GrayImage ReadPng(const std::string& path);

}  // namespace cpclab::testing

#endif  // CPCTRACK_TESTS_LAB_TOOLS_DECODE_H_
