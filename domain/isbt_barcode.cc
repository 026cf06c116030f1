#include "domain/isbt_barcode.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

constexpr int kFlagCheckOffset = 60;  // flag type 3: check value + 60

int CheckValue(char check) {
  if (check >= '0' && check <= '9') return check - '0';
  if (check >= 'A' && check <= 'Z') return check - 'A' + 10;
  return 36;  // '*'
}

}  // namespace

std::string DinBarcodeData(const Din& din) {
  const std::string& compact = din.compact();
  return absl::StrFormat("=%s%02d", compact.substr(0, 13),
                         CheckValue(compact.back()) + kFlagCheckOffset);
}

absl::StatusOr<Din> ParseDinBarcodeData(absl::string_view data) {
  if (data.size() != 16 || data[0] != '=') {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode data \"%s\" is not an ISBT 128 DIN (\"=\", 13 characters, 2 flags)",
        data));
  }
  const absl::string_view body = data.substr(1, 13);
  int flags = 0;
  if (!absl::SimpleAtoi(data.substr(14, 2), &flags)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("barcode data \"%s\": flag characters must be digits", data));
  }
  const char check = Din::CheckCharacter(body);
  absl::StatusOr<Din> din = Din::Parse(absl::StrCat(body, std::string(1, check)));
  if (!din.ok()) return din.status();
  if (flags >= kFlagCheckOffset && flags <= kFlagCheckOffset + 36 &&
      flags - kFlagCheckOffset != CheckValue(check)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode data \"%s\": the check flag does not match the DIN: misread", data));
  }
  return din;
}

absl::Status ValidateProductDescriptionCode(absl::string_view code) {
  const bool shape = code.size() == 5 && std::all_of(code.begin() + 1, code.end(), [](char c) {
                       return absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
                              (c >= 'A' && c <= 'Z');
                     });
  const bool kind = !code.empty() && (code[0] == 'S' || (code[0] >= 'A' && code[0] <= 'D'));
  if (!shape || !kind) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "ISBT 128 product description code \"%s\" must be S (cellular therapy) or A-D "
        "(national or local code) followed by 4 capital letters or digits, e.g. S1234 or DAX12",
        code));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ProductCodeData(absl::string_view product_description_code,
                                            char collection_type, int unit_sequence) {
  RETURN_IF_ERROR(ValidateProductDescriptionCode(product_description_code));
  if (unit_sequence < 1 || unit_sequence > kMaxDivisions) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unit sequence %d has no ISBT 128 division code: divisions A-Z name units 1-%d of a "
        "batch",
        unit_sequence, kMaxDivisions));
  }
  return absl::StrCat("=<", product_description_code, std::string(1, collection_type),
                      std::string(1, static_cast<char>('A' + unit_sequence - 1)), "0");
}

std::string ExpiryDateTimeData(absl::CivilMinute expires) {
  const int years_from_2000 = static_cast<int>(expires.year() - 2000);
  return absl::StrFormat("&>%d%02d%03d%02d%02d", years_from_2000 / 100, years_from_2000 % 100,
                         absl::GetYearDay(absl::CivilDay(expires)), expires.hour(),
                         expires.minute());
}

std::string CompoundMessage(const std::vector<std::string>& structures) {
  return absl::StrCat(absl::StrFormat("=+%02d000", structures.size()),
                      absl::StrJoin(structures, ""));
}

}  // namespace cpctrack::domain
