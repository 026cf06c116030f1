// `cpc qc ...` and `cpc deviation ...` against in-process fakes: what goes
// over the wire, and what a technician or QA reads.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/rpc_methods.h"
#include "tests/client/fake_services.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr char kPositiveWrite[] = R"pb(
  test {
    test_id: 7 type: QC_TEST_TYPE_STERILITY method: "USP <71> 14-day" state: QC_TEST_STATE_RESULTED
    sample { sample_id: 3 batch_id: "A9999260000018" sample_point: SAMPLE_POINT_FINAL_HARVEST
             point_detail: "P3" }
    results { result_id: 11 performed_by: "ana"
              detection { detection: DETECTION_POSITIVE organism: "S. aureus" } }
  }
  batch_state: BATCH_STATE_QUARANTINED
  opened_deviations {
    deviation_id: 12 batch_id: "A9999260000018" kind: DEVIATION_KIND_POSITIVE_TEST
    description: "STERILITY test 7 POSITIVE" state: DEVIATION_STATE_OPEN qc_test_id: 7
    open_time { seconds: 1795132800 } opened_by: "cpcd"
  }
  quarantined_unit_ids: "A9999260000018-01"
  quarantined_unit_ids: "A9999260000018-02"
)pb";

constexpr char kCorrectedTest[] = R"pb(
  test_id: 9 type: QC_TEST_TYPE_ENDOTOXIN state: QC_TEST_STATE_REVIEWED patient_id: "TKY-0042"
  sample { sample_id: 3 batch_id: "A9999260000018" sample_point: SAMPLE_POINT_FINAL_PRODUCT
           drawn_by: "ana" drawn_time { seconds: 1795132800 } }
  results { result_id: 20 endotoxin_eu_per_ml: 1.2 performed_by: "ana" kit_lot: "LAL-1"
            read_time { seconds: 1795136400 } }
  results { result_id: 21 endotoxin_eu_per_ml: 0.12 performed_by: "ben" corrects_result_id: 20
            correction_reason: "transcription error" read_time { seconds: 1795136400 } }
  reviews { result_id: 21 reviewed_by: "qa.kim" review_time { seconds: 1795140000 } }
)pb";

class QcCommandsTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&qc_, &deviations_, &batches_}); }

  FakeQcService qc_;
  FakeDeviationService deviations_;
  FakeBatchReadService batches_;
};

TEST_F(QcCommandsTest, SampleSendsThePointAndEveryTestWithItsMethod) {
  qc_.DrawSample_.response = Parse<v1::DrawSampleResponse>(R"pb(
    sample { sample_id: 3 batch_id: "A9999260000018" sample_point: SAMPLE_POINT_FINAL_HARVEST
             point_detail: "P3" drawn_time { seconds: 1795132800 } }
    tests { test_id: 7 type: QC_TEST_TYPE_STERILITY method: "USP <71> 14-day"
            start_time { seconds: 1795132800 } }
    tests { test_id: 8 type: QC_TEST_TYPE_ENDOTOXIN start_time { seconds: 1795132800 } }
  )pb");
  ASSERT_EQ(Cpc({"qc", "sample", "a9999-26-000001-8", "--point", "final-harvest", "--detail",
                 "P3", "--at", "2026-11-20 00:00", "--test", "sterility:USP <71> 14-day",
                 "--test", "mycoplasma:Ph. Eur. 2.6.7, PCR", "--test", "endotoxin,gram"}),
            0)
      << err_.str();
  const v1::DrawSampleRequest& sent = qc_.DrawSample_.last();
  EXPECT_EQ(sent.batch_id(), "A9999260000018");
  EXPECT_EQ(sent.sample_point(), v1::SAMPLE_POINT_FINAL_HARVEST);
  EXPECT_EQ(sent.point_detail(), "P3");
  EXPECT_EQ(sent.drawn_time().seconds(), 1795132800);
  EXPECT_EQ(sent.request_id().size(), 36u);
  EXPECT_EQ(qc_.DrawSample_.users.back(), "ana");
  ASSERT_EQ(sent.tests_size(), 4);
  EXPECT_EQ(sent.tests(0).type(), v1::QC_TEST_TYPE_STERILITY);
  EXPECT_EQ(sent.tests(0).method(), "USP <71> 14-day");
  // A comma inside a method does not start a new test.
  EXPECT_EQ(sent.tests(1).type(), v1::QC_TEST_TYPE_MYCOPLASMA);
  EXPECT_EQ(sent.tests(1).method(), "Ph. Eur. 2.6.7, PCR");
  EXPECT_EQ(sent.tests(2).type(), v1::QC_TEST_TYPE_ENDOTOXIN);
  EXPECT_EQ(sent.tests(3).type(), v1::QC_TEST_TYPE_GRAM_STAIN);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Drew sample #3 from batch A9999 26 000001 8 at "
                                    "final-harvest P3 (2026-11-20 00:00)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "     7  sterility  USP <71> 14-day  2026-11-20 00:00"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "     8  endotoxin  -")) << out;
}

