#include "domain/records.h"
#include "domain/overloaded.h"

#include "absl/strings/str_cat.h"

namespace cpctrack::domain {
namespace {

void AddLots(absl::string_view medium_lot, const std::vector<std::string>& reagent_lots,
             std::vector<LotUse>& out) {
  if (!medium_lot.empty()) out.push_back({"medium_lot", std::string(medium_lot)});
  for (size_t i = 0; i < reagent_lots.size(); ++i) {
    out.push_back({absl::StrCat("reagent_lots[", i, "]"), reagent_lots[i]});
  }
}

}  // namespace

RecordKind KindOf(const RecordData& data) {
  return static_cast<RecordKind>(data.index() + 1);
}

absl::string_view CountingMethodName(CountingMethod method) {
  switch (method) {
    case CountingMethod::kUnspecified: return "UNSPECIFIED";
    case CountingMethod::kHemocytometerTrypanBlue: return "HEMOCYTOMETER_TRYPAN_BLUE";
    case CountingMethod::kAutomatedTrypanBlue: return "AUTOMATED_TRYPAN_BLUE";
    case CountingMethod::kAutomatedAoPi: return "AUTOMATED_AO_PI";
    case CountingMethod::kFlowCytometry: return "FLOW_CYTOMETRY";
    case CountingMethod::kOther: return "OTHER";
  }
  return "UNKNOWN";
}

absl::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kTissueReceipt: return "tissue receipt";
    case RecordKind::kSeeding: return "P0 seeding";
    case RecordKind::kObservation: return "observation";
    case RecordKind::kMediumChange: return "medium change";
    case RecordKind::kPassage: return "passage";
  }
  return "record";
}

absl::string_view EventTimeField(RecordKind kind) {
  switch (kind) {
    case RecordKind::kTissueReceipt: return "receipt_time";
    case RecordKind::kSeeding: return "seeding_time";
    case RecordKind::kObservation: return "observation_time";
    case RecordKind::kMediumChange: return "change_time";
    case RecordKind::kPassage: return "passage_time";
  }
  return "time";
}

absl::Time EventTime(const RecordData& data) {
  return std::visit(
      Overloaded{
          [](const TissueReceipt& r) { return r.receipt_time; },
          [](const Seeding& r) { return r.seeding_time; },
          [](const Observation& r) { return r.observation_time; },
          [](const MediumChange& r) { return r.change_time; },
          [](const Passage& r) { return r.passage_time; },
      },
      data);
}

std::vector<LotUse> LotsUsed(const RecordData& data) {
  std::vector<LotUse> out;
  std::visit(Overloaded{
                 [](const TissueReceipt&) {},
                 [&](const Seeding& r) { AddLots(r.medium_lot, r.reagent_lots, out); },
                 [](const Observation&) {},
                 [&](const MediumChange& r) { AddLots(r.medium_lot, r.reagent_lots, out); },
                 [&](const Passage& r) { AddLots(r.medium_lot, r.reagent_lots, out); },
             },
             data);
  return out;
}

std::vector<EquipmentUse> EquipmentUsed(const RecordData& data) {
  std::vector<EquipmentUse> out;
  if (const auto* seeding = std::get_if<Seeding>(&data)) {
    if (!seeding->incubator_id.empty()) out.push_back({"incubator_id", seeding->incubator_id});
    if (!seeding->cabinet_id.empty()) out.push_back({"cabinet_id", seeding->cabinet_id});
  } else if (const auto* passage = std::get_if<Passage>(&data)) {
    if (!passage->incubator_id.empty()) out.push_back({"incubator_id", passage->incubator_id});
    if (!passage->counter_id.empty()) out.push_back({"counter_id", passage->counter_id});
  }
  return out;
}

}  // namespace cpctrack::domain
