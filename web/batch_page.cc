#include "web/batch_page.h"

#include <initializer_list>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/qc_format.h"
#include "client/readiness_format.h"
#include "client/record_format.h"
#include "client/time_format.h"
#include "client/unit_format.h"
#include "web/growth_chart.h"
#include "web/html.h"

namespace cpcweb {
namespace {

namespace v1 = ::cpctrack::v1;

// A cell's text, escaped; "-" when there is none.
std::string CellText(absl::string_view text) { return text.empty() ? "-" : Escape(text); }

std::string Td(absl::string_view text) { return absl::StrCat("<td>", CellText(text), "</td>"); }

std::string HeaderRow(Lang lang, std::initializer_list<const char*> keys) {
  std::string out = "<tr>";
  for (const char* key : keys) absl::StrAppend(&out, "<th>", Escape(Msg(lang, key)), "</th>");
  return absl::StrCat(out, "</tr>\n");
}

std::string Section(Lang lang, const char* id, const char* key) {
  return absl::StrCat("<h2 id=\"", id, "\">", Escape(Msg(lang, key)), "</h2>\n");
}

std::string Time(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  return cpc::FormatLocalTime(cpc::FromProto(time), zone);
}

std::string Identity(const v1::Batch& batch, const BatchView& view) {
  const Lang lang = view.lang;
  std::string out = Section(lang, "identity", "batch.identity");
  if (!batch.non_conforming().empty()) {
    absl::StrAppend(&out, "<p class=\"alarm non-conforming\">", Escape(batch.non_conforming()),
                    "</p>\n");
  }
  if (!batch.quarantine_reason().empty() || batch.state() == v1::BATCH_STATE_QUARANTINED) {
    absl::StrAppend(&out, "<p class=\"alarm\">", Escape(Msg(lang, "batch.quarantine")), ": ",
                    Escape(batch.quarantine_reason()), "</p>\n");
  }
  auto row = [&](const char* key, const std::string& value) {
    return absl::StrCat("<tr><th>", Escape(Msg(lang, key)), "</th>", Td(value), "</tr>\n");
  };
  absl::StrAppend(
      &out, "<table id=\"identity-table\">\n",
      row("board.batch", cpc::SpacedBatchId(batch.batch_id())),
      row("batch.patient", batch.patient_id()),
      row("batch.product", absl::StrCat(batch.product_code(), " v", batch.product_version())),
      row("batch.state", cpc::ChoiceText(cpc::BatchStateChoices(), batch.state())),
      row("batch.passage", cpc::PassageLabel(batch.current_passage())),
      row("batch.created", absl::StrCat(Time(batch.create_time(), view.zone), " — ",
                                        batch.created_by())),
      "</table>\n");
  return out;
}

std::string CriterionClass(v1::CriterionStatus status) {
  switch (status) {
    case v1::CRITERION_STATUS_MET: return "met";
    case v1::CRITERION_STATUS_NOT_MET: return "not-met";
    case v1::CRITERION_STATUS_NON_CONFORMING: return "non-conforming";
    default: return "pending";
  }
}

std::string ReadinessSection(const v1::Readiness& readiness, const BatchView& view) {
  const Lang lang = view.lang;
  std::string out = absl::StrCat(
      Section(lang, "readiness", "batch.readiness"), "<p><span class=\"status ",
      readiness.ready() ? "ready" : "not-ready", "\">",
      Escape(Msg(lang, readiness.ready() ? "status.ready" : "status.not_ready")), "</span></p>\n",
      // Released (or releasable) only as non-conforming: said first, naming
      // the deviations.
      readiness.non_conforming().empty()
          ? ""
          : absl::StrCat("<p class=\"alarm non-conforming\">",
                         Escape(readiness.non_conforming()), "</p>\n"),
      "<table id=\"criteria\">\n",
      HeaderRow(lang, {"batch.criterion", "board.status", "batch.value", "batch.limit"}));
  for (const v1::Criterion& criterion : readiness.criteria()) {
    const std::string css = CriterionClass(criterion.status());
    const char* key = css == "met"              ? "criterion.met"
                      : css == "not-met"        ? "criterion.not_met"
                      : css == "non-conforming" ? "criterion.non_conforming"
                                                : "criterion.pending";
    absl::StrAppend(&out, "<tr>", Td(criterion.name()), "<td class=\"", css, "\">",
                    Escape(Msg(lang, key)), "</td>", Td(criterion.value()), Td(criterion.limit()),
                    "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<ul>\n");
  if (readiness.has_projection()) {
    const v1::Projection& projection = readiness.projection();
    absl::StrAppend(&out, "<li>", Escape(Msg(lang, "batch.projection")), ": ",
                    projection.has_ready_time() ? Escape(Time(projection.ready_time(), view.zone))
                                                : "-",
                    " (", Escape(projection.basis()), ")</li>\n");
  }
  if (readiness.has_results_due()) {
    absl::StrAppend(&out, "<li>", Escape(Msg(lang, "batch.results_due")), ": ",
                    Escape(Time(readiness.results_due(), view.zone)), "</li>\n");
  }
  absl::StrAppend(&out, "<li>", Escape(Msg(lang, "batch.release")), ": ",
                  readiness.has_release()
                      ? Escape(cpc::ReleaseLine(readiness.release(), view.zone))
                      : Escape(Msg(lang, "batch.awaiting_release")),
                  "</li>\n</ul>\n");
  return out;
}

std::string Timeline(const v1::Batch& batch, const BatchView& view) {
  const Lang lang = view.lang;
  absl::flat_hash_map<int64_t, const v1::BatchRecord*> by_id;
  for (const v1::BatchRecord& record : batch.records()) by_id[record.record_id()] = &record;
  std::string out = absl::StrCat(
      Section(lang, "timeline", "batch.timeline"), "<table id=\"timeline-table\">\n",
      HeaderRow(lang, {"trail.seq", "batch.time", "batch.kind", "batch.details", "batch.by"}));
  for (const v1::BatchRecord& record : batch.records()) {
    const std::string described = cpc::DescribeRecordData(record, view.zone);
    std::string details = Escape(described);
    if (record.corrects_record_id() != 0) {
      auto old = by_id.find(record.corrects_record_id());
      const std::string before =
          old == by_id.end() ? "?" : cpc::DescribeRecordData(*old->second, view.zone);
      details = absl::StrCat(
          "<span class=\"correction\">", Escape(before), " → ", Escape(described), "</span><br>",
          Escape(Fill(Msg(lang, "batch.corrects"), {absl::StrCat(record.corrects_record_id()),
                                                    record.correction_reason()})));
    }
    if (!record.late_entry_reason().empty()) {
      absl::StrAppend(
          &details, "<br><span class=\"late-entry\">",
          Escape(Fill(Msg(lang, "batch.late_entry"),
                      {cpc::FormatLocalTime(cpc::FromProto(record.record_time()), view.zone),
                       record.late_entry_reason()})),
          "</span>");
    }
    const bool superseded = record.corrected_by_record_id() != 0;
    if (superseded) {
      absl::StrAppend(&details, "<br>",
                      Escape(Fill(Msg(lang, "batch.superseded"),
                                  {absl::StrCat(record.corrected_by_record_id())})));
    }
    absl::StrAppend(&out, "<tr id=\"record-", record.record_id(), "\"",
                    superseded ? " class=\"superseded\"" : "", "><td>", record.record_id(),
                    "</td>", Td(cpc::FormatLocalTime(cpc::EventTime(record), view.zone)),
                    Td(cpc::RecordKindName(record.data_case())), "<td>", details, "</td>",
                    Td(record.recorded_by()), "</tr>\n");
  }
  return absl::StrCat(out, "</table>\n");
}

// "late entry, recorded ... (reason: ...)" for each of `entries` about
// `record` ("qc/tests/7", "units/X-01") or a part of it; escaped HTML.
std::string LateNotes(const google::protobuf::RepeatedPtrField<v1::LateEntry>& entries,
                      absl::string_view record, const BatchView& view) {
  std::string out;
  for (const v1::LateEntry& e : entries) {
    if (e.resource() != record && !absl::StartsWith(e.resource(), absl::StrCat(record, "/"))) {
      continue;
    }
    absl::StrAppend(&out, "<br><span class=\"late-entry\">",
                    Escape(Fill(Msg(view.lang, "batch.late_entry"),
                                {cpc::FormatLocalTime(cpc::FromProto(e.record_time()), view.zone),
                                 absl::StrCat(e.field(), ": ", e.reason())})),
                    "</span>");
  }
  return out;
}

std::string QcSection(const v1::Batch& batch, const BatchView& view) {
  const Lang lang = view.lang;
  std::string out = Section(lang, "qc", "batch.qc");
  if (batch.qc_tests().empty()) {
    return absl::StrCat(out, "<p>", Escape(Msg(lang, "batch.none")), "</p>\n");
  }
  absl::StrAppend(&out, "<table id=\"qc-table\">\n",
                  HeaderRow(lang, {"trail.seq", "batch.test", "batch.sample", "batch.started",
                                   "batch.state", "batch.result", "batch.performed_by",
                                   "batch.reviewer"}));
  for (const v1::QcTest& test : batch.qc_tests()) {
    const v1::QcResult* result = cpc::CurrentResult(test);
    absl::StrAppend(&out, "<tr><td>", test.test_id(), "</td>", Td(cpc::TestTypeAndMethod(test)),
                    Td(cpc::SamplePointText(test.sample())), Td(Time(test.start_time(), view.zone)),
                    Td(cpc::ChoiceText(cpc::QcTestStateChoices(), test.state())),
                    "<td>", CellText(cpc::CurrentResultText(test)),
                    LateNotes(test.late_entries(), absl::StrCat("qc/tests/", test.test_id()),
                              view),
                    LateNotes(test.late_entries(),
                              absl::StrCat("qc/samples/", test.sample().sample_id()), view),
                    "</td>",
                    Td(result == nullptr ? "" : result->performed_by()), Td(cpc::ReviewerOf(test)),
                    "</tr>\n");
  }
  return absl::StrCat(out, "</table>\n");
}

std::string DeviationSection(const v1::Batch& batch, const BatchView& view) {
  std::string out = Section(view.lang, "deviations", "batch.deviations");
  if (batch.deviations().empty()) {
    return absl::StrCat(out, "<p>", Escape(Msg(view.lang, "batch.none")), "</p>\n");
  }
  absl::StrAppend(&out, "<ul id=\"deviation-list\">\n");
  for (const v1::Deviation& deviation : batch.deviations()) {
    absl::StrAppend(&out, "<li>", Escape(cpc::DescribeDeviation(deviation, view.zone)));
    for (const v1::DeviationNote& note : deviation.notes()) {
      absl::StrAppend(&out, "<br>", Escape(Time(note.add_time(), view.zone)), " ",
                      Escape(note.added_by()), ": ", Escape(note.text()));
    }
    absl::StrAppend(&out, "</li>\n");
  }
  return absl::StrCat(out, "</ul>\n");
}

std::string UnitSection(const v1::Batch& batch, const BatchView& view) {
  const Lang lang = view.lang;
  std::string out = Section(lang, "units", "batch.units");
  if (batch.units().empty()) {
    return absl::StrCat(out, "<p>", Escape(Msg(lang, "batch.none")), "</p>\n");
  }
  absl::StrAppend(&out, "<table id=\"unit-table\">\n",
                  HeaderRow(lang, {"batch.unit", "batch.unit_kind", "batch.cells", "batch.state",
                                   "batch.position", "batch.made", "batch.expires"}));
  for (const v1::Unit& unit : batch.units()) {
    absl::StrAppend(&out, "<tr>", Td(unit.unit_id()), Td(cpc::UnitKindText(unit)),
                    Td(cpc::FormatCount(unit.cells())),
                    "<td>", CellText(cpc::UnitStateText(unit)),
                    LateNotes(batch.late_entries(), absl::StrCat("units/", unit.unit_id()), view),
                    "</td>",
                    Td(unit.position()),
                    Td(cpc::FormatLocalTime(cpc::UnitMadeTime(unit), view.zone)),
                    Td(cpc::UnitExpiryText(unit, view.zone, view.now)), "</tr>\n");
  }
  return absl::StrCat(out, "</table>\n");
}

}  // namespace

std::string BatchBody(const v1::Batch& batch, const v1::Readiness& readiness,
                      const BatchView& view) {
  return absl::StrCat(
      "<p><a id=\"batch-record-pdf\" href=\"", Escape(view.pdf_href), "\">",
      Escape(Msg(view.lang, "batch.pdf")), "</a></p>\n", Identity(batch, view),
      ReadinessSection(readiness, view), Section(view.lang, "growth", "batch.growth"),
      GrowthChartSvg(batch.growth(), view.lang, view.zone), "\n", Timeline(batch, view),
      QcSection(batch, view), DeviationSection(batch, view), UnitSection(batch, view));
}

}  // namespace cpcweb
