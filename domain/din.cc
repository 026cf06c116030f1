#include "domain/din.h"

#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cpctrack::domain {
namespace {

constexpr int kDinLength = 13;
// A DIN as printed ("G1234 17 654321 A") is 17 characters; errors quote at
// most this much of what was sent, so a huge ID cannot make a huge message.
constexpr size_t kMaxTypedLength = 40;
constexpr int kMaxSequence = 999999;

int CharValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return c - 'A' + 10;
}

bool IsDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateFacilityCode(absl::string_view code) {
  if (code.size() != 5) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "facility code \"%s\" must be 5 characters (a letter or digit, then 4 digits)",
        code));
  }
  const char first = code[0];
  const bool first_ok = (first >= '1' && first <= '9') ||
                        (first >= 'A' && first <= 'N') ||
                        (first >= 'P' && first <= 'Z');
  if (!first_ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "facility code \"%s\" must start with 1-9, A-N or P-Z (never 0 or O)",
        code));
  }
  if (!IsDigits(code.substr(1))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "facility code \"%s\" must end in 4 digits", code));
  }
  return absl::OkStatus();
}

char Din::CheckCharacter(absl::string_view thirteen) {
  int sum = 0;
  for (char c : thirteen) sum = ((sum + CharValue(c)) * 2) % 37;
  const int check = (38 - sum) % 37;
  if (check < 10) return static_cast<char>('0' + check);
  if (check < 36) return static_cast<char>('A' + check - 10);
  return '*';
}

absl::StatusOr<Din> Din::Create(absl::string_view facility_code, int year,
                                int sequence) {
  if (absl::Status s = ValidateFacilityCode(facility_code); !s.ok()) return s;
  if (year < 0 || year > 99) {
    return absl::InvalidArgumentError(
        absl::StrFormat("DIN year %d must be two digits (0-99)", year));
  }
  if (sequence < 1 || sequence > kMaxSequence) {
    return absl::OutOfRangeError(absl::StrFormat(
        "DIN sequence %d must be 1-%d", sequence, kMaxSequence));
  }
  std::string body = absl::StrFormat("%s%02d%06d", facility_code, year, sequence);
  const char check = CheckCharacter(body);
  return Din(absl::StrCat(body, std::string(1, check)));
}

absl::StatusOr<Din> Din::Parse(absl::string_view text) {
  if (text.size() > kMaxTypedLength) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID of %d characters is too long: a DIN is 14 characters (facility 5, "
        "year 2, sequence 6, check 1), spaces allowed",
        text.size()));
  }
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-') continue;  // people type the printed spacing
    compact.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (compact.size() == kDinLength) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID \"%s\" has no check character: type all 14 characters "
        "(the last one is the boxed check character on the label)",
        text));
  }
  if (compact.size() != kDinLength + 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID \"%s\" must be 14 characters (facility 5, year 2, "
        "sequence 6, check 1), spaces allowed; got %d",
        text, compact.size()));
  }
  const absl::string_view body = absl::string_view(compact).substr(0, kDinLength);
  if (absl::Status s = ValidateFacilityCode(body.substr(0, 5)); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch ID \"", text, "\": ", s.message()));
  }
  if (!IsDigits(body.substr(5))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID \"%s\": year and sequence (characters 6-13) must be digits",
        text));
  }
  // Found by fuzz/din_fuzzer: sequence 000000 parsed, though Create never
  // issues it, so no batch can have it.
  if (body.substr(7) == "000000") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID \"%s\": sequence 000000 is never issued (sequences run 000001-%06d)",
        text, kMaxSequence));
  }
  // The message must not reveal the expected character: a technician who
  // copied it would turn a typo into another patient's batch ID.
  if (compact.back() != CheckCharacter(body)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "batch ID \"%s\": wrong check character '%c': the ID was mistyped; "
        "scan it or copy it again from the label",
        text, compact.back()));
  }
  return Din(std::move(compact));
}

std::string Din::Spaced() const {
  return absl::StrCat(compact_.substr(0, 5), " ", compact_.substr(5, 2), " ",
                      compact_.substr(7, 6), " ", compact_.substr(13, 1));
}

int Din::year() const {
  int year = 0;
  (void)absl::SimpleAtoi(compact_.substr(5, 2), &year);
  return year;
}

int Din::sequence() const {
  int sequence = 0;
  (void)absl::SimpleAtoi(compact_.substr(7, 6), &sequence);
  return sequence;
}

}  // namespace cpctrack::domain
