// A minimal PNG encoder (8-bit grayscale, zlib from the system) for label previews.
#ifndef CPCTRACK_LAB_TOOLS_PNG_H_
#define CPCTRACK_LAB_TOOLS_PNG_H_

#include <string>

#include "lab_tools/barcode.h"

namespace cpclab {

// The PNG file's bytes.
std::string EncodePng(const GrayImage& image);

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_PNG_H_