TEST_F(QcCommandsTest, SampleRefusesAnUnknownTestTypeNamingTheFlag) {
  EXPECT_EQ(Cpc({"qc", "sample", "A9999260000018", "--point", "final-harvest", "--test",
                 "sterilty:USP"}),
            2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: qc sample: --test: \"sterilty\" is not one of "
                                           "sterility, mycoplasma"))
      << err_.str();
  EXPECT_TRUE(qc_.DrawSample_.requests.empty());
  EXPECT_EQ(Cpc({"qc", "sample", "A9999260000018", "--point", "final", "--test", "gram"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--point: \"final\" is not one of")) << err_.str();
}

TEST_F(QcCommandsTest, APositiveResultPrintsTheQuarantineBannerFirst) {
  qc_.RecordResult_.response = Parse<v1::QcWriteResponse>(kPositiveWrite);
  ASSERT_EQ(Cpc({"qc", "result", "#7", "--positive", "--organism", "S. aureus", "--read-at",
                 "2026-11-20 00:00", "--kit-lot", "TSB-1", "--request-id", "res-7"}),
            0)
      << err_.str();
  const v1::RecordResultRequest& sent = qc_.RecordResult_.last();
  EXPECT_EQ(sent.request_id(), "res-7");
  EXPECT_EQ(sent.test_id(), 7);
  EXPECT_EQ(sent.result().detection().detection(), v1::DETECTION_POSITIVE);
  EXPECT_EQ(sent.result().detection().organism(), "S. aureus");
  EXPECT_EQ(sent.result().kit_lot(), "TSB-1");
  EXPECT_EQ(sent.result().read_time().seconds(), 1795132800);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(
      out, "!! QUARANTINED: batch A9999 26 000001 8 and 2 units -- STERILITY test 7 POSITIVE "
           "(S. aureus) (sample #3, final-harvest P3)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "!! OPEN DEVIATION #12 positive test: STERILITY test 7 "
                                     "POSITIVE (QC test 7, opened"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "units quarantined: A9999260000018-01, A9999260000018-02"))
      << out;
  // The write went through the journal and left it once answered.
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(QcCommandsTest, UnderJsonTheBannerGoesToStderrToo) {
  qc_.RecordResult_.response = Parse<v1::QcWriteResponse>(kPositiveWrite);
  ASSERT_EQ(Cpc({"qc", "result", "7", "--positive", "--json"}), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(err_.str(), "!! QUARANTINED: batch A9999 26 000001 8")) << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "{")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"batch_state\": \"BATCH_STATE_QUARANTINED\""));
}

