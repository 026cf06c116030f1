// `cpc audit sterility`: the range it asks for, paging, and the CSV and JSON
// an auditor's tools read.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/export_format.h"
#include "tests/client/fake_services.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// 2026-11-20 00:00 UTC and later.
constexpr char kFirstPage[] = R"pb(
  tests {
    test_id: 7 patient_id: "TKY-0042" type: QC_TEST_TYPE_STERILITY
    method: "Ph. Eur. 2.6.27, 14-day" state: QC_TEST_STATE_REVIEWED
    start_time { seconds: 1795132800 }
    sample { sample_id: 3 batch_id: "A9999260000018" sample_point: SAMPLE_POINT_FINAL_HARVEST
             point_detail: "P3" }
    results { result_id: 1 read_time { seconds: 1796342400 } performed_by: "ana"
              detection { detection: DETECTION_POSITIVE organism: "S. \"aureus\"" } }
    results { result_id: 2 read_time { seconds: 1796346000 } performed_by: "ben"
              corrects_result_id: 1 correction_reason: "wrong plate,\nreread"
              detection { detection: DETECTION_NEGATIVE } }
    reviews { result_id: 2 reviewed_by: "qa.kim" }
  }
  next_page_token: "page 2"
)pb";
constexpr char kSecondPage[] = R"pb(
  tests {
    test_id: 8 patient_id: "TKY-0042" type: QC_TEST_TYPE_MYCOPLASMA method: "PCR"
    state: QC_TEST_STATE_INVALIDATED retest_of: 0 start_time { seconds: 1795136400 }
    sample { sample_id: 3 batch_id: "A9999260000018" sample_point: SAMPLE_POINT_FINAL_HARVEST }
    invalidation { reason: "kit control failed" invalidated_by: "ana" }
  }
)pb";

class SterilityExportTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override {
    StartServer({&qc_});
    qc_.ListTests_.queued = {Parse<v1::ListTestsResponse>(kFirstPage),
                             Parse<v1::ListTestsResponse>(kSecondPage)};
  }

  FakeQcService qc_;
};

TEST_F(SterilityExportTest, AsksForWholeLocalDaysOfSterilityAndMycoplasmaPageByPage) {
  ASSERT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-30", "--batch",
                 "A9999 26 000001 8", "--csv", "--page-size", "1"}),
            0)
      << err_.str();
  ASSERT_EQ(qc_.ListTests_.requests.size(), 2u);
  const v1::ListTestsRequest& first = qc_.ListTests_.requests[0];
  ASSERT_EQ(first.types_size(), 2);
  EXPECT_EQ(first.types(0), v1::QC_TEST_TYPE_STERILITY);
  EXPECT_EQ(first.types(1), v1::QC_TEST_TYPE_MYCOPLASMA);
  EXPECT_EQ(first.batch_id(), "A9999260000018");
  EXPECT_EQ(first.page_size(), 1);
  EXPECT_EQ(first.start_from().seconds(), 1793491200);    // 2026-11-01 00:00 UTC
  EXPECT_EQ(first.start_before().seconds(), 1796083200);  // 2026-12-01 00:00 UTC
  EXPECT_EQ(first.page_token(), "");
  EXPECT_EQ(qc_.ListTests_.requests[1].page_token(), "page 2");
  EXPECT_EQ(qc_.ListTests_.requests[1].start_from().seconds(), 1793491200);
}

TEST_F(SterilityExportTest, CsvQuotesWhatNeedsQuotingAndKeepsTheFirstResult) {
  ASSERT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-30", "--csv"}), 0)
      << err_.str();
  EXPECT_EQ(out_.str(),
            "test_id,batch_id,patient_id,sample_id,sample_point,point_detail,test_type,method,"
            "start_time,read_time,result,state,performed_by,reviewed_by,retest_of,"
            "invalidation_reason,first_result,correction_reason,interim_readings\r\n"
            "7,A9999260000018,TKY-0042,3,FINAL_HARVEST,P3,STERILITY,\"Ph. Eur. 2.6.27, 14-day\","
            "2026-11-20T00:00:00Z,2026-12-04T01:00:00Z,NEGATIVE,REVIEWED,ben,qa.kim,0,,"
            "\"POSITIVE (S. \"\"aureus\"\")\",\"wrong plate,\nreread\",\r\n"
            "8,A9999260000018,TKY-0042,3,FINAL_HARVEST,,MYCOPLASMA,PCR,2026-11-20T01:00:00Z,,,"
            "INVALIDATED,,,0,kit control failed,,,\r\n");
}

