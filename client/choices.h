#ifndef CPCTRACK_CLIENT_CHOICES_H_
#define CPCTRACK_CLIENT_CHOICES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cpctrack/v1/common.pb.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace cpc {

// The words a technician types for an API enum ("--method aopi") and sees in
// tables. One table per enum serves parsing, --help and printing.
template <typename E>
struct Choice {
  absl::string_view text;
  E value;
};

template <typename E>
using ChoiceTable = std::vector<Choice<E>>;

const ChoiceTable<cpctrack::v1::ScreeningResult>& ScreeningChoices();
const ChoiceTable<cpctrack::v1::EquipmentKind>& EquipmentKindChoices();
const ChoiceTable<cpctrack::v1::EquipmentStatus>& EquipmentStatusChoices();
const ChoiceTable<cpctrack::v1::BatchState>& BatchStateChoices();
const ChoiceTable<cpctrack::v1::CountingMethod>& CountingMethodChoices();
const ChoiceTable<cpctrack::v1::DeviationKind>& DeviationKindChoices();

// The words of `table`, for a FlagSpec's choices.
template <typename E>
std::vector<std::string> ChoiceTexts(const ChoiceTable<E>& table) {
  std::vector<std::string> texts;
  for (const auto& choice : table) texts.emplace_back(choice.text);
  return texts;
}

// The value for `text`; the enum's zero (UNSPECIFIED) when `text` is not in
// the table (the parser has already refused such text).
template <typename E>
E ChoiceValue(const ChoiceTable<E>& table, absl::string_view text) {
  for (const auto& choice : table) {
    if (choice.text == text) return choice.value;
  }
  return static_cast<E>(0);
}

// The word for `value`; a value newer than this client shows as its proto name.
template <typename E>
std::string ChoiceText(const ChoiceTable<E>& table, E value) {
  for (const auto& choice : table) {
    if (choice.value == value) return std::string(choice.text);
  }
  const auto* descriptor = google::protobuf::GetEnumDescriptor<E>();
  const auto* enum_value = descriptor->FindValueByNumber(static_cast<int>(value));
  return enum_value ? enum_value->name() : std::to_string(static_cast<int>(value));
}

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_CHOICES_H_