TEST_F(QcCommandsTest, ANegativeResultHasNoBanner) {
  qc_.RecordResult_.response = Parse<v1::QcWriteResponse>(R"pb(
    test { test_id: 8 type: QC_TEST_TYPE_MYCOPLASMA state: QC_TEST_STATE_RESULTED
           sample { batch_id: "A9999260000018" }
           results { detection { detection: DETECTION_NEGATIVE } } }
    batch_state: BATCH_STATE_IN_CULTURE
  )pb");
  ASSERT_EQ(Cpc({"qc", "result", "8", "--negative"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "Recorded mycoplasma test 8 on batch A9999 26 000001 8: NEGATIVE\n"
                        "  test resulted, batch in-culture\n");
}

TEST_F(QcCommandsTest, EachKindOfResultFillsItsField) {
  qc_.RecordResult_.response.mutable_test()->set_test_id(9);
  ASSERT_EQ(Cpc({"qc", "result", "9", "--endotoxin", "0.25", "--instrument", "READER-1"}), 0)
      << err_.str();
  EXPECT_DOUBLE_EQ(qc_.RecordResult_.last().result().endotoxin_eu_per_ml(), 0.25);
  EXPECT_EQ(qc_.RecordResult_.last().result().instrument_id(), "READER-1");
  ASSERT_EQ(Cpc({"qc", "result", "9", "--gram", "seen", "--description", "GPC"}), 0);
  EXPECT_EQ(qc_.RecordResult_.last().result().gram_stain().finding(),
            v1::GRAM_FINDING_ORGANISMS_SEEN);
  EXPECT_EQ(qc_.RecordResult_.last().result().gram_stain().description(), "GPC");
  ASSERT_EQ(Cpc({"qc", "result", "9", "--marker", "cd73=98.5", "--marker", "CD45=0.4,HLA-DR=1"}),
            0);
  const v1::FlowResult& flow = qc_.RecordResult_.last().result().flow();
  ASSERT_EQ(flow.markers_size(), 3);
  EXPECT_EQ(flow.markers(0).marker(), "CD73");
  EXPECT_DOUBLE_EQ(flow.markers(0).percent_positive(), 98.5);
  EXPECT_EQ(flow.markers(2).marker(), "HLA-DR");
  ASSERT_EQ(Cpc({"qc", "result", "9", "--viability", "92.5"}), 0);
  EXPECT_DOUBLE_EQ(qc_.RecordResult_.last().result().viability_percent(), 92.5);
}

TEST_F(QcCommandsTest, ResultNeedsExactlyOneValue) {
  EXPECT_EQ(Cpc({"qc", "result", "7"}), 2);
  EXPECT_EQ(err_.str(), "cpc: qc result: give exactly one result: --negative, --positive, "
                        "--endotoxin, --gram, --marker or --viability\n");
  EXPECT_EQ(Cpc({"qc", "result", "7", "--negative", "--viability", "90"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "(got --negative and --viability)")) << err_.str();
  EXPECT_EQ(Cpc({"qc", "result", "7", "--negative", "--organism", "E. coli"}), 2);
  EXPECT_EQ(err_.str(), "cpc: qc result: --organism goes with --positive\n");
  EXPECT_EQ(Cpc({"qc", "result", "7", "--marker", "CD73"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--marker: \"CD73\" must be MARKER=PERCENT"))
      << err_.str();
  EXPECT_EQ(Cpc({"qc", "result", "seven", "--negative"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "TEST: \"seven\" is not a number")) << err_.str();
  EXPECT_TRUE(qc_.RecordResult_.requests.empty());
}

TEST_F(QcCommandsTest, RefusalsExitOneWithTheServersWords) {
  qc_.CorrectResult_.status = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                           "a positive result is never corrected");
  EXPECT_EQ(Cpc({"qc", "correct", "7", "--negative", "--reason", "misread"}), 1);
  EXPECT_EQ(err_.str(), "cpc: FAILED_PRECONDITION: a positive result is never corrected\n");
  EXPECT_EQ(qc_.CorrectResult_.last().reason(), "misread");
  EXPECT_EQ(qc_.CorrectResult_.last().result().detection().detection(), v1::DETECTION_NEGATIVE);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Cpc({"qc", "correct", "7", "--negative"}), 2);
  EXPECT_EQ(err_.str(), "cpc: qc correct: --reason is required\n");
}

TEST_F(QcCommandsTest, CorrectShowsWhatTheResultWas) {
  qc_.CorrectResult_.response.mutable_test()->CopyFrom(Parse<v1::QcTest>(kCorrectedTest));
  ASSERT_EQ(Cpc({"qc", "correct", "9", "--endotoxin", "0.12", "--reason", "transcription error"}),
            0)
      << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "  was 1.2 EU/mL (kept in the record; reason: "
                                            "transcription error)\n"))
      << out_.str();
}

TEST_F(QcCommandsTest, ReviewAndInvalidateSendTheTest) {
  // A review is a signature: no password, nothing sent.
  EXPECT_EQ(Cpc({"qc", "review", "9"}), 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--password-stdin")) << err_.str();
  EXPECT_TRUE(qc_.ReviewResult_.requests.empty());
  qc_.ReviewResult_.response.mutable_signature()->set_signer("ana");
  qc_.ReviewResult_.response.mutable_signature()->set_full_name("Ana Ito");
  qc_.ReviewResult_.response.mutable_signature()->set_meaning("reviewed");
  qc_.ReviewResult_.response.mutable_signature()->mutable_signed_at()->set_seconds(1795132800);
  ASSERT_EQ(CpcWithStdin({"qc", "review", "9", "--password-stdin"}, "ana's password\n"), 0)
      << err_.str();
  EXPECT_EQ(qc_.ReviewResult_.last().test_id(), 9);
  EXPECT_EQ(qc_.ReviewResult_.last().signature().password(), "ana's password");
  EXPECT_TRUE(absl::StrContains(out_.str(),
                                "  Signed by Ana Ito (ana) at 2026-11-20 00:00 UTC: reviewed\n"))
      << out_.str();
  EXPECT_TRUE(PendingFiles().empty());  // a write carrying a password is never journaled
  qc_.InvalidateTest_.response.mutable_test()->set_test_id(7);
  qc_.InvalidateTest_.response.mutable_test()->mutable_sample()->set_sample_id(3);
  ASSERT_EQ(Cpc({"qc", "invalidate", "7", "--reason", "growth promotion failed"}), 0);
  EXPECT_EQ(qc_.InvalidateTest_.last().reason(), "growth promotion failed");
  EXPECT_TRUE(absl::StrContains(out_.str(), "Order the retest: cpc qc order 3 --retest-of 7"))
      << out_.str();
}

TEST_F(QcCommandsTest, RetestCopiesTheInvalidatedTestsTypeAndMethod) {
  qc_.GetTest_.response = Parse<v1::QcTest>(
      R"pb(test_id: 7 type: QC_TEST_TYPE_STERILITY method: "USP <71> 14-day")pb");
  qc_.OrderTests_.response = Parse<v1::OrderTestsResponse>(
      R"pb(tests { test_id: 15 type: QC_TEST_TYPE_STERILITY retest_of: 7 })pb");
  ASSERT_EQ(Cpc({"qc", "order", "3", "--retest-of", "7"}), 0) << err_.str();
  EXPECT_EQ(qc_.GetTest_.last().test_id(), 7);
  const v1::OrderTestsRequest& sent = qc_.OrderTests_.last();
  EXPECT_EQ(sent.sample_id(), 3);
  ASSERT_EQ(sent.tests_size(), 1);
  EXPECT_EQ(sent.tests(0).type(), v1::QC_TEST_TYPE_STERILITY);
  EXPECT_EQ(sent.tests(0).method(), "USP <71> 14-day");
  EXPECT_EQ(sent.tests(0).retest_of(), 7);
  EXPECT_TRUE(absl::StrContains(out_.str(), "retest of test 7")) << out_.str();
  EXPECT_EQ(Cpc({"qc", "order", "3"}), 2);
  EXPECT_EQ(err_.str(), "cpc: qc order: --test is required (or --retest-of)\n");
}

TEST_F(QcCommandsTest, ShowListsEveryResultAndMarksTheSupersededOne) {
  qc_.GetTest_.response = Parse<v1::QcTest>(kCorrectedTest);
  ASSERT_EQ(Cpc({"qc", "show", "9"}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Test 9  endotoxin\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "#20     2026-11-20 01:00  1.2 EU/mL   ana")) << out;
  EXPECT_TRUE(absl::StrContains(out, "superseded by #21")) << out;
  EXPECT_TRUE(absl::StrContains(out, "corrects #20 (reason: transcription error)")) << out;
  EXPECT_TRUE(absl::StrContains(out, "result #21 reviewed 2026-11-20 02:00 by qa.kim")) << out;
}

TEST_F(QcCommandsTest, ListAsksForTheBatchsTests) {
  qc_.ListTests_.response.add_tests()->CopyFrom(Parse<v1::QcTest>(kCorrectedTest));
  ASSERT_EQ(Cpc({"qc", "list", "A9999 26 000001 8", "--type", "endotoxin"}), 0) << err_.str();
  EXPECT_EQ(qc_.ListTests_.last().batch_id(), "A9999260000018");
  ASSERT_EQ(qc_.ListTests_.last().types_size(), 1);
  EXPECT_EQ(qc_.ListTests_.last().types(0), v1::QC_TEST_TYPE_ENDOTOXIN);
  EXPECT_TRUE(absl::StrContains(out_.str(), "reviewed  0.12 EU/mL  ben  qa.kim")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "corrected; first result 1.2 EU/mL")) << out_.str();
}

TEST_F(QcCommandsTest, ListTakesTypesAsAListAndChecksEach) {
  ASSERT_EQ(Cpc({"qc", "list", "A9999260000018", "--type", "sterility, mycoplasma"}), 0)
      << err_.str();
  ASSERT_EQ(qc_.ListTests_.last().types_size(), 2);
  EXPECT_EQ(qc_.ListTests_.last().types(1), v1::QC_TEST_TYPE_MYCOPLASMA);
  EXPECT_EQ(Cpc({"qc", "list", "A9999260000018", "--type", "sterility,mold"}), 2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: qc list: --type: \"mold\" is not one of "
                                           "sterility, mycoplasma"))
      << err_.str();
}

