// `cpc qc sample|order|result|correct|review|invalidate|show|list`: samples,
// tests and their results. A positive sterility or mycoplasma result
// quarantines the batch; the CLI says so before anything else.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/followup_format.h"
#include "client/signing.h"
#include "client/format.h"
#include "client/qc_format.h"
#include "client/qc_results.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/values.h"
#include "client/table.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Qc = v1::QcService::Stub;

absl::StatusOr<int64_t> TestIdArg(const Invocation& in) {
  return ParseId("TEST", in.args.Get("TEST"));
}

absl::StatusOr<v1::QcTest> GetTest(const Invocation& in, int64_t test_id) {
  v1::GetTestRequest request;
  request.set_test_id(test_id);
  v1::QcTest test;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::GetTest, request, &test));
  return test;
}

void PrintOrderedTests(const Invocation& in,
                       const google::protobuf::RepeatedPtrField<v1::QcTest>& tests) {
  Table table({"test", "type", "method", "started"});
  table.AlignRight(0);
  for (const v1::QcTest& test : tests) {
    table.AddRow({absl::StrCat(test.test_id()), ChoiceText(QcTestTypeChoices(), test.type()),
                  test.method().empty() ? "-" : test.method(),
                  FormatLocalTime(FromProto(test.start_time()), in.time.zone)});
    if (test.retest_of() != 0) table.AddNote(absl::StrCat("retest of test ", test.retest_of()));
  }
  in.out << table.Render(2);
}

// "STERILITY test 7 POSITIVE (S. aureus) (sample #3, final-harvest P3)".
std::string Finding(const v1::QcTest& test) {
  return absl::StrCat(EnumName(test.type()), " test ", test.test_id(), " ",
                      CurrentResultText(test), " (sample #", test.sample().sample_id(), ", ",
                      SamplePointText(test.sample()), ")");
}

bool QuarantinedByThisWrite(const v1::QcWriteResponse& response) {
  if (response.batch_state() != v1::BATCH_STATE_QUARANTINED) return false;
  if (!response.quarantined_unit_ids().empty()) return true;
  for (const v1::Deviation& deviation : response.opened_deviations()) {
    if (deviation.kind() == v1::DEVIATION_KIND_POSITIVE_TEST) return true;
  }
  const v1::QcResult* result = CurrentResult(response.test());
  return result != nullptr && result->has_detection() &&
         result->detection().detection() == v1::DETECTION_POSITIVE;
}

// The banner goes first, and to stderr as well under --json, where a
// script's stdout may be read by no one.
void PrintQuarantineBanner(const Invocation& in, const v1::QcWriteResponse& response) {
  const v1::QcTest& test = response.test();
  std::string units;
  if (!response.quarantined_unit_ids().empty()) {
    units = absl::StrCat(" and ", response.quarantined_unit_ids_size(),
                         response.quarantined_unit_ids_size() == 1 ? " unit" : " units");
  }
  const std::string banner =
      absl::StrCat("!! QUARANTINED: batch ", SpacedBatchId(test.sample().batch_id()), units,
                   " -- ", Finding(test), "\n");
  (in.json ? in.err : in.out) << banner;
}

// What an interim reading saw.
std::string InterimText(const v1::InterimReading& reading) {
  return reading.note().empty() ? "no growth" : reading.note();
}

