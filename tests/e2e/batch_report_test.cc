// End to end: a batch taken to release and one infusion through the real
// cpcd, then the real `cpc` prints the batch record, the certificate of
// analysis and the periodic report; pdftotext (poppler-utils) reads the PDFs
// back as a reader of the file would.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cpctrack/v1/deviations.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "gmock/gmock.h"
#include "tests/e2e/api_fixture.h"
#include "tests/e2e/release_results.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kNote[] = "operator wrote <b>urgent</b> & <script>alert(1)</script>";
constexpr char kPlan[] = "TP-2026-0042";

class BatchReportTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    qc_ = v1::QcService::NewStub(channel_);
    units_ = v1::UnitService::NewStub(channel_);
    readiness_ = v1::ReadinessService::NewStub(channel_);
    treatment_ = v1::TreatmentService::NewStub(channel_);
    deviations_ = v1::DeviationService::NewStub(channel_);
    RegisterBasics();
    // Results read within the hour: the product's sterility and mycoplasma
    // are validated rapid methods (a 14-day culture would refuse them).
    UseRapidCultureMethods();
    DefineBox();
  }
  void TearDown() override {
    qc_.reset();
    units_.reset();
    readiness_.reset();
    treatment_.reset();
    deviations_.reset();
    ApiTest::TearDown();
  }

  CliResult Cpc(const std::string& user, const std::vector<std::string>& args) {
    return RunCpc(server_->address(), user, args, dir_->path() + "/cpc");
  }

  // The PDF's text as pdftotext gives it (reading order, not layout), with
  // every run of white space as one space: a table cell wraps its lines.
  std::string PdfText(const std::string& pdf) {
    const std::string txt = pdf + ".txt";
    EXPECT_EQ(std::system(absl::StrCat("pdftotext '", pdf, "' '", txt, "'").c_str()), 0);
    std::ifstream in(txt);
    std::stringstream raw;
    raw << in.rdbuf();
    std::string text;
    for (char c : raw.str()) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
      if (!space) {
        text += c;
      } else if (!text.empty() && text.back() != ' ') {
        text += ' ';
      }
    }
    return text;
  }

  std::vector<v1::QcTest> DrawAndPassReleaseTests(const std::string& id) {
    v1::DrawSampleRequest draw;
    draw.set_request_id(NewRequestId());
    draw.set_batch_id(id);
    draw.set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
    *draw.mutable_drawn_time() = Ts(now_ - absl::Hours(1));
    const std::vector<std::pair<v1::QcTestType, std::string>> orders = {
        {v1::QC_TEST_TYPE_STERILITY, "BacT/ALERT"}, {v1::QC_TEST_TYPE_MYCOPLASMA, "NAT-PCR"},
        {v1::QC_TEST_TYPE_ENDOTOXIN, "LAL-kinetic"},      {v1::QC_TEST_TYPE_GRAM_STAIN, "Gram"},
        {v1::QC_TEST_TYPE_FLOW_CYTOMETRY, "8-colour"}, {v1::QC_TEST_TYPE_VIABILITY, "AO/PI"}};
    for (const auto& [type, method] : orders) {
      v1::TestOrder* order = draw.add_tests();
      order->set_type(type);
      order->set_method(method);
    }
    v1::DrawSampleResponse drawn;
    EXPECT_TRUE(qc_->DrawSample(Context().get(), draw, &drawn).ok());
    for (const v1::QcTest& t : drawn.tests()) {
      v1::RecordResultRequest result;
      result.set_request_id(NewRequestId());
      result.set_test_id(t.test_id());
      v1::QcResult* r = result.mutable_result();
      *r->mutable_read_time() = Ts(absl::Now() - absl::Minutes(5));
      SetPassingResult(t.type(), r);
      v1::QcWriteResponse written;
      EXPECT_TRUE(qc_->RecordResult(Context().get(), result, &written).ok());
      v1::ReviewResultRequest review;
      review.set_request_id(NewRequestId());
      review.set_test_id(t.test_id());
      review.mutable_signature()->set_password(TestPassword("qa.tanaka"));
      EXPECT_TRUE(qc_->ReviewResult(Context("qa.tanaka").get(), review, &written).ok());
    }
    return {drawn.tests().begin(), drawn.tests().end()};
  }

  // Tissue to release: a corrected seeding, a deviation with a note that
  // looks like markup (closed: continue), every release test passed, three
  // vials, QA's signature, then vial 01 infused with an adverse event.
  std::string ReleasedAndInfusedBatch() {
    const std::string id = CreateBatch();
    Receive(id, 100);
    const v1::RecordResponse seeded = Seed(id, now_ - absl::Hours(98), 2'000'000);
    v1::CorrectRecordRequest correct;
    correct.set_request_id(NewRequestId());
    correct.set_batch_id(id);
    correct.set_record_id(seeded.record().record_id());
    correct.set_reason("count transcribed wrong");
    *correct.mutable_seeding() = SeedingAt(now_ - absl::Hours(98), 2'200'000);
    v1::RecordResponse corrected;
    EXPECT_TRUE(batches_->CorrectRecord(Context("tech.kato").get(), correct, &corrected).ok());
    for (auto [hours, viable, reseed] : {std::tuple{50, 16'000'000, 4'000'000},
                                         std::tuple{2, 200'000'000, 10'000'000}}) {
      v1::RecordPassageRequest passage;
      passage.set_request_id(NewRequestId());
      passage.set_batch_id(id);
      *passage.mutable_passage() = PassageAt(now_ - absl::Hours(hours), viable, reseed);
      ExplainIfLate(passage, now_ - absl::Hours(hours));
      v1::RecordResponse response;
      EXPECT_TRUE(batches_->RecordPassage(Context().get(), passage, &response).ok());
    }
    v1::OpenDeviationRequest open;
    open.set_request_id(NewRequestId());
    open.set_batch_id(id);
    open.set_kind(v1::DEVIATION_KIND_EXCURSION);
    open.set_description("incubator INC-01 at 38.1 °C for 20 min");
    v1::Deviation deviation;
    EXPECT_TRUE(deviations_->OpenDeviation(Context().get(), open, &deviation).ok());
    v1::AddDeviationNoteRequest note;
    note.set_request_id(NewRequestId());
    note.set_deviation_id(deviation.deviation_id());
    note.set_text(kNote);
    EXPECT_TRUE(deviations_->AddDeviationNote(Context().get(), note, &deviation).ok());
    v1::CloseDeviationRequest close;
    close.set_request_id(NewRequestId());
    close.set_deviation_id(deviation.deviation_id());
    close.set_disposition(v1::DISPOSITION_CONTINUE);
    close.set_reason("within the validated range");
    close.mutable_signature()->set_password(TestPassword("qa.tanaka"));
    v1::CloseDeviationResponse closed;
    const grpc::Status closing = deviations_->CloseDeviation(Context("qa.tanaka").get(), close, &closed);
    EXPECT_TRUE(closing.ok()) << closing.error_message();

    v1::CreatePlanRequest plan;
    plan.set_request_id(NewRequestId());
    plan.mutable_plan()->set_batch_id(id);
    plan.mutable_plan()->set_plan_number(kPlan);
    plan.mutable_plan()->set_fixed_cells(30'000'000);
    plan.mutable_plan()->add_infusions()->set_planned_date(
        absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())));
    EXPECT_TRUE(treatment_->CreatePlan(Context("sched.mori").get(), plan, &plan_).ok());

    tests_ = DrawAndPassReleaseTests(id);
    const v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, 3);
    v1::FreezeUnitsResponse frozen;
    EXPECT_TRUE(units_->FreezeUnits(Context().get(), freeze, &frozen).ok());

    v1::ReleaseBatchRequest release;
    release.set_request_id(NewRequestId());
    release.set_batch_id(id);
    release.set_confirm_batch_id(id);
    release.mutable_signature()->set_password(TestPassword("qa.tanaka"));
    const grpc::Status released =
        readiness_->ReleaseBatch(Context("qa.tanaka").get(), release, &released_);
    EXPECT_TRUE(released.ok()) << released.error_message();

    v1::ThawUnitRequest thaw;
    thaw.set_request_id(NewRequestId());
    thaw.set_unit_id(id + "-01");
    *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(30));
    thaw.mutable_thaw()->set_total_cells(48'000'000);
    thaw.mutable_thaw()->set_viable_cells(43'200'000);
    v1::ThawUnitResponse thawed;
    EXPECT_TRUE(units_->ThawUnit(Context().get(), thaw, &thawed).ok());
    v1::RecordInfusionRequest infuse;
    infuse.set_request_id(NewRequestId());
    infuse.set_planned_infusion_id(plan_.infusions(0).planned_infusion_id());
    infuse.set_scanned_unit_id(id + "-01");
    infuse.set_scanned_patient_id("P-001");
    *infuse.mutable_start_time() = Ts(absl::Now() - absl::Minutes(10));
    *infuse.mutable_end_time() = Ts(absl::Now() - absl::Minutes(2));
    infuse.set_adverse_events("mild fever 37.9 °C, resolved");
    // The second person at the bedside.
    infuse.set_verifier("nurse.ito");
    infuse.mutable_verifier_signature()->set_password(TestPassword("nurse.ito"));
    v1::RecordInfusionResponse infused;
    const grpc::Status given = treatment_->RecordInfusion(Context("nurse.abe").get(), infuse, &infused);
    EXPECT_TRUE(given.ok()) << given.error_message();
    return id;
  }

  std::unique_ptr<v1::QcService::Stub> qc_;
  std::unique_ptr<v1::UnitService::Stub> units_;
  std::unique_ptr<v1::ReadinessService::Stub> readiness_;
  std::unique_ptr<v1::TreatmentService::Stub> treatment_;
  std::unique_ptr<v1::DeviationService::Stub> deviations_;
  v1::TreatmentPlan plan_;
  std::vector<v1::QcTest> tests_;
  v1::ReleaseBatchResponse released_;
};

