#include "domain/isbt_barcode.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

}  // namespace cpctrack::domain
