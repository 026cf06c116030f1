#include "report/periodic.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "report/pdf.h"

namespace cpctrack::report {
namespace {

namespace v1 = ::cpctrack::v1;
using ::testing::Contains;
using ::testing::ElementsAre;

v1::PeriodicReport SampleReport() {
  v1::PeriodicReport r;
  r.set_plan_number("TP-2026-0042");
  r.set_from_date("2026-01-01");
  r.set_to_date("2026-12-31");
  r.set_batches_made(3);
  r.set_batches_released(2);
  r.set_batches_rejected(1);
  r.set_batches_disposed(1);
  v1::DeviationCount* d = r.add_deviations_by_kind();
  d->set_kind(v1::DEVIATION_KIND_POSITIVE_TEST);
  d->set_count(1);
  v1::PositiveQcResult* p = r.add_positive_results();
  p->set_batch_id("A9999260000026");
  p->set_test_id(9);
  p->set_type(v1::QC_TEST_TYPE_STERILITY);
  p->mutable_read_time()->set_seconds(1776000000);
  p->set_finding("POSITIVE (S. aureus)");
  r.set_patients_treated(2);
  r.set_infusions_given(4);
  v1::AdverseEvent* e = r.add_adverse_events();
  e->set_batch_id("A9999260000018");
  e->set_patient_id("TKY-0042");
  e->set_unit_id("A9999260000018-02");
  e->set_description("<b>fever</b>, \"mild\"");
  return r;
}

TEST(PeriodicCsvRows, CountsThenEachPositiveAndAdverseEvent) {
  const auto rows = PeriodicCsvRows(SampleReport());
  for (const auto& row : rows) ASSERT_EQ(row.size(), PeriodicCsvHeader().size());
  EXPECT_THAT(rows, Contains(ElementsAre("batches", "made", "3", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("batches", "released", "2", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("deviations", "positive test", "1", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("patients", "treated", "2", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("infusions", "given", "4", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("adverse events", "recorded", "1", "", "", "", "")));
  EXPECT_THAT(rows, Contains(ElementsAre("positive qc result", "sterility test 9", "",
                                         "A9999260000026", "", "2026-04-12T13:20:00Z",
                                         "POSITIVE (S. aureus)")));
  // User text is a field as typed; the CSV writer quotes it.
  EXPECT_EQ(rows.back()[6], "<b>fever</b>, \"mild\"");
}

TEST(PeriodicReportDocument, HasEverySectionAndPrints) {
  PeriodicInput in{.report = SampleReport(), .printed_by = "auditor.ito",
                   .zone = absl::UTCTimeZone()};
  in.audit_head.set_entry_count(7);
  in.audit_head.set_hash(std::string(64, 'c'));
  const Document doc = PeriodicReportDocument(in);
  for (const char* title : {"Batches", "Deviations by kind", "Positive QC results",
                            "Patients and infusions", "Adverse events"}) {
    EXPECT_NE(FindSection(doc, title), nullptr) << title;
  }
  EXPECT_THAT(AllText(doc), Contains("<b>fever</b>, \"mild\""));
  EXPECT_THAT(doc.footer, Contains("Audit chain head at printing: 7:" + std::string(64, 'c')));
  absl::StatusOr<std::string> pdf = RenderPdf(doc);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_TRUE(absl::StartsWith(*pdf, "%PDF-"));
}

}  // namespace
}  // namespace cpctrack::report