TEST_F(QcCommandsTest, DeviationOpenMapsTheKindTypedWithDashes) {
  deviations_.OpenDeviation_.response = Parse<v1::Deviation>(R"pb(
    deviation_id: 13 batch_id: "A9999260000018" kind: DEVIATION_KIND_OUT_OF_SPECIFICATION
    state: DEVIATION_STATE_OPEN description: "viability 65%" opened_by: "ana"
  )pb");
  ASSERT_EQ(Cpc({"deviation", "open", "A9999260000018", "--kind", "out-of-specification",
                 "--description", "viability 65%"}),
            0)
      << err_.str();
  EXPECT_EQ(deviations_.OpenDeviation_.last().kind(), v1::DEVIATION_KIND_OUT_OF_SPECIFICATION);
  EXPECT_EQ(deviations_.OpenDeviation_.last().description(), "viability 65%");
  EXPECT_TRUE(absl::StrContains(out_.str(), "!! OPEN DEVIATION #13 out of specification: "))
      << out_.str();
  EXPECT_EQ(Cpc({"deviation", "open", "A9999260000018", "--kind", "bad", "--description", "x"}),
            2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--kind: \"bad\" is not one of late-processing, "
                                            "other,"))
      << err_.str();
}

TEST_F(QcCommandsTest, DeviationClosePrintsTheBatchStateAfter) {
  deviations_.CloseDeviation_.response = Parse<v1::CloseDeviationResponse>(R"pb(
    deviation { deviation_id: 12 batch_id: "A9999260000018" state: DEVIATION_STATE_CLOSED
                closure { disposition: DISPOSITION_REJECT reason: "confirmed" } }
    batch_state: BATCH_STATE_REJECTED
    changed_unit_ids: "A9999260000018-01"
    signature { signer: "ana" full_name: "Ana Ito" meaning: "approved: deviation disposition"
                signed_at { seconds: 1795132800 } }
  )pb");
  ASSERT_EQ(CpcWithStdin({"deviation", "close", "12", "--disposition", "reject", "--reason",
                          "confirmed", "--password-stdin"},
                         "pw-ana\n"),
            0)
      << err_.str();
  EXPECT_EQ(deviations_.CloseDeviation_.last().signature().password(), "pw-ana");
  EXPECT_EQ(deviations_.CloseDeviation_.last().deviation_id(), 12);
  EXPECT_EQ(deviations_.CloseDeviation_.last().disposition(), v1::DISPOSITION_REJECT);
  EXPECT_EQ(out_.str(), "Closed deviation #12 with disposition reject\n"
                        "  batch A9999 26 000001 8 is now rejected\n"
                        "  units changed: A9999260000018-01\n"
                        "  Signed by Ana Ito (ana) at 2026-11-20 00:00 UTC: approved: deviation "
                        "disposition\n");
  ASSERT_EQ(CpcWithStdin({"deviation", "close", "12", "--disposition", "physician", "--reason",
                          "x", "--password-stdin"},
                         "pw-ana\n"),
            0);
  EXPECT_EQ(deviations_.CloseDeviation_.last().disposition(),
            v1::DISPOSITION_USE_UNDER_PHYSICIAN_RESPONSIBILITY);
}

