#include "tests/lab_tools/decode.h"

#include <dmtx.h>
#include <cairo.h>
#include <cstring>
#include <zbar.h>

#include <regex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "lab_tools/label.h"

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

namespace {

constexpr int kQuiet = 24;  // dots of white around what is decoded

GrayImage WhiteImage(int width, int height) {
  GrayImage image;
  image.width = width + 2 * kQuiet;
  image.height = height + 2 * kQuiet;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height, 255);
  return image;
}

void Paint(GrayImage& image, int x, int y) {
  x += kQuiet;
  y += kQuiet;
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  image.pixels[static_cast<size_t>(y) * image.width + x] = 0;
}

}  // namespace

std::vector<GrayImage> ZplGraphics(absl::string_view zpl) {
  std::vector<GrayImage> images;
  for (absl::string_view line : absl::StrSplit(zpl, '\n')) {
    const size_t at = line.find("^GFA,");
    if (at == absl::string_view::npos) continue;
    std::vector<std::string> parts = absl::StrSplit(line.substr(at + 5), ',');
    int total = 0, row_bytes = 0;
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &total) ||
        !absl::SimpleAtoi(parts[2], &row_bytes) || row_bytes <= 0) {
      continue;
    }
    const std::string hex = parts[3].substr(0, parts[3].find('^'));
    if (hex.size() != 2u * total) continue;
    GrayImage image = WhiteImage(row_bytes * 8, total / row_bytes);
    for (int i = 0; i < total; ++i) {
      const int byte = std::stoi(hex.substr(2 * i, 2), nullptr, 16);
      for (int bit = 0; bit < 8; ++bit) {
        if (byte & (0x80 >> bit)) Paint(image, (i % row_bytes) * 8 + bit, i / row_bytes);
      }
    }
    images.push_back(std::move(image));
  }
  return images;
}

GrayImage SvgSymbols(absl::string_view svg) {
  GrayImage image = WhiteImage(Label::kWidthDots, Label::kHeightDots);
  static const std::regex kRect(
      R"re(<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/>)re");
  const std::string text(svg);
  for (std::sregex_iterator it(text.begin(), text.end(), kRect), end; it != end; ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]);
    const int width = std::stoi((*it)[3]), height = std::stoi((*it)[4]);
    for (int dy = 0; dy < height; ++dy) {
      for (int dx = 0; dx < width; ++dx) Paint(image, x + dx, y + dy);
    }
  }
  return image;
}

GrayImage ReadPng(const std::string& path) {
  GrayImage image;
  cairo_surface_t* surface = cairo_image_surface_create_from_png(path.c_str());
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return image;
  }
  cairo_surface_flush(surface);
  const cairo_format_t format = cairo_image_surface_get_format(surface);
  image.width = cairo_image_surface_get_width(surface);
  image.height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  image.pixels.resize(static_cast<size_t>(image.width) * image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const unsigned char* row = data + static_cast<size_t>(y) * stride;
      uint8_t gray = 255;
      if (format == CAIRO_FORMAT_A8) {
        gray = static_cast<uint8_t>(255 - row[x]);
      } else {  // RGB24 / ARGB32: native-endian 32-bit pixels
        uint32_t px;
        std::memcpy(&px, row + 4 * x, 4);
        gray = static_cast<uint8_t>((((px >> 16) & 0xff) + ((px >> 8) & 0xff) + (px & 0xff)) / 3);
      }
      image.pixels[static_cast<size_t>(y) * image.width + x] = gray;
    }
  }
  cairo_surface_destroy(surface);
  return image;
}

}  // namespace cpclab::testing
