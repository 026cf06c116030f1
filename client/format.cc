#include "client/format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace cpc {

std::string CompactBatchId(absl::string_view id) {
  std::string compact;
  for (char c : id) {
    if (!absl::ascii_isspace(c) && c != '-') compact.push_back(absl::ascii_toupper(c));
  }
  return compact;
}

std::string SpacedBatchId(absl::string_view id) {
  std::string compact = CompactBatchId(id);
  if (compact.size() != 14) return compact;
  return absl::StrCat(compact.substr(0, 5), " ", compact.substr(5, 2), " ",
                      compact.substr(7, 6), " ", compact.substr(13, 1));
}

std::string FormatCount(int64_t count) {
  if (count > -1000 && count < 1000) return absl::StrCat(count);
  // From the decimal digits, so nothing is rounded: every digit typed is shown.
  std::string digits = absl::StrCat(count);
  std::string sign;
  if (digits[0] == '-') {
    sign = "-";
    digits.erase(0, 1);
  }
  const size_t exponent = digits.size() - 1;
  digits.erase(digits.find_last_not_of('0') + 1);
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) absl::StrAppend(&mantissa, ".", digits.substr(1));
  return absl::StrCat(sign, mantissa, "e", exponent);
}

std::string FormatPercent(double percent) {
  return absl::StrFormat("%.1f%%", percent);
}

std::string FormatDecimal(double value, int decimals) {
  std::string text = absl::StrFormat("%.*f", decimals, value);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string Shortened(absl::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "...");
}

std::string ShellQuote(absl::string_view text) {
  bool plain = !text.empty();
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && absl::string_view("-_.,:/=+@%").find(c) ==
                                       absl::string_view::npos) {
      plain = false;
    }
  }
  if (plain) return std::string(text);
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

}  // namespace cpc
