#include "lab_tools/barcode.h"

#include <zint.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cpclab {
namespace {

struct SymbolDeleter {
  void operator()(zint_symbol* symbol) const { ZBarcode_Delete(symbol); }
};

}  // namespace

absl::StatusOr<ModuleGrid> EncodeBarcode(Symbology symbology, absl::string_view data,
                                         int code128_height) {
  std::unique_ptr<zint_symbol, SymbolDeleter> symbol(ZBarcode_Create());
  if (symbol == nullptr) return absl::ResourceExhaustedError("libzint: out of memory");
  symbol->symbology = symbology == Symbology::kCode128 ? BARCODE_CODE128 : BARCODE_DATAMATRIX;
  if (symbology == Symbology::kDataMatrix) symbol->option_3 = DM_SQUARE;
  symbol->input_mode = DATA_MODE;
  symbol->show_hrt = 0;  // the label prints its own eye-readable text
  symbol->height = static_cast<float>(code128_height);
  symbol->whitespace_width = 0;
  symbol->whitespace_height = 0;
  symbol->border_width = 0;
  symbol->scale = 0.5f;  // one pixel per module
  const int error =
      ZBarcode_Encode_and_Buffer(symbol.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                 static_cast<int>(data.size()), 0);
  if (error >= ZINT_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("barcode data \"", data, "\": libzint: ", symbol->errtxt));
  }
  ModuleGrid grid;
  grid.width = symbol->bitmap_width;
  grid.height = symbol->bitmap_height;
  grid.dark.resize(static_cast<size_t>(grid.width) * grid.height);
  for (size_t i = 0; i < grid.dark.size(); ++i) {
    grid.dark[i] = symbol->bitmap[3 * i] < 128 ? 1 : 0;  // RGB, black bars on white
  }
  return grid;
}

GrayImage Rasterize(const ModuleGrid& grid, int scale, int quiet_modules) {
  GrayImage image;
  image.width = (grid.width + 2 * quiet_modules) * scale;
  image.height = (grid.height + 2 * quiet_modules) * scale;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height, 255);
  for (int y = 0; y < grid.height; ++y) {
    for (int x = 0; x < grid.width; ++x) {
      if (!grid.Dark(x, y)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        const int row = (y + quiet_modules) * scale + dy;
        for (int dx = 0; dx < scale; ++dx) {
          image.pixels[static_cast<size_t>(row) * image.width + (x + quiet_modules) * scale + dx] =
              0;
        }
      }
    }
  }
  return image;
}

}  // namespace cpclab
