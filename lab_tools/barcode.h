// Barcodes as grids of modules, encoded by libzint. Everything that draws a
// label (ZPL, SVG, PNG) scales these same modules, so the preview and the
// print carry the same symbol.
#ifndef CPCTRACK_LAB_TOOLS_BARCODE_H_
#define CPCTRACK_LAB_TOOLS_BARCODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpclab {

enum class Symbology {
  kCode128,     // linear; the DIN in ISBT 128 Data Structure 001
  kDataMatrix,  // ECC 200, square; every ID on the label
};

// One module per cell, row-major, without quiet zone.
struct ModuleGrid {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> dark;  // width * height, 1 = dark (bar)

  bool Dark(int x, int y) const { return dark[static_cast<size_t>(y) * width + x] != 0; }
};

// `code128_height` is the bar height in modules (ignored for DataMatrix).
// InvalidArgument with zint's own message when the data cannot be encoded.
absl::StatusOr<ModuleGrid> EncodeBarcode(Symbology symbology, absl::string_view data,
                                         int code128_height = 20);

// An 8-bit grayscale image (0 black, 255 white) of the grid, `scale` pixels
// per module, with a white quiet zone of `quiet_modules` around it: what a
// scanner sees.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};
GrayImage Rasterize(const ModuleGrid& grid, int scale, int quiet_modules);

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_BARCODE_H_
