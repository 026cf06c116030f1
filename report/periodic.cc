#include "report/periodic.h"

#include "absl/strings/str_cat.h"
#include "report/text.h"

namespace cpctrack::report {

namespace v1 = ::cpctrack::v1;

namespace {

std::string Utc(const google::protobuf::Timestamp& t) {
  if (mapping::IsUnset(t)) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", FromProto(t), absl::UTCTimeZone());
}

std::string KindText(v1::DeviationKind kind) {
  return EnumWords(v1::DeviationKind_Name(kind), "DEVIATION_KIND_");
}

std::string TestText(const v1::PositiveQcResult& p) {
  return absl::StrCat(EnumWords(v1::QcTestType_Name(p.type()), "QC_TEST_TYPE_"), " test ",
                      p.test_id());
}

}  // namespace

Document PeriodicReportDocument(const PeriodicInput& in) {
  const v1::PeriodicReport& r = in.report;
  Document doc{.title = "Periodic Report",
               .subtitle = absl::StrCat("Treatment plan ", r.plan_number(), "  ·  ", r.from_date(),
                                        " to ", r.to_date())};
  doc.sections.push_back(
      {"Batches",
       {Fields{{{"Made (registered)", absl::StrCat(r.batches_made())},
                {"Released", absl::StrCat(r.batches_released())},
                {"Rejected", absl::StrCat(r.batches_rejected())},
                {"Disposed of", absl::StrCat(r.batches_disposed())}}}}});
  Table deviations{.header = {"Kind", "Opened in the period"}, .widths = {3, 1},
                   .empty_text = "No deviation opened in the period."};
  for (const v1::DeviationCount& c : r.deviations_by_kind()) {
    deviations.rows.push_back({KindText(c.kind()), absl::StrCat(c.count())});
  }
  doc.sections.push_back({"Deviations by kind", {deviations}});
  Table positives{.header = {"Batch", "Test", "Read", "Finding"}, .widths = {2, 1.6, 1.8, 3},
                  .empty_text = "No positive QC result in the period."};
  for (const v1::PositiveQcResult& p : r.positive_results()) {
    positives.rows.push_back(
        {p.batch_id(), TestText(p), TimeText(p.read_time(), in.zone), p.finding()});
  }
  doc.sections.push_back(
      {"Positive QC results",
       {Paragraph{absl::StrCat("Total: ", r.positive_results_size())}, positives}});
  doc.sections.push_back(
      {"Patients and infusions",
       {Fields{{{"Patients treated", absl::StrCat(r.patients_treated())},
                {"Infusions given", absl::StrCat(r.infusions_given())},
                {"Adverse events recorded", absl::StrCat(r.adverse_events_size())}}}}});
  Table events{.header = {"Patient", "Unit", "Infusion started", "Adverse event"},
               .widths = {1.5, 2.2, 1.8, 3.5},
               .empty_text = "No adverse event recorded with an infusion in the period."};
  for (const v1::AdverseEvent& e : r.adverse_events()) {
    events.rows.push_back({e.patient_id(), e.unit_id(),
                           TimeText(e.infusion_start_time(), in.zone), e.description()});
  }
  doc.sections.push_back({"Adverse events", {events}});
  doc.footer = {
      absl::StrCat("Counted by cpcd at ", TimeText(r.generate_time(), in.zone),
                   "; adverse events are those recorded with infusions"),
      absl::StrCat("Audit chain head at printing: ", in.audit_head.entry_count(), ":",
                   in.audit_head.hash()),
      absl::StrCat("Printed ", TimeText(in.printed_at, in.zone), " by ", in.printed_by,
                   " from cpcd (cpctrack)")};
  return doc;
}

std::vector<std::string> PeriodicCsvHeader() {
  return {"category", "item", "value", "batch_id", "patient_id", "time", "detail"};
}

std::vector<std::vector<std::string>> PeriodicCsvRows(const v1::PeriodicReport& r) {
  std::vector<std::vector<std::string>> rows = {
      {"report", "plan number", r.plan_number(), "", "", "", ""},
      {"report", "from", r.from_date(), "", "", "", ""},
      {"report", "to", r.to_date(), "", "", "", ""},
      {"batches", "made", absl::StrCat(r.batches_made()), "", "", "", ""},
      {"batches", "released", absl::StrCat(r.batches_released()), "", "", "", ""},
      {"batches", "rejected", absl::StrCat(r.batches_rejected()), "", "", "", ""},
      {"batches", "disposed", absl::StrCat(r.batches_disposed()), "", "", "", ""}};
  for (const v1::DeviationCount& c : r.deviations_by_kind()) {
    rows.push_back({"deviations", KindText(c.kind()), absl::StrCat(c.count()), "", "", "", ""});
  }
  rows.push_back(
      {"qc", "positive results", absl::StrCat(r.positive_results_size()), "", "", "", ""});
  rows.push_back({"patients", "treated", absl::StrCat(r.patients_treated()), "", "", "", ""});
  rows.push_back({"infusions", "given", absl::StrCat(r.infusions_given()), "", "", "", ""});
  rows.push_back(
      {"adverse events", "recorded", absl::StrCat(r.adverse_events_size()), "", "", "", ""});
  for (const v1::PositiveQcResult& p : r.positive_results()) {
    rows.push_back({"positive qc result", TestText(p), "", p.batch_id(), "", Utc(p.read_time()),
                    p.finding()});
  }
  for (const v1::AdverseEvent& e : r.adverse_events()) {
    rows.push_back({"adverse event", e.unit_id(), "", e.batch_id(), e.patient_id(),
                    Utc(e.infusion_start_time()), e.description()});
  }
  return rows;
}

}  // namespace cpctrack::report
