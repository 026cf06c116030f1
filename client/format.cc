#include "client/format.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace cpc {

std::string CompactBatchId(absl::string_view id) {
  std::string compact;
  for (char c : id) {
    if (!absl::ascii_isspace(c)) compact.push_back(c);
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
  int exponent = static_cast<int>(std::floor(std::log10(std::fabs(count))));
  double mantissa = count / std::pow(10.0, exponent);
  // 9.996e6 rounds to "10.00e6"; carry into the exponent instead.
  if (std::fabs(std::round(mantissa * 100) / 100) >= 10) {
    mantissa /= 10;
    ++exponent;
  }
  return absl::StrFormat("%.2fe%d", mantissa, exponent);
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
