#include "domain/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cpctrack::domain {
namespace {

// The code point starting at text[i] and its length in bytes; length 0 for
// invalid UTF-8 (a stray, overlong or truncated sequence, a surrogate).
struct CodePoint {
  uint32_t value = 0;
  size_t length = 0;
};

CodePoint Decode(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  uint32_t value = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

// Characters that can move, hide or reorder what a reader sees.
bool Unprintable(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

absl::Status Validate(absl::string_view field, absl::string_view text, bool free_text) {
  for (size_t i = 0; i < text.size();) {
    const CodePoint cp = Decode(text, i);
    if (cp.length == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: byte %d (0x%02X) is not UTF-8 text", field, i,
          static_cast<unsigned char>(text[i])));
    }
    if (Unprintable(cp.value) && !(free_text && cp.value == '\n')) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: character %d is a control character (U+%04X); %s", field, i, cp.value,
          free_text ? "only line breaks are allowed" : "this field is one line of text"));
    }
    i += cp.length;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateText(absl::string_view field, absl::string_view text) {
  return Validate(field, text, false);
}

absl::Status ValidateFreeText(absl::string_view field, absl::string_view text) {
  return Validate(field, text, true);
}

std::string EscapeUnprintable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const CodePoint cp = Decode(text, i);
    if (cp.length == 0) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02X", static_cast<unsigned char>(text[i])));
      ++i;
      continue;
    }
    if (!Unprintable(cp.value)) {
      out.append(text.data() + i, cp.length);
    } else if (cp.value == '\n') {
      out += "\\n";
    } else if (cp.value == '\r') {
      out += "\\r";
    } else if (cp.value == '\t') {
      out += "\\t";
    } else if (cp.value < 0x80) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02X", cp.value));
    } else {
      absl::StrAppend(&out, absl::StrFormat("\\u{%04X}", cp.value));
    }
    i += cp.length;
  }
  return out;
}

}  // namespace cpctrack::domain