TEST_F(QcCommandsTest, DeviationCloseAsksThePhysicianForTheirOwnPassword) {
  deviations_.CloseDeviation_.response = Parse<v1::CloseDeviationResponse>(R"pb(
    deviation { deviation_id: 14 batch_id: "A9999260000018" state: DEVIATION_STATE_CLOSED
                closure { disposition: DISPOSITION_USE_UNDER_PHYSICIAN_RESPONSIBILITY
                          reason: "no other cells" physician: "dr.ito" } }
    batch_state: BATCH_STATE_CRYOPRESERVED
    signature { signer: "ana" full_name: "Ana Ito" meaning: "approved: deviation disposition"
                signed_at { seconds: 1795132800 } }
    physician_signature { signer: "dr.ito" full_name: "Ito Ken"
                          meaning: "requested: use under the physician's responsibility"
                          signed_at { seconds: 1795132800 } }
  )pb");
  ASSERT_EQ(CpcWithStdin({"deviation", "close", "14", "--disposition", "physician", "--reason",
                          "no other cells", "--physician", "dr.ito", "--password-stdin"},
                         "pw-ana\npw-dr.ito\n"),
            0)
      << err_.str();
  const v1::CloseDeviationRequest& sent = deviations_.CloseDeviation_.last();
  EXPECT_EQ(sent.signature().password(), "pw-ana");
  EXPECT_EQ(sent.physician(), "dr.ito");
  EXPECT_EQ(sent.physician_signature().password(), "pw-dr.ito");
  EXPECT_TRUE(absl::StrContains(out_.str(),
                                "  Signed by Ito Ken (dr.ito) at 2026-11-20 00:00 UTC: requested: "
                                "use under the physician's responsibility\n"
                                "  The batch may be released as NON-CONFORMING under deviation "
                                "#14 (physician dr.ito's request)\n"))
      << out_.str();
}