// `interim`: the write was an interim reading, shown instead of the result
// (which it never is).
absl::Status PrintQcWrite(const Invocation& in, absl::string_view verb_past,
                          const v1::QcWriteResponse& response, bool interim = false) {
  if (response.has_follow_up()) PrintFollowUpBanner(in, response.follow_up());
  const bool quarantined = QuarantinedByThisWrite(response);
  if (quarantined) PrintQuarantineBanner(in, response);
  if (in.json) return PrintJson(response, in.out);
  const v1::QcTest& test = response.test();
  in.out << verb_past << " " << TestTypeAndMethod(test) << " test " << test.test_id()
         << " on batch " << SpacedBatchId(test.sample().batch_id()) << ": "
         << (interim && !test.interim_readings().empty()
                 ? InterimText(*test.interim_readings().rbegin())
                 : CurrentResultText(test))
         << "\n"
         << "  test " << ChoiceText(QcTestStateChoices(), test.state()) << ", batch "
         << ChoiceText(BatchStateChoices(), response.batch_state()) << "\n";
  for (const v1::Deviation& deviation : response.opened_deviations()) {
    in.out << DescribeDeviation(deviation, in.time.zone) << "\n";
  }
  if (!response.quarantined_unit_ids().empty()) {
    in.out << "  units quarantined: " << absl::StrJoin(response.quarantined_unit_ids(), ", ")
           << "\n";
  }
  if (quarantined) {
    in.out << "  The batch cannot be released until QA closes the deviation: "
              "cpc deviation close ID --disposition ...\n";
  }
  return absl::OkStatus();
}

absl::Status RunSample(Invocation& in) {
  v1::DrawSampleRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  request.set_sample_point(ChoiceValue(SamplePointChoices(), in.args.Get("point")));
  request.set_point_detail(in.args.Get("detail"));
  CPC_ASSIGN_OR_RETURN(absl::Time drawn, TimeFlag(in.args, "at", in.time));
  ToProto(drawn, request.mutable_drawn_time());
  CPC_ASSIGN_OR_RETURN(std::vector<v1::TestOrder> orders,
                       ParseTestOrders(in.args.GetEach("test")));
  for (v1::TestOrder& order : orders) *request.add_tests() = std::move(order);
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::DrawSampleResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::DrawSample, request, &response));
  if (in.json) return PrintJson(response, in.out);
  const v1::QcSample& sample = response.sample();
  in.out << "Drew sample #" << sample.sample_id() << " from batch "
         << SpacedBatchId(sample.batch_id()) << " at " << SamplePointText(sample) << " ("
         << FormatLocalTime(FromProto(sample.drawn_time()), in.time.zone) << ")\n";
  PrintOrderedTests(in, response.tests());
  return absl::OkStatus();
}

absl::Status RunOrder(Invocation& in) {
  v1::OrderTestsRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t sample_id, ParseId("SAMPLE", in.args.Get("SAMPLE")));
  request.set_sample_id(sample_id);
  std::vector<v1::TestOrder> orders;
  if (in.args.Given("test")) {
    CPC_ASSIGN_OR_RETURN(orders, ParseTestOrders(in.args.GetEach("test")));
  }
  if (in.args.Given("retest-of")) {
    CPC_ASSIGN_OR_RETURN(int64_t retest_of, ParseId("--retest-of", in.args.Get("retest-of")));
    if (orders.size() > 1) {
      return UsageError("--retest-of repeats one test: give one --test, or none to repeat "
                        "the invalidated test's type and method");
    }
    if (orders.empty()) {
      CPC_ASSIGN_OR_RETURN(v1::QcTest original, GetTest(in, retest_of));
      orders.emplace_back();
      orders[0].set_type(original.type());
      orders[0].set_method(original.method());
    }
    orders[0].set_retest_of(retest_of);
  } else if (orders.empty()) {
    return UsageError("--test is required (or --retest-of)");
  }
  for (v1::TestOrder& order : orders) *request.add_tests() = std::move(order);
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::OrderTestsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::OrderTests, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Ordered " << response.tests_size()
         << (response.tests_size() == 1 ? " test" : " tests") << " on sample #" << sample_id
         << "\n";
  PrintOrderedTests(in, response.tests());
  return absl::OkStatus();
}