TEST_F(BatchReportTest, BatchRecordAndCertificateReadBackFromThePdf) {
  const std::string id = ReleasedAndInfusedBatch();
  ASSERT_EQ(released_.release().record_hash().size(), 64u);
  const std::string spaced = absl::StrCat(id.substr(0, 5), " ", id.substr(5, 2), " ",
                                          id.substr(7, 6), " ", id.substr(13));

  const std::string record = dir_->path() + "/record.pdf";
  const CliResult printed = Cpc("auditor.ito", {"batch", "report", id, "--pdf", record});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_THAT(printed.out, HasSubstr(record));
  const std::string text = PdfText(record);
  EXPECT_THAT(text, HasSubstr("Batch Record"));
  EXPECT_THAT(text, HasSubstr(spaced));
  EXPECT_THAT(text, HasSubstr(id));
  EXPECT_THAT(text, HasSubstr("P-001"));
  EXPECT_THAT(text, HasSubstr(kPlan));
  // Every QC result, its method and its reviewer.
  for (const char* result : {"NEGATIVE", "0.1 EU/mL", "no organisms seen", "CD73 99%",
                             "CD90 98.5%", "CD45 0.5%", "HLA-DR 0.8%", "94%"}) {
    EXPECT_THAT(text, HasSubstr(result));
  }
  for (const char* method : {"BacT/ALERT", "NAT-PCR", "LAL-kinetic", "AO/PI"}) {
    EXPECT_THAT(text, HasSubstr(method));
  }
  EXPECT_THAT(text, HasSubstr("qa.tanaka"));
  // The correction, old -> new, with its reason.
  EXPECT_THAT(text, HasSubstr("2e6 → 2.2e6"));
  EXPECT_THAT(text, HasSubstr("count transcribed wrong"));
  // The note is printed as typed: markup is text.
  EXPECT_THAT(text, HasSubstr("<b>urgent</b>"));
  EXPECT_THAT(text, HasSubstr("<script>alert(1)</script>"));
  EXPECT_THAT(text, HasSubstr("within the validated range"));
  // Lots, equipment, units, the release signature and the footer.
  EXPECT_THAT(text, HasSubstr("alpha-MEM"));
  EXPECT_THAT(text, HasSubstr("INC-01"));
  EXPECT_THAT(text, HasSubstr(id + "-01"));
  EXPECT_THAT(text, HasSubstr("Tanaka Yui (qa.tanaka)"));
  EXPECT_THAT(text, HasSubstr("released for infusion"));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("Release record hash: ", released_.release().record_hash())));
  EXPECT_THAT(text, HasSubstr("Audit chain head at printing: "));
  EXPECT_THAT(text, HasSubstr("Page 1 of "));

  const std::string coa = dir_->path() + "/coa.pdf";
  const CliResult certified = Cpc("qa.mori", {"batch", "report", id, "--coa", "--pdf", coa});
  ASSERT_EQ(certified.exit_code, 0) << certified.err;
  const std::string coa_text = PdfText(coa);
  EXPECT_THAT(coa_text, HasSubstr("Certificate of Analysis"));
  EXPECT_THAT(coa_text, HasSubstr("FOR AUTOLOGOUS USE ONLY"));
  EXPECT_THAT(coa_text, HasSubstr(spaced));
  EXPECT_THAT(coa_text, HasSubstr("P-001"));
  for (const char* item : {"BacT/ALERT", "NAT-PCR", "LAL-kinetic", "0.1 EU/mL",
                           "no organisms seen", "94%", "Tanaka Yui (qa.tanaka)"}) {
    EXPECT_THAT(coa_text, HasSubstr(item));
  }
  EXPECT_THAT(coa_text, HasSubstr("Page 1 of 1"));
  EXPECT_THAT(coa_text,
              HasSubstr(absl::StrCat("Release record hash: ", released_.release().record_hash())));
}

