#include "tests/lab_tools/decode.h"

#include <dmtx.h>
#include <zbar.h>

namespace cpclab::testing {

using namespace ::zbar;  // zbar.h declares its C API in namespace zbar under C++

std::vector<std::string> DecodeCode128(const GrayImage& image) {
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
  zbar_image_t* zimage = zbar_image_create();
  zbar_image_set_format(zimage, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(zimage, image.width, image.height);
  zbar_image_set_data(zimage, image.pixels.data(), image.pixels.size(), nullptr);
  std::vector<std::string> found;
  if (zbar_scan_image(scanner, zimage) > 0) {
    for (const zbar_symbol_t* s = zbar_image_first_symbol(zimage); s != nullptr;
         s = zbar_symbol_next(s)) {
      found.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
    }
  }
  zbar_image_destroy(zimage);
  zbar_image_scanner_destroy(scanner);
  return found;
}

std::string DecodeDataMatrix(const GrayImage& image) {
  std::vector<unsigned char> pixels(image.pixels.begin(), image.pixels.end());
  DmtxImage* dimage = dmtxImageCreate(pixels.data(), image.width, image.height, DmtxPack8bppK);
  dmtxImageSetProp(dimage, DmtxPropImageFlip, DmtxFlipNone);
  DmtxDecode* decode = dmtxDecodeCreate(dimage, 1);
  std::string text;
  DmtxRegion* region = dmtxRegionFindNext(decode, nullptr);
  if (region != nullptr) {
    DmtxMessage* message = dmtxDecodeMatrixRegion(decode, region, DmtxUndefined);
    if (message != nullptr) {
      text.assign(reinterpret_cast<const char*>(message->output), message->outputIdx);
      dmtxMessageDestroy(&message);
    }
    dmtxRegionDestroy(&region);
  }
  dmtxDecodeDestroy(&decode);
  dmtxImageDestroy(&dimage);
  return text;
}

}  // namespace cpclab::testing