absl::Status RunResult(Invocation& in) {
  v1::RecordResultRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t test_id, TestIdArg(in));
  request.set_test_id(test_id);
  CPC_RETURN_IF_ERROR(ApplyResultFlags(in.args, in.time, request.mutable_result()));
  if (in.args.Given("note") && !in.args.Given("interim")) {
    return UsageError("--note goes with --interim");
  }
  request.set_interim(in.args.Given("interim"));
  request.set_interim_note(in.args.Get("note"));
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::QcWriteResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::RecordResult, request, &response));
  return PrintQcWrite(in, request.interim() ? "Recorded an interim reading of" : "Recorded",
                      response, request.interim());
}

absl::Status RunCorrect(Invocation& in) {
  v1::CorrectResultRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t test_id, TestIdArg(in));
  request.set_test_id(test_id);
  request.set_reason(in.args.Get("reason"));
  CPC_RETURN_IF_ERROR(ApplyResultFlags(in.args, in.time, request.mutable_result()));
  v1::QcWriteResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::CorrectResult, request, &response));
  CPC_RETURN_IF_ERROR(PrintQcWrite(in, "Corrected", response));
  const v1::QcTest& test = response.test();
  if (!in.json && test.results_size() > 1) {
    in.out << "  was " << QcResultText(test.results(test.results_size() - 2))
           << " (kept in the record; reason: " << request.reason() << ")\n";
  }
  return absl::OkStatus();
}

absl::Status RunReview(Invocation& in) {
  v1::ReviewResultRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t test_id, TestIdArg(in));
  request.set_test_id(test_id);
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("the review of QC test ", test_id),
                           request.mutable_signature()));
  v1::QcWriteResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::ReviewResult, request, &response));
  CPC_RETURN_IF_ERROR(PrintQcWrite(in, "Reviewed", response));
  if (!in.json) in.out << SignatureLine(response.signature(), in.time.zone) << "\n";
  return absl::OkStatus();
}

absl::Status RunInvalidate(Invocation& in) {
  v1::InvalidateTestRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t test_id, TestIdArg(in));
  request.set_test_id(test_id);
  request.set_reason(in.args.Get("reason"));
  v1::QcWriteResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::InvalidateTest, request, &response));
  CPC_RETURN_IF_ERROR(PrintQcWrite(in, "Invalidated", response));
  if (!in.json) {
    in.out << "  Order the retest: cpc qc order " << response.test().sample().sample_id()
           << " --retest-of " << test_id << "\n";
  }
  return absl::OkStatus();
}

