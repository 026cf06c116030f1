#include "report/record_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "report/text.h"

namespace cpctrack::report {

namespace v1 = ::cpctrack::v1;

std::string RecordKind(const v1::BatchRecord& record) {
  switch (record.data_case()) {
    case v1::BatchRecord::kTissueReceipt: return "tissue receipt";
    case v1::BatchRecord::kSeeding: return "P0 seeding";
    case v1::BatchRecord::kObservation: return "observation";
    case v1::BatchRecord::kMediumChange: return "medium change";
    case v1::BatchRecord::kPassage: return "passage";
    case v1::BatchRecord::DATA_NOT_SET: break;
  }
  return "record";
}

namespace {

void Add(LabelledValues& out, std::string label, std::string value) {
  if (!value.empty() && value != "0" && value != "-") {
    out.emplace_back(std::move(label), std::move(value));
  }
}

std::string Lots(const google::protobuf::RepeatedPtrField<std::string>& lots) {
  return absl::StrJoin(lots, ", ");
}

}  // namespace

LabelledValues RecordFields(const v1::BatchRecord& record, absl::TimeZone zone) {
  LabelledValues out;
  switch (record.data_case()) {
    case v1::BatchRecord::kTissueReceipt: {
      const v1::TissueReceipt& t = record.tissue_receipt();
      Add(out, "collected", TimeText(t.collection_time(), zone));
      Add(out, "received", TimeText(t.receipt_time(), zone));
      Add(out, "site", t.collection_site());
      Add(out, "volume", absl::StrCat(FormatNumber(t.volume_ml()), " mL"));
      Add(out, "transport", absl::StrCat(FormatNumber(t.transport_temperature_c()), " °C"));
      Add(out, "collected by", t.collected_by());
      break;
    }
    case v1::BatchRecord::kSeeding: {
      const v1::Seeding& s = record.seeding();
      Add(out, "seeded", TimeText(s.seeding_time(), zone));
      Add(out, "cells seeded", FormatCells(s.cells_seeded()));
      if (s.vessel_count() > 0) {
        Add(out, "vessels", absl::StrCat(s.vessel_count(), " x ", s.vessel_type()));
      }
      if (s.surface_area_cm2() > 0) {
        Add(out, "area", absl::StrCat(FormatNumber(s.surface_area_cm2()), " cm²"));
      }
      Add(out, "medium lot", s.medium_lot());
      Add(out, "reagent lots", Lots(s.reagent_lots()));
      Add(out, "incubator", s.incubator_id());
      Add(out, "cabinet", s.cabinet_id());
      break;
    }
    case v1::BatchRecord::kObservation: {
      const v1::Observation& o = record.observation();
      Add(out, "observed", TimeText(o.observation_time(), zone));
      Add(out, "confluence", absl::StrCat(FormatNumber(o.confluence_percent()), "%"));
      Add(out, "morphology", o.morphology());
      break;
    }
    case v1::BatchRecord::kMediumChange: {
      const v1::MediumChange& m = record.medium_change();
      Add(out, "changed", TimeText(m.change_time(), zone));
      Add(out, "medium lot", m.medium_lot());
      Add(out, "reagent lots", Lots(m.reagent_lots()));
      if (m.volume_ml() > 0) Add(out, "volume", absl::StrCat(FormatNumber(m.volume_ml()), " mL"));
      break;
    }
    case v1::BatchRecord::kPassage: {
      const v1::Passage& p = record.passage();
      Add(out, "harvested", TimeText(p.passage_time(), zone));
      Add(out, "now at", absl::StrCat("P", p.passage_number()));
      Add(out, "total cells", FormatCells(p.total_cells()));
      Add(out, "viable cells", FormatCells(p.viable_cells()));
      Add(out, "viability", absl::StrCat(FormatNumber(p.viability_percent()), "%"));
      Add(out, "counting", EnumWords(v1::CountingMethod_Name(p.counting_method()),
                                     "COUNTING_METHOD_"));
      if (p.final_harvest()) {
        Add(out, "final harvest", "culture ended; nothing reseeded");
      } else {
        Add(out, "reseeded", FormatCells(p.cells_reseeded()));
      }
      if (p.vessel_count() > 0) Add(out, "vessels", absl::StrCat(p.vessel_count()));
      if (p.surface_area_cm2() > 0) {
        Add(out, "area", absl::StrCat(FormatNumber(p.surface_area_cm2()), " cm²"));
      }
      Add(out, "medium lot", p.medium_lot());
      Add(out, "reagent lots", Lots(p.reagent_lots()));
      Add(out, "incubator", p.incubator_id());
      if (!p.counter_id().empty()) Add(out, "cell counter", p.counter_id());
      break;
    }
    case v1::BatchRecord::DATA_NOT_SET:
      break;
  }
  return out;
}

std::vector<std::string> ChangedFields(const v1::BatchRecord& old_record,
                                       const v1::BatchRecord& new_record, absl::TimeZone zone) {
  const LabelledValues before = RecordFields(old_record, zone);
  const LabelledValues after = RecordFields(new_record, zone);
  auto find = [](const LabelledValues& values, const std::string& label) -> std::string {
    for (const auto& [l, v] : values) {
      if (l == label) return v;
    }
    return "-";
  };
  std::vector<std::string> out;
  for (const auto& [label, value] : after) {
    const std::string old_value = find(before, label);
    if (old_value != value) out.push_back(absl::StrCat(label, ": ", old_value, " → ", value));
  }
  for (const auto& [label, value] : before) {
    if (find(after, label) == "-") out.push_back(absl::StrCat(label, ": ", value, " → -"));
  }
  return out;
}

}  // namespace cpctrack::report