TEST_F(SterilityExportTest, JsonIsOneArrayOfFlatObjects) {
  ASSERT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-30", "--json"}),
            0)
      << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "[\n{\"test_id\": 7, \"batch_id\": \"A9999260000018\", "))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "\"first_result\": \"POSITIVE (S. \\\"aureus\\\")\", "
                                     "\"correction_reason\": \"wrong plate,\\nreread\", "
                                     "\"interim_readings\": \"\"},\n{"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "\"state\": \"INVALIDATED\"")) << out;
  EXPECT_TRUE(absl::EndsWith(out, "\"correction_reason\": \"\", \"interim_readings\": \"\"}\n]\n"))
      << out;
}

TEST_F(SterilityExportTest, TableShowsLocalTimesAndNotes) {
  ASSERT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-30"}), 0)
      << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StrContains(out, "2026-11-20 00:00")) << out;
  // A line break in free text stays on its line in a table, shown escaped.
  EXPECT_TRUE(absl::StrContains(out, "first result POSITIVE (S. \"aureus\"), corrected: wrong "
                                     "plate,\\nreread"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "invalidated: kit control failed")) << out;
  EXPECT_TRUE(absl::EndsWith(out, "2 tests (times UTC)\n")) << out;
}

TEST_F(SterilityExportTest, UsageAndServerErrors) {
  EXPECT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-30", "--to", "2026-11-01"}), 2);
  EXPECT_EQ(err_.str(), "cpc: audit sterility: --to: 2026-11-01 is before --from 2026-11-30\n");
  EXPECT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-31", "--to", "2026-12-01"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--from: \"2026-11-31\" is not a date")) << err_.str();
  EXPECT_EQ(Cpc({"audit", "sterility", "--to", "2026-12-01"}), 2);
  EXPECT_EQ(err_.str(), "cpc: audit sterility: --from is required\n");
  EXPECT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-02", "--csv",
                 "--json"}),
            2);
  EXPECT_TRUE(qc_.ListTests_.requests.empty());
  qc_.ListTests_.status = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "auditors only");
  EXPECT_EQ(Cpc({"audit", "sterility", "--from", "2026-11-01", "--to", "2026-11-02", "--csv"}), 1);
  EXPECT_EQ(err_.str(), "cpc: PERMISSION_DENIED: auditors only\n");
  EXPECT_EQ(out_.str(), "");
}

TEST(CsvRecordTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvRecord({"a", "b c", ""}), "a,b c,\r\n");
  EXPECT_EQ(CsvRecord({"a,b", "say \"hi\"", "two\nlines", "cr\r"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
}

// Spreadsheet formula injection: an organism "typed" as a formula is shown
// as text when the export is opened, never run.
TEST(CsvRecordTest, AFormulaCellIsNeutralised) {
  EXPECT_EQ(CsvRecord({"=HYPERLINK(\"http://x\",\"ok\")", "+1+cmd|' /C calc'!A0", "@SUM(A1)",
                       "-2+3", "\tTAB", "\rCR"}),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"ok\"\")\",'+1+cmd|' /C calc'!A0,'@SUM(A1),"
            "'-2+3,'\tTAB,\"'\rCR\"\r\n");
  // Numbers stay numbers.
  EXPECT_EQ(CsvRecord({"-0.5", "+3e6", "12"}), "-0.5,+3e6,12\r\n");
}

TEST(JsonStringTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonString("a\"b\\c\n\x01 µ"), "\"a\\\"b\\\\c\\n\\u0001 µ\"");
}

}  // namespace
}  // namespace cpc
