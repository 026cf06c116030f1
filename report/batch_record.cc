#include "report/batch_record.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "report/batch_sections.h"
#include "report/record_text.h"
#include "report/text.h"

namespace cpctrack::report {

namespace v1 = ::cpctrack::v1;

namespace {

void AddOnce(std::vector<std::string>& out, const std::string& value) {
  if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) {
    out.push_back(value);
  }
}

std::string By(const std::string& user, const google::protobuf::Timestamp& at,
               absl::TimeZone zone) {
  return absl::StrCat(user, ", ", TimeText(at, zone));
}

std::string StateText(v1::BatchState state) {
  return EnumWords(v1::BatchState_Name(state), "BATCH_STATE_");
}

Section Identity(const BatchRecordInput& in) {
  const v1::Batch& b = in.batch;
  Fields f;
  f.rows = {{"Batch (DIN)", absl::StrCat(SpacedBatchId(b.batch_id()), "  (", b.batch_id(), ")")},
            {"Patient ID", b.patient_id()},
            {"Product", absl::StrCat(b.product_code(), " version ", b.product_version(),
                                     b.product().name().empty() ? "" : " — ",
                                     b.product().name())},
            {"State", StateText(b.state())},
            {"Registered", By(b.created_by(), b.create_time(), in.zone)}};
  if (!b.quarantine_reason().empty()) f.rows.push_back({"Quarantined", b.quarantine_reason()});
  if (in.plan.has_value()) {
    const v1::TreatmentPlan& p = *in.plan;
    f.rows.push_back({"Treatment plan", p.plan_number()});
    f.rows.push_back({"Dose per infusion", absl::StrCat(FormatCells(p.cells_per_infusion()),
                                                        " viable cells")});
    std::vector<std::string> dates;
    for (const v1::PlannedInfusion& i : p.infusions()) {
      dates.push_back(absl::StrCat("#", i.sequence(), " ", i.planned_date(),
                                   i.unit_ids().empty() ? "" : " (given: ",
                                   absl::StrJoin(i.unit_ids(), ", "),
                                   i.unit_ids().empty() ? "" : ")"));
    }
    f.rows.push_back({"Planned infusions", absl::StrJoin(dates, "; ")});
  }
  return {kIdentitySection, {f}};
}

Section Specification(const v1::Product& p) {
  Fields f;
  f.rows = {{"Viability at release", absl::StrCat(">= ", FormatNumber(p.min_viability_percent()), "%")},
            {"Viability after thaw",
             absl::StrCat(">= ", FormatNumber(p.min_post_thaw_viability_percent()), "%")},
            {"Endotoxin", absl::StrCat("<= ", FormatNumber(p.max_endotoxin_eu_per_ml()), " EU/mL")},
            {"Viable cells per dose", absl::StrCat(">= ", FormatCells(p.min_viable_cells_per_dose()))},
            {"Maximum passage", absl::StrCat("P", p.max_passage())},
            {"Maximum cumulative PD", FormatNumber(p.max_cumulative_population_doublings())}};
  std::vector<std::string> markers, tests;
  for (const v1::MarkerLimit& m : p.marker_limits()) {
    markers.push_back(absl::StrCat(m.marker(), " ", FormatNumber(m.min_percent()), "–",
                                   FormatNumber(m.max_percent()), "%"));
  }
  for (const v1::RequiredTest& t : p.required_tests()) {
    tests.push_back(absl::StrCat(EnumWords(v1::QcTestType_Name(t.type()), "QC_TEST_TYPE_"), " (",
                                 t.method().empty() ? "" : absl::StrCat(t.method(), ", "),
                                 FormatDuration(t.min_incubation()), ")"));
  }
  f.rows.push_back({"Identity markers", absl::StrJoin(markers, ", ")});
  f.rows.push_back({"Required tests (method, minimum incubation)", absl::StrJoin(tests, ", ")});
  return {kSpecificationSection, {f}};
}

Section Records(const BatchRecordInput& in) {
  Table t{.header = {"#", "Record", "Recorded", "Values", "Status"},
          .widths = {0.5, 1.3, 2.0, 5.0, 2.0}};
  for (const v1::BatchRecord& r : in.batch.records()) {
    std::vector<std::string> values;
    for (const auto& [label, value] : RecordFields(r, in.zone)) {
      values.push_back(absl::StrCat(label, " ", value));
    }
    std::string status = "in effect";
    if (r.corrected_by_record_id() != 0) {
      status = absl::StrCat("superseded by #", r.corrected_by_record_id());
    } else if (r.corrects_record_id() != 0) {
      status = absl::StrCat("in effect; corrects #", r.corrects_record_id());
    }
    if (!r.late_entry_reason().empty()) {
      absl::StrAppend(&status, "\nlate entry: ", r.late_entry_reason());
    }
    t.rows.push_back({absl::StrCat(r.record_id()), RecordKind(r),
                      By(r.recorded_by(), r.record_time(), in.zone),
                      absl::StrJoin(values, "; "), status});
  }
  return {kRecordsSection, {t}};
}

Section Corrections(const BatchRecordInput& in) {
  absl::flat_hash_map<int64_t, const v1::BatchRecord*> by_id;
  for (const v1::BatchRecord& r : in.batch.records()) by_id[r.record_id()] = &r;
  Table t{.header = {"Record", "Changed (old → new)", "Reason", "By"},
          .widths = {1.2, 4.5, 3.0, 2.2},
          .empty_text = "No record was corrected."};
  for (const v1::BatchRecord& r : in.batch.records()) {
    if (r.corrects_record_id() == 0) continue;
    auto old = by_id.find(r.corrects_record_id());
    const std::string changed =
        old == by_id.end() ? "-" : absl::StrJoin(ChangedFields(*old->second, r, in.zone), "\n");
    t.rows.push_back({absl::StrCat("#", r.corrects_record_id(), " → #", r.record_id(), " (",
                                   RecordKind(r), ")"),
                      changed, r.correction_reason(),
                      By(r.recorded_by(), r.record_time(), in.zone)});
  }
  for (const v1::QcTest& test : in.batch.qc_tests()) {
    for (int i = 1; i < test.results_size(); ++i) {
      const v1::QcResult& r = test.results(i);
      t.rows.push_back({absl::StrCat("QC test ", test.test_id(), " result"),
                        absl::StrCat(ResultText(test.results(i - 1)), " → ", ResultText(r)),
                        r.correction_reason(), By(r.performed_by(), r.record_time(), in.zone)});
    }
  }
  return {kCorrectionsSection, {t}};
}

// Every step written down after the product's limit (records, QC, units,
// infusions), with why: records should be contemporaneous.
Section LateEntries(const BatchRecordInput& in) {
  Table t{.header = {"Record", "Happened", "Recorded", "Reason"},
          .widths = {2.2, 2.6, 2.6, 3.5},
          .empty_text = "Every step was recorded within the product's limit."};
  for (const v1::LateEntry& e : in.batch.late_entries()) {
    t.rows.push_back({e.resource(),
                      absl::StrCat(e.field(), " ", TimeText(e.event_time(), in.zone)),
                      By(e.recorded_by(), e.record_time(), in.zone), e.reason()});
  }
  return {kLateEntriesSection, {t}};
}

Section Materials(const BatchRecordInput& in) {
  Table lots{.header = {"Lot", "Material", "Manufacturer", "Expiry"},
             .widths = {2, 3, 3, 2},
             .empty_text = "No lot is named in the records."};
  for (const std::string& number : LotsNamed(in.batch)) {
    auto it = std::find_if(in.lots.begin(), in.lots.end(),
                           [&](const v1::ReagentLot& l) { return l.lot_number() == number; });
    if (it == in.lots.end()) {
      lots.rows.push_back({number, "not in the registry", "-", "-"});
    } else {
      lots.rows.push_back({number, it->name(), it->manufacturer(), it->expiry_date()});
    }
  }
  Table equipment{.header = {"Equipment", "Kind", "Name", "Status now"},
                  .widths = {2, 2.5, 3.5, 2},
                  .empty_text = "No equipment is named in the records."};
  for (const std::string& id : EquipmentNamed(in.batch)) {
    auto it = std::find_if(in.equipment.begin(), in.equipment.end(),
                           [&](const v1::Equipment& e) { return e.equipment_id() == id; });
    if (it == in.equipment.end()) {
      equipment.rows.push_back({id, "-", "not in the registry", "-"});
    } else {
      equipment.rows.push_back(
          {id, EnumWords(v1::EquipmentKind_Name(it->kind()), "EQUIPMENT_KIND_"), it->name(),
           EnumWords(v1::EquipmentStatus_Name(it->status()), "EQUIPMENT_STATUS_")});
    }
  }
  return {kMaterialsSection, {lots, equipment}};
}

Section GrowthSection(const v1::Growth& g, absl::TimeZone zone) {
  Table t{.header = {"Passage", "Seeded", "Harvested", "Cells seeded", "Viable harvested", "PD",
                     "Doubling time"},
          .empty_text = "No passage yet."};
  for (const v1::PassageGrowth& p : g.passages()) {
    t.rows.push_back(
        {absl::StrCat("P", p.passage_number()), TimeText(p.seeding_time(), zone),
         TimeText(p.harvest_time(), zone), FormatCells(p.cells_seeded()),
         FormatCells(p.viable_cells_harvested()), FormatNumber(p.population_doublings()),
         p.has_doubling_time()
             ? absl::StrCat(FormatNumber(p.doubling_time().seconds() / 3600.0), " h")
             : "-"});
  }
  Fields summary{{{"Cumulative PD", FormatNumber(g.cumulative_population_doublings())},
                  {"Viable cells at the latest count", FormatCells(g.current_viable_cells())}}};
  return {kGrowthSection, {summary, t, ChartBlock{GrowthChart(g)}}};
}

}  // namespace

