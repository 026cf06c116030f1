#include "lab_tools/png.h"

#include <zlib.h>

#include <cstdint>

namespace cpclab {
namespace {

void AppendU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void AppendChunk(std::string* out, const char type[4], const std::string& data) {
  AppendU32(out, static_cast<uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out->append(body);
  AppendU32(out, static_cast<uint32_t>(
                     crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
}

}  // namespace

std::string EncodePng(const GrayImage& image) {
  std::string header;
  AppendU32(&header, static_cast<uint32_t>(image.width));
  AppendU32(&header, static_cast<uint32_t>(image.height));
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit gray, deflate, no interlace

  std::string raw;  // each row: filter type 0, then the pixels
  raw.reserve(static_cast<size_t>(image.width + 1) * image.height);
  for (int y = 0; y < image.height; ++y) {
    raw.push_back('\0');
    raw.append(reinterpret_cast<const char*>(&image.pixels[static_cast<size_t>(y) * image.width]),
               image.width);
  }
  uLongf size = compressBound(raw.size());
  std::string compressed(size, '\0');
  compress2(reinterpret_cast<Bytef*>(compressed.data()), &size,
            reinterpret_cast<const Bytef*>(raw.data()), raw.size(), Z_BEST_COMPRESSION);
  compressed.resize(size);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  AppendChunk(&png, "IHDR", header);
  AppendChunk(&png, "IDAT", compressed);
  AppendChunk(&png, "IEND", "");
  return png;
}

}  // namespace cpclab