void PrintTest(const Invocation& in, const v1::QcTest& test) {
  const absl::TimeZone zone = in.time.zone;
  const v1::QcSample& sample = test.sample();
  std::string state = ChoiceText(QcTestStateChoices(), test.state());
  if (test.state() == v1::QC_TEST_STATE_INVALIDATED) state = "!! INVALIDATED";
  in.out << "Test " << test.test_id() << "  " << TestTypeAndMethod(test) << "\n"
         << "  batch     " << SpacedBatchId(sample.batch_id()) << "  (patient "
         << test.patient_id() << ")\n"
         << "  sample    #" << sample.sample_id() << " " << SamplePointText(sample)
         << ", drawn " << FormatLocalTimeWithZone(FromProto(sample.drawn_time()), zone)
         << " by " << sample.drawn_by() << "\n"
         << "  ordered   " << FormatLocalTime(FromProto(test.order_time()), zone) << " by "
         << test.ordered_by() << "\n"
         << "  started   " << FormatLocalTime(FromProto(test.start_time()), zone) << "\n"
         << "  state     " << state << "\n";
  if (test.retest_of() != 0) in.out << "  retest of test " << test.retest_of() << "\n";
  if (test.has_invalidation()) {
    const v1::QcInvalidation& invalidation = test.invalidation();
    in.out << "  invalidated " << FormatLocalTime(FromProto(invalidation.invalidate_time()), zone)
           << " by " << invalidation.invalidated_by() << ": " << invalidation.reason() << "\n";
  }
  in.out << "\nResults (in the order written; the last is in effect)\n";
  if (test.results().empty()) {
    in.out << "  (pending)\n";
  } else {
    Table table({"result", "read", "value", "by", "instrument", "kit lot", "recorded"});
    for (int i = 0; i < test.results_size(); ++i) {
      const v1::QcResult& result = test.results(i);
      table.AddRow({absl::StrCat("#", result.result_id()),
                    FormatLocalTime(FromProto(result.read_time()), zone), QcResultText(result),
                    result.performed_by(), result.instrument_id(), result.kit_lot(),
                    FormatLocalTime(FromProto(result.record_time()), zone)});
      if (result.corrects_result_id() != 0) {
        table.AddNote(absl::StrCat("corrects #", result.corrects_result_id(), " (reason: ",
                                   result.correction_reason(), ")"));
      }
      if (i + 1 < test.results_size()) {
        table.AddNote(absl::StrCat("superseded by #", test.results(i + 1).result_id()));
      }
    }
    in.out << table.Render(2);
  }
  if (!test.interim_readings().empty()) {
    in.out << "\nInterim readings (not results)\n";
    Table table({"reading", "read", "seen", "by", "recorded"});
    for (const v1::InterimReading& reading : test.interim_readings()) {
      table.AddRow({absl::StrCat("#", reading.reading_id()),
                    FormatLocalTime(FromProto(reading.read_time()), zone),
                    InterimText(reading),
                    reading.performed_by(),
                    FormatLocalTime(FromProto(reading.record_time()), zone)});
    }
    in.out << table.Render(2);
  }
  if (!test.late_entries().empty()) {
    in.out << "\nLate entries\n" << RenderLateEntries(test.late_entries(), zone, 2);
  }
  if (!test.reviews().empty()) {
    in.out << "\nReviews\n";
    for (const v1::QcReview& review : test.reviews()) {
      in.out << "  result #" << review.result_id() << " reviewed "
             << FormatLocalTime(FromProto(review.review_time()), zone) << " by "
             << review.reviewed_by() << "\n";
    }
  }
}

absl::Status RunShow(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(int64_t test_id, TestIdArg(in));
  CPC_ASSIGN_OR_RETURN(v1::QcTest test, GetTest(in, test_id));
  if (in.json) return PrintJson(test, in.out);
  PrintTest(in, test);
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListTestsRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  for (const std::string& type : in.args.GetList("type")) {
    request.add_types(ChoiceValue(QcTestTypeChoices(), type));
  }
  v1::ListTestsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Qc::ListTests, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << (response.tests().empty() ? "No tests.\n"
                                      : RenderQcTests(response.tests(), in.time.zone));
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

std::vector<FlagSpec> InterimFlags(std::vector<FlagSpec> flags) {
  flags.push_back({.name = "interim",
                   .help = "with --negative: a look at a culture still incubating (no growth "
                           "so far); shown with the test, never its result"});
  flags.push_back({.name = "note", .value_name = "TEXT",
                   .help = "with --interim: what was seen, e.g. \"no growth at 72 h\""});
  return flags;
}

// `cpc qc result`'s flags: the result's, an interim reading's and why it is late.
std::vector<FlagSpec> RecordResultFlags() {
  std::vector<FlagSpec> flags = InterimFlags(ResultFlags());
  flags.push_back(LateReasonFlag("--read-at (not for --interim)"));
  return flags;
}

ArgSpec TestArg() {
  return {.name = "TEST", .help = "QC test ID, e.g. 7 or #7 (see cpc qc list BATCH)"};
}

FlagSpec TestFlag(bool required) {
  return {.name = "test", .value_name = "TYPE[:METHOD]",
          .help = absl::StrCat("a test to order: ",
                               absl::StrJoin(ChoiceTexts(QcTestTypeChoices()), ", "),
                               "; sterility and mycoplasma need the method, e.g. "
                               "sterility:\"USP <71> 14-day\""),
          .required = required, .repeated = true};
}

std::vector<FlagSpec> WithReason(std::vector<FlagSpec> flags, absl::string_view help) {
  flags.insert(flags.begin(), {.name = "reason", .value_name = "TEXT", .help = std::string(help),
                               .required = true});
  return flags;
}

}  // namespace