TEST_F(QcCommandsTest, DeviationNoteShowAndList) {
  deviations_.GetDeviation_.response = Parse<v1::Deviation>(R"pb(
    deviation_id: 12 batch_id: "A9999260000018" kind: DEVIATION_KIND_POSITIVE_TEST
    state: DEVIATION_STATE_CLOSED qc_test_id: 7 description: "STERILITY test 7 POSITIVE"
    notes { add_time { seconds: 1795132800 } added_by: "qa.kim" text: "isolate sent" }
    closure { disposition: DISPOSITION_CONTINUE reason: "false positive" closed_by: "qa.kim" }
  )pb");
  ASSERT_EQ(Cpc({"deviation", "note", "12", "--text", "isolate sent"}), 0) << err_.str();
  EXPECT_EQ(deviations_.AddDeviationNote_.last().text(), "isolate sent");
  ASSERT_EQ(Cpc({"deviation", "show", "12"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "raised by    QC test 7")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "2026-11-20 00:00  qa.kim: isolate sent")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "disposition continue (reason: false positive)"))
      << out_.str();
  deviations_.ListDeviations_.response.add_deviations()->CopyFrom(
      deviations_.GetDeviation_.response);
  ASSERT_EQ(Cpc({"deviation", "list", "--batch", "A9999 26 000001 8", "--open"}), 0);
  EXPECT_EQ(deviations_.ListDeviations_.last().batch_id(), "A9999260000018");
  EXPECT_TRUE(deviations_.ListDeviations_.last().open_only());
  EXPECT_TRUE(absl::StrContains(out_.str(), "closed (continue)")) << out_.str();
}

