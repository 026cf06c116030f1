#include "client/record_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// "MEM-01 + COL-7, TRY-2": medium first, other lots after.
std::string Lots(const std::string& medium_lot,
                 const google::protobuf::RepeatedPtrField<std::string>& reagent_lots) {
  std::string lots = absl::StrCat("medium ", medium_lot.empty() ? "-" : medium_lot);
  if (!reagent_lots.empty()) absl::StrAppend(&lots, " + ", absl::StrJoin(reagent_lots, ", "));
  return lots;
}

std::string Vessels(int32_t count, const std::string& type, double area_cm2) {
  std::string text;
  if (count > 0) text = absl::StrCat(count, type.empty() ? " vessels" : absl::StrCat(" x ", type));
  if (area_cm2 > 0) {
    absl::StrAppend(&text, text.empty() ? "" : " ", "(", FormatDecimal(area_cm2, 1), " cm2)");
  }
  return text;
}

}  // namespace

absl::Time EventTime(const v1::BatchRecord& record) {
  switch (record.data_case()) {
    case v1::BatchRecord::kTissueReceipt:
      return FromProto(record.tissue_receipt().receipt_time());
    case v1::BatchRecord::kSeeding:
      return FromProto(record.seeding().seeding_time());
    case v1::BatchRecord::kObservation:
      return FromProto(record.observation().observation_time());
    case v1::BatchRecord::kMediumChange:
      return FromProto(record.medium_change().change_time());
    case v1::BatchRecord::kPassage:
      return FromProto(record.passage().passage_time());
    case v1::BatchRecord::DATA_NOT_SET:
      break;
  }
  return FromProto(record.record_time());
}

std::string RecordKindName(v1::BatchRecord::DataCase data_case) {
  switch (data_case) {
    case v1::BatchRecord::kTissueReceipt: return "receipt";
    case v1::BatchRecord::kSeeding: return "seeding";
    case v1::BatchRecord::kObservation: return "observation";
    case v1::BatchRecord::kMediumChange: return "feed";
    case v1::BatchRecord::kPassage: return "passage";
    case v1::BatchRecord::DATA_NOT_SET: break;
  }
  return "record";
}

std::string RecordKindName(const v1::BatchRecord& record) {
  if (record.has_passage() && record.passage().final_harvest()) return "harvest";
  return RecordKindName(record.data_case());
}

std::string DescribeRecordData(const v1::BatchRecord& record, absl::TimeZone zone) {
  std::vector<std::string> parts;
  switch (record.data_case()) {
    case v1::BatchRecord::kTissueReceipt: {
      const v1::TissueReceipt& r = record.tissue_receipt();
      parts.push_back(absl::StrCat(r.collection_site(), " ", FormatDecimal(r.volume_ml(), 1),
                                   " mL at ", FormatDecimal(r.transport_temperature_c(), 1),
                                   " C"));
      std::string collected =
          absl::StrCat("collected ", FormatLocalTime(FromProto(r.collection_time()), zone));
      if (!r.collected_by().empty()) absl::StrAppend(&collected, " by ", r.collected_by());
      parts.push_back(collected);
      break;
    }
    case v1::BatchRecord::kSeeding: {
      const v1::Seeding& s = record.seeding();
      parts.push_back(absl::StrCat("P0 seeded ", FormatCount(s.cells_seeded())));
      parts.push_back(Vessels(s.vessel_count(), s.vessel_type(), s.surface_area_cm2()));
      parts.push_back(Lots(s.medium_lot(), s.reagent_lots()));
      parts.push_back(s.cabinet_id().empty() ? s.incubator_id()
                                             : absl::StrCat(s.incubator_id(), " (cabinet ",
                                                            s.cabinet_id(), ")"));
      break;
    }
    case v1::BatchRecord::kObservation: {
      const v1::Observation& o = record.observation();
      parts.push_back(absl::StrCat("confluence ", FormatPercent(o.confluence_percent())));
      parts.push_back(o.morphology());
      break;
    }
    case v1::BatchRecord::kMediumChange: {
      const v1::MediumChange& m = record.medium_change();
      parts.push_back(Lots(m.medium_lot(), m.reagent_lots()));
      if (m.volume_ml() > 0) parts.push_back(absl::StrCat(FormatDecimal(m.volume_ml(), 1), " mL"));
      break;
    }
    case v1::BatchRecord::kPassage: {
      const v1::Passage& p = record.passage();
      if (p.passage_number() > 0) {
        parts.push_back(absl::StrCat(PassageLabel(p.passage_number() - 1), " -> ",
                                     PassageLabel(p.passage_number())));
      }
      parts.push_back(absl::StrCat("viable ", FormatCount(p.viable_cells()), " of ",
                                   FormatCount(p.total_cells()), " (",
                                   FormatPercent(p.viability_percent()), ", ",
                                   ChoiceText(CountingMethodChoices(), p.counting_method()),
                                   p.counter_id().empty() ? "" : " on ", p.counter_id(), ")"));
      parts.push_back(p.final_harvest()
                          ? std::string("FINAL HARVEST (culture ended)")
                          : absl::StrCat("reseeded ", FormatCount(p.cells_reseeded())));
      parts.push_back(Vessels(p.vessel_count(), "", p.surface_area_cm2()));
      parts.push_back(Lots(p.medium_lot(), p.reagent_lots()));
      parts.push_back(p.incubator_id());
      break;
    }
    case v1::BatchRecord::DATA_NOT_SET:
      parts.push_back("(no data)");
      break;
  }
  std::erase_if(parts, [](const std::string& part) { return part.empty(); });
  return absl::StrJoin(parts, "  ");
}

std::string RenderLateEntries(const google::protobuf::RepeatedPtrField<v1::LateEntry>& entries,
                              absl::TimeZone zone, size_t indent) {
  if (entries.empty()) return "";
  Table table({"record", "happened", "recorded", "by", "reason"});
  for (const v1::LateEntry& e : entries) {
    table.AddRow({e.resource(),
                  absl::StrCat(e.field(), " ", FormatLocalTime(FromProto(e.event_time()), zone)),
                  FormatLocalTime(FromProto(e.record_time()), zone), e.recorded_by(),
                  e.reason()});
  }
  return table.Render(indent);
}

std::string DescribeDeviation(const v1::Deviation& deviation, absl::TimeZone zone) {
  const bool open = deviation.state() == v1::DEVIATION_STATE_OPEN;
  std::string text = absl::StrCat(open ? "!! OPEN DEVIATION #" : "closed deviation #",
                                  deviation.deviation_id(), " ",
                                  ChoiceText(DeviationKindChoices(), deviation.kind()), ": ",
                                  deviation.description(), " (");
  if (deviation.record_id() != 0) absl::StrAppend(&text, "record #", deviation.record_id(), ", ");
  if (deviation.qc_test_id() != 0) absl::StrAppend(&text, "QC test ", deviation.qc_test_id(), ", ");
  if (!deviation.unit_id().empty()) absl::StrAppend(&text, "unit ", deviation.unit_id(), ", ");
  absl::StrAppend(&text, "opened ", FormatLocalTime(FromProto(deviation.open_time()), zone), " by ",
                  deviation.opened_by(), ")");
  return text;
}

std::string PassageLabel(int passage) {
  return passage < 0 ? "-" : absl::StrCat("P", passage);
}

}  // namespace cpc