Document BatchRecordDocument(const BatchRecordInput& in) {
  Document doc{.title = "Batch Record",
               .subtitle = absl::StrCat(SpacedBatchId(in.batch.batch_id()), "  ·  patient ",
                                        in.batch.patient_id(), "  ·  ", in.batch.product_code(),
                                        " v", in.batch.product_version(),
                                        in.readiness.non_conforming().empty()
                                            ? ""
                                            : "  ·  NON-CONFORMING")};
  doc.sections = {Identity(in),        Specification(in.batch.product()),
                  Records(in),         Corrections(in),
                  LateEntries(in),     Materials(in),       GrowthSection(in.batch.growth(), in.zone),
                  QcSection(in),       CriteriaSection(in),
                  DeviationsSection(in), UnitsSection(in),
                  ReleaseSection(in)};
  doc.footer = Footer(in);
  return doc;
}

std::vector<std::string> LotsNamed(const v1::Batch& batch) {
  std::vector<std::string> out;
  for (const v1::BatchRecord& r : batch.records()) {
    if (r.has_seeding()) {
      AddOnce(out, r.seeding().medium_lot());
      for (const std::string& l : r.seeding().reagent_lots()) AddOnce(out, l);
    } else if (r.has_medium_change()) {
      AddOnce(out, r.medium_change().medium_lot());
      for (const std::string& l : r.medium_change().reagent_lots()) AddOnce(out, l);
    } else if (r.has_passage()) {
      AddOnce(out, r.passage().medium_lot());
      for (const std::string& l : r.passage().reagent_lots()) AddOnce(out, l);
    }
  }
  for (const v1::QcTest& t : batch.qc_tests()) {
    for (const v1::QcResult& r : t.results()) AddOnce(out, r.kit_lot());
  }
  for (const v1::Unit& u : batch.units()) AddOnce(out, u.medium_lot());
  return out;
}

std::vector<std::string> EquipmentNamed(const v1::Batch& batch) {
  std::vector<std::string> out;
  for (const v1::BatchRecord& r : batch.records()) {
    if (r.has_seeding()) {
      AddOnce(out, r.seeding().incubator_id());
      AddOnce(out, r.seeding().cabinet_id());
    } else if (r.has_passage()) {
      AddOnce(out, r.passage().incubator_id());
      AddOnce(out, r.passage().counter_id());
    }
  }
  for (const v1::QcTest& t : batch.qc_tests()) {
    for (const v1::QcResult& r : t.results()) AddOnce(out, r.instrument_id());
  }
  for (const v1::Unit& u : batch.units()) AddOnce(out, u.freezer_id());
  return out;
}

}  // namespace cpctrack::report