TEST_F(QcCommandsTest, BatchShowPutsTheQuarantineFirstAndListsTestsAndUnits) {
  batches_.GetBatch_.response = Parse<v1::Batch>(R"pb(
    batch_id: "A9999260000018" patient_id: "TKY-0042" state: BATCH_STATE_QUARANTINED
    quarantine_reason: "STERILITY test 7 POSITIVE (sample 3, FINAL_HARVEST): S. aureus"
    current_passage: 3
    units { unit_id: "A9999260000018-01" batch_id: "A9999260000018" patient_id: "TKY-0042"
            kind: UNIT_KIND_VIAL volume_ml: 1.5 cells: 25000000 state: UNIT_STATE_QUARANTINED
            position: "LN2-A/R1/B1/A1" }
  )pb");
  batches_.GetBatch_.response.add_qc_tests()->CopyFrom(
      Parse<v1::QcWriteResponse>(kPositiveWrite).test());
  ASSERT_EQ(Cpc({"batch", "show", "A9999260000018"}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "!! QUARANTINED: STERILITY test 7 POSITIVE (sample 3, "
                                    "FINAL_HARVEST): S. aureus\nBatch A9999 26 000001 8"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "\nQC tests\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "!! POSITIVE (S. aureus)")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\nUnits\n  UNIT")) << out;
  EXPECT_TRUE(absl::StrContains(out, "A9999260000018-01  A9999260000018  TKY-0042  1.5 mL vial  "
                                     "2.5e7  !! QUARANTINED  LN2-A/R1/B1/A1"))
      << out;
}

TEST_F(QcCommandsTest, BatchListNotesWhyABatchIsQuarantined) {
  v1::Batch& batch = *batches_.ListBatches_.response.add_batches();
  batch.set_batch_id("A9999260000018");
  batch.set_state(v1::BATCH_STATE_QUARANTINED);
  batch.set_quarantine_reason(std::string(100, 'x'));
  ASSERT_EQ(Cpc({"batch", "list"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), absl::StrCat("!! ", std::string(67, 'x'), "...\n")))
      << out_.str();
}

TEST_F(QcCommandsTest, BatchDisposeSendsTheReason) {
  batches_.DisposeBatch_.response.set_batch_id("A9999260000018");
  batches_.DisposeBatch_.response.set_state(v1::BATCH_STATE_DISPOSED);
  ASSERT_EQ(Cpc({"batch", "dispose", "A9999 26 000001 8", "--reason", "rejected: dev 12"}), 0)
      << err_.str();
  EXPECT_EQ(batches_.DisposeBatch_.last().batch_id(), "A9999260000018");
  EXPECT_EQ(batches_.DisposeBatch_.last().reason(), "rejected: dev 12");
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Disposed of batch A9999 26 000001 8 (state disposed)"))
      << out_.str();
  EXPECT_EQ(Cpc({"batch", "dispose", "A9999260000018"}), 2);
  EXPECT_EQ(err_.str(), "cpc: batch dispose: --reason is required\n");
}

// `cpc retry` and Connection::Call find a write's method by its types; the
// new services keep one method per write request type.
TEST(NewWritesTest, EveryWriteOfTheNewServicesIsFoundByItsTypes) {
  namespace pb = ::google::protobuf;
  int writes = 0;
  for (const pb::FileDescriptor* file :
       {v1::QcTest::descriptor()->file(), v1::Deviation::descriptor()->file(),
        v1::Unit::descriptor()->file(), v1::Tank::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const pb::MethodDescriptor& method = *file->service(s)->method(m);
        if (method.input_type()->FindFieldByName("request_id") == nullptr) continue;
        ++writes;
        absl::StatusOr<std::string> name =
            FullMethodName(*method.input_type(), *method.output_type());
        ASSERT_TRUE(name.ok()) << method.full_name() << ": " << name.status();
        EXPECT_EQ(*FindMethod(*name), &method);
      }
    }
  }
  // 6 QC, 5 deviation (2 of them excursions), 5 unit, 4 storage (tank readings).
  EXPECT_EQ(writes, 20);
}

}  // namespace
}  // namespace cpc