TEST_F(BatchReportTest, PeriodicReportCountsThePlansYear) {
  const std::string id = ReleasedAndInfusedBatch();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const std::string from = absl::FormatCivilTime(today - 7);
  const std::string to = absl::FormatCivilTime(today + 1);

  const CliResult csv = Cpc("auditor.ito", {"report", "periodic", "--plan", kPlan, "--from", from,
                                            "--to", to, "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("category,item,value,batch_id,patient_id,time,detail\r\n"));
  for (const char* row : {"batches,made,1,", "batches,released,1,", "batches,rejected,0,",
                          "batches,disposed,0,", "deviations,excursion,1,",
                          "qc,positive results,0,", "patients,treated,1,", "infusions,given,1,",
                          "adverse events,recorded,1,"}) {
    EXPECT_THAT(csv.out, HasSubstr(row));
  }
  // The adverse event's text has a comma: quoted, per RFC 4180.
  EXPECT_THAT(csv.out, HasSubstr(absl::StrCat("adverse event,", id, "-01,,", id, ",P-001,")));
  EXPECT_THAT(csv.out, HasSubstr("\"mild fever 37.9 °C, resolved\"\r\n"));

  // Another plan number, or a period before the batch, counts nothing.
  const CliResult other = Cpc("auditor.ito", {"report", "periodic", "--plan", "TP-OTHER", "--from",
                                              from, "--to", to, "--csv"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_THAT(other.out, HasSubstr("batches,made,0,"));
  EXPECT_THAT(other.out, Not(HasSubstr(id)));

  const std::string pdf = dir_->path() + "/periodic.pdf";
  const CliResult printed = Cpc("qa.mori", {"report", "periodic", "--plan", kPlan, "--from", from,
                                            "--to", to, "--pdf", pdf});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  const std::string text = PdfText(pdf);
  EXPECT_THAT(text, HasSubstr("Periodic Report"));
  EXPECT_THAT(text, HasSubstr(kPlan));
  EXPECT_THAT(text, HasSubstr("mild fever 37.9 °C, resolved"));
  EXPECT_THAT(text, HasSubstr("excursion"));
  EXPECT_THAT(text, HasSubstr("Page 1 of "));

  // The report is for QA, auditors and administrators, not the front desk.
  const CliResult denied = Cpc("sched.abe", {"report", "periodic", "--plan", kPlan, "--from",
                                             from, "--to", to, "--csv"});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("reports.read"));
  const CliResult backwards = Cpc("auditor.ito", {"report", "periodic", "--plan", kPlan, "--from",
                                                  to, "--to", from, "--csv"});
  EXPECT_NE(backwards.exit_code, 0);
  EXPECT_THAT(backwards.err, HasSubstr("to_date"));
}

}  // namespace
}  // namespace cpctrack::testing
