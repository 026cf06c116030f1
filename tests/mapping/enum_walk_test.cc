// Every enum of every file of the cpctrack.v1 API, walked value by value.
// The mapping converts enums by number (mapping/mapping.h); this proves that
// each number means the same on both sides: the domain's name for the
// number is the proto value's name. A new proto file, enum or value with no
// domain counterpart fails here, until it gets one or is listed as the API's
// own.
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "domain/access.h"
#include "domain/excursion.h"
#include "domain/qualification.h"
#include "domain/readiness.h"
#include "domain/tank_readings.h"
#include "domain/where_used.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "mapping/mapping.h"

namespace cpctrack::mapping {
namespace {

namespace pb = ::google::protobuf;

// The domain's name for enum number `n`, or nothing when the domain has no
// value with that number.
using DomainName = std::function<std::string(int n)>;

template <typename D>
DomainName Names(absl::string_view (*name)(D)) {
  return [name](int n) { return std::string(name(static_cast<D>(n))); };
}

// "not met", "P0 seeding", "non-conforming" -> "NOT_MET", ...
std::string Normalized(std::string name) {
  absl::AsciiStrToUpper(&name);
  return absl::StrReplaceAll(name, {{" ", "_"}, {"-", "_"}});
}

// Each API enum and the domain enum its numbers are cast to.
const std::map<std::string, DomainName>& Mapped() {
  static const auto* mapped = new std::map<std::string, DomainName>{
      {"cpctrack.v1.BatchState", Names(&domain::BatchStateName)},
      {"cpctrack.v1.BoardStatus", Names(&domain::BoardStatusName)},
      {"cpctrack.v1.CountingMethod", Names(&domain::CountingMethodName)},
      {"cpctrack.v1.CriterionStatus", Names(&domain::CriterionStatusName)},
      {"cpctrack.v1.Detection", Names(&domain::DetectionName)},
      {"cpctrack.v1.DeviationKind", Names(&domain::DeviationKindName)},
      {"cpctrack.v1.DeviationState", Names(&domain::DeviationStateName)},
      {"cpctrack.v1.Disposition", Names(&domain::DispositionName)},
      {"cpctrack.v1.EquipmentKind", Names(&domain::EquipmentKindName)},
      {"cpctrack.v1.EquipmentStatus", Names(&domain::EquipmentStatusName)},
      {"cpctrack.v1.ExcursionScope", Names(&domain::ExcursionScopeName)},
      {"cpctrack.v1.GramFinding", Names(&domain::GramFindingName)},
      {"cpctrack.v1.LotStatus", Names(&domain::LotStatusName)},
      {"cpctrack.v1.Procedure", Names(&domain::ProcedureName)},
      {"cpctrack.v1.QcTestState", Names(&domain::QcTestStateName)},
      {"cpctrack.v1.QcTestType", Names(&domain::QcTestTypeName)},
      {"cpctrack.v1.ReadingSource", Names(&domain::ReadingSourceName)},
      {"cpctrack.v1.ReleaseBasis", Names(&domain::ReleaseBasisName)},
      {"cpctrack.v1.Role", Names(&domain::RoleName)},
      {"cpctrack.v1.SamplePoint", Names(&domain::SamplePointName)},
      {"cpctrack.v1.ScreeningResult", Names(&domain::ScreeningResultName)},
      {"cpctrack.v1.TemperatureClass", Names(&domain::TemperatureClassName)},
      {"cpctrack.v1.UnitEventKind", Names(&domain::UnitEventKindName)},
      {"cpctrack.v1.UnitKind", Names(&domain::UnitKindName)},
      {"cpctrack.v1.UnitState", Names(&domain::UnitStateName)},
      {"cpctrack.v1.UpkeepKind", Names(&domain::UpkeepKindName)},
      {"cpctrack.v1.UseKind", Names(&domain::UseKindName)},
  };
  return *mapped;
}

// Enums that only shape the API (how much to answer), never stored or
// decided in the domain.
const std::set<std::string> kApiOnly = {"cpctrack.v1.BatchView"};

// "BATCH_STATE_IN_CULTURE" in enum BatchState -> "IN_CULTURE".
std::string Suffix(const pb::EnumValueDescriptor& value) {
  std::string prefix;
  for (char c : value.type()->name()) {
    if (absl::ascii_isupper(c) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(c);
  }
  prefix += '_';
  std::string name = value.name();
  if (absl::StartsWith(name, prefix)) name.erase(0, prefix.size());
  return name;
}

void CollectEnums(const pb::Descriptor& message, std::vector<const pb::EnumDescriptor*>* out) {
  for (int i = 0; i < message.enum_type_count(); ++i) out->push_back(message.enum_type(i));
  for (int i = 0; i < message.nested_type_count(); ++i) CollectEnums(*message.nested_type(i), out);
}

// Every enum declared in the API's .proto files, found through the files
// themselves so that a new file is walked too.
std::vector<const pb::EnumDescriptor*> ApiEnums() {
  std::vector<const pb::EnumDescriptor*> enums;
  for (const auto& entry : std::filesystem::directory_iterator(CPCTRACK_PROTO_DIR)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = "cpctrack/v1/" + entry.path().filename().string();
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not linked into the test";
    if (file == nullptr) continue;
    for (int i = 0; i < file->enum_type_count(); ++i) enums.push_back(file->enum_type(i));
    for (int i = 0; i < file->message_type_count(); ++i) CollectEnums(*file->message_type(i), &enums);
  }
  return enums;
}

TEST(EnumWalkTest, EveryApiEnumIsMappedOrTheApisOwn) {
  const std::vector<const pb::EnumDescriptor*> enums = ApiEnums();
  EXPECT_GE(enums.size(), Mapped().size() + kApiOnly.size());
  for (const pb::EnumDescriptor* e : enums) {
    EXPECT_TRUE(Mapped().contains(e->full_name()) || kApiOnly.contains(e->full_name()))
        << e->full_name() << " has no domain counterpart in the mapping (mapping/mapping.h) "
        << "and is not listed as the API's own";
  }
}

TEST(EnumWalkTest, EveryValueMeansTheSameInTheDomain) {
  int walked = 0;
  for (const pb::EnumDescriptor* e : ApiEnums()) {
    auto mapped = Mapped().find(e->full_name());
    if (mapped == Mapped().end()) continue;
    for (int i = 0; i < e->value_count(); ++i) {
      const pb::EnumValueDescriptor& value = *e->value(i);
      const std::string suffix = Suffix(value);
      const std::string domain_name = Normalized(mapped->second(value.number()));
      ++walked;
      // UNSPECIFIED is the API's "not set": the mapping refuses it where a
      // value is required, so the domain may have no value 0, but a domain
      // value 0 must not be a real one.
      if (suffix == "UNSPECIFIED" && value.number() == 0 && domain_name != "UNSPECIFIED") {
        for (int j = 0; j < e->value_count(); ++j) {
          EXPECT_NE(domain_name, Suffix(*e->value(j)))
              << value.full_name() << " would be read as " << e->value(j)->full_name();
        }
        continue;
      }
      EXPECT_EQ(domain_name, suffix) << value.full_name() << " = " << value.number();
    }
  }
  EXPECT_GT(walked, 100);
}

}  // namespace
}  // namespace cpctrack::mapping