std::vector<CommandSpec> QcCommands() {
  const std::string kBatch = "A9999260000018";
  std::vector<CommandSpec> commands = {
      {.noun = "qc", .verb = "sample",
       .summary = "Draw a QC sample from a batch and order its tests; prints the test IDs",
       .args = {BatchArg()},
       .flags = {{.name = "point", .value_name = "POINT", .help = "where in the process",
                  .required = true, .choices = ChoiceTexts(SamplePointChoices())},
                 {.name = "detail", .value_name = "TEXT",
                  .help = "which one, e.g. P3 or \"vial 03\""},
                 {.name = "at", .value_name = "TIME",
                  .help = "when the sample was drawn: now, -2h, \"2026-11-25 09:30\"",
                  .default_value = "now"},
                 TestFlag(true), LateReasonFlag()},
       .example = absl::StrCat("cpc qc sample ", kBatch,
                               " --point final-harvest --detail P3 --test sterility:\"USP <71> "
                               "14-day\" --test mycoplasma:PCR --test endotoxin,gram,flow,"
                               "viability"),
       .run = RunSample},
      {.noun = "qc", .verb = "order",
       .summary = "Order more tests, or a retest, on a sample already drawn",
       .args = {{.name = "SAMPLE", .help = "sample ID, as printed by cpc qc sample"}},
       .flags = {TestFlag(false),
                 {.name = "retest-of", .value_name = "TEST",
                  .help = "the invalidated test this repeats (type and method are copied "
                          "unless --test is given)"},
                 LateReasonFlag("the sample's draw (a test starts when drawn)")},
       .example = "cpc qc order 3 --retest-of 7",
       .run = RunOrder},
      {.noun = "qc", .verb = "result",
       .summary = "Record a test's result; a positive sterility or mycoplasma result, or a "
                  "Gram stain that sees organisms, quarantines the batch. A final negative "
                  "culture is read only after its minimum incubation (--interim before)",
       .args = {TestArg()}, .flags = RecordResultFlags(),
       .example = "cpc qc result 7 --negative --read-at \"2026-12-09 10:00\" --kit-lot TSB-0425",
       .run = RunResult},
      {.noun = "qc", .verb = "correct",
       .summary = "Correct a result (the first one stays in the record); positives are not "
                  "corrected",
       .args = {TestArg()},
       .flags = WithReason(ResultFlags(), "why the recorded result was wrong"),
       .example = "cpc qc correct 9 --endotoxin 0.12 --reason \"transcription error, "
                  "reader printout 0412\"",
       .run = RunCorrect},
      {.noun = "qc", .verb = "review",
       .summary = "Review a test's result (second person; a signature: asks for your password)",
       .args = {TestArg()}, .flags = {PasswordStdinFlag()},
       .example = "cpc qc review 7", .run = RunReview},
      {.noun = "qc", .verb = "invalidate",
       .summary = "Invalidate a test for a lab error; then order a retest",
       .args = {TestArg()},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "the lab error",
                  .required = true}},
       .example = "cpc qc invalidate 7 --reason \"media growth-promotion check failed\"",
       .run = RunInvalidate},
      {.noun = "qc", .verb = "show",
       .summary = "Show a test: every result in order, reviews, invalidation",
       .args = {TestArg()}, .example = "cpc qc show 7", .run = RunShow},
      {.noun = "qc", .verb = "list", .summary = "List a batch's QC tests and results",
       .args = {BatchArg()},
       .flags = {{.name = "type", .value_name = "TYPE", .help = "only tests of these types",
                  .repeated = true, .choices = ChoiceTexts(QcTestTypeChoices())}},
       .example = absl::StrCat("cpc qc list ", kBatch), .run = RunList},
  };
  for (FlagSpec& flag : PageFlags()) commands.back().flags.push_back(std::move(flag));
  return commands;
}

}  // namespace cpc
