#ifndef CPCTRACK_CLIENT_CHOICES_H_
#define CPCTRACK_CLIENT_CHOICES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cpctrack/v1/auth.pb.h"
#include "cpctrack/v1/common.pb.h"
#include "cpctrack/v1/qc.pb.h"
#include "cpctrack/v1/storage.pb.h"
#include "cpctrack/v1/units.pb.h"
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
const ChoiceTable<cpctrack::v1::Disposition>& DispositionChoices();
const ChoiceTable<cpctrack::v1::SamplePoint>& SamplePointChoices();
const ChoiceTable<cpctrack::v1::QcTestType>& QcTestTypeChoices();
const ChoiceTable<cpctrack::v1::QcTestState>& QcTestStateChoices();
const ChoiceTable<cpctrack::v1::GramFinding>& GramFindingChoices();
const ChoiceTable<cpctrack::v1::UnitKind>& UnitKindChoices();
const ChoiceTable<cpctrack::v1::UnitState>& UnitStateChoices();
const ChoiceTable<cpctrack::v1::UnitEventKind>& UnitEventKindChoices();
const ChoiceTable<cpctrack::v1::TemperatureClass>& TemperatureClassChoices();
const ChoiceTable<cpctrack::v1::Role>& RoleChoices();
const ChoiceTable<cpctrack::v1::Procedure>& ProcedureChoices();

// The words of `table`, for a FlagSpec's choices.
template <typename E>
std::vector<std::string> ChoiceTexts(const ChoiceTable<E>& table) {
  std::vector<std::string> texts;
  for (const auto& choice : table) texts.emplace_back(choice.text);
  return texts;
}

// An enum value's proto name without its type prefix, for exports:
// QC_TEST_TYPE_STERILITY -> "STERILITY"; "" for the zero (UNSPECIFIED) value.
template <typename E>
std::string EnumName(E value) {
  if (static_cast<int>(value) == 0) return "";
  const auto* descriptor = google::protobuf::GetEnumDescriptor<E>();
  const auto* enum_value = descriptor->FindValueByNumber(static_cast<int>(value));
  if (enum_value == nullptr) return std::to_string(static_cast<int>(value));
  // The zero value's name is PREFIX_UNSPECIFIED.
  std::string prefix = descriptor->value(0)->name();
  prefix.resize(prefix.size() - std::string("UNSPECIFIED").size());
  const std::string& name = enum_value->name();
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
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
