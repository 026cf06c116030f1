#include "client/qc_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {

namespace v1 = ::cpctrack::v1;

const v1::QcResult* CurrentResult(const v1::QcTest& test) {
  return test.results().empty() ? nullptr : &test.results(test.results_size() - 1);
}

std::string QcResultText(const v1::QcResult& result) {
  switch (result.value_case()) {
    case v1::QcResult::kDetection: {
      const v1::DetectionResult& detection = result.detection();
      std::string text = EnumName(detection.detection());
      if (!detection.organism().empty()) absl::StrAppend(&text, " (", detection.organism(), ")");
      return text.empty() ? "-" : text;
    }
    case v1::QcResult::kEndotoxinEuPerMl:
      return absl::StrCat(FormatDecimal(result.endotoxin_eu_per_ml(), 3), " EU/mL");
    case v1::QcResult::kGramStain: {
      const v1::GramStainResult& gram = result.gram_stain();
      std::string text = gram.finding() == v1::GRAM_FINDING_ORGANISMS_SEEN
                             ? "organisms seen"
                             : "no organisms seen";
      if (!gram.description().empty()) absl::StrAppend(&text, ": ", gram.description());
      return text;
    }
    case v1::QcResult::kFlow: {
      std::vector<std::string> markers;
      for (const v1::MarkerResult& marker : result.flow().markers()) {
        markers.push_back(
            absl::StrCat(marker.marker(), " ", FormatDecimal(marker.percent_positive(), 1), "%"));
      }
      return markers.empty() ? "(no markers)" : absl::StrJoin(markers, ", ");
    }
    case v1::QcResult::kViabilityPercent:
      return FormatPercent(result.viability_percent());
    case v1::QcResult::VALUE_NOT_SET:
      break;
  }
  return "(no value)";
}

std::string CurrentResultText(const v1::QcTest& test) {
  const v1::QcResult* result = CurrentResult(test);
  return result == nullptr ? "-" : QcResultText(*result);
}

std::string ReviewerOf(const v1::QcTest& test) {
  const v1::QcResult* result = CurrentResult(test);
  if (result == nullptr) return "";
  // A review of an earlier, since corrected result does not cover this one.
  for (int i = test.reviews_size() - 1; i >= 0; --i) {
    if (test.reviews(i).result_id() == result->result_id()) return test.reviews(i).reviewed_by();
  }
  return "";
}

std::string TestTypeAndMethod(const v1::QcTest& test) {
  std::string text = ChoiceText(QcTestTypeChoices(), test.type());
  if (!test.method().empty()) absl::StrAppend(&text, " (", test.method(), ")");
  return text;
}

std::string SamplePointText(const v1::QcSample& sample) {
  std::string text = ChoiceText(SamplePointChoices(), sample.sample_point());
  if (!sample.point_detail().empty()) absl::StrAppend(&text, " ", sample.point_detail());
  return text;
}

std::string RenderQcTests(const google::protobuf::RepeatedPtrField<v1::QcTest>& tests,
                          absl::TimeZone zone, size_t indent) {
  Table table({"test", "type", "sample", "started", "state", "result", "by", "reviewer"});
  table.AlignRight(0);
  for (const v1::QcTest& test : tests) {
    const v1::QcResult* result = CurrentResult(test);
    std::string state = ChoiceText(QcTestStateChoices(), test.state());
    if (test.state() == v1::QC_TEST_STATE_INVALIDATED) state = "INVALIDATED";
    std::string result_text = CurrentResultText(test);
    // A positive is the line nobody may overlook.
    if (result != nullptr && result->has_detection() &&
        result->detection().detection() == v1::DETECTION_POSITIVE) {
      result_text = absl::StrCat("!! ", result_text);
    }
    table.AddRow({absl::StrCat(test.test_id()), TestTypeAndMethod(test),
                  absl::StrCat("#", test.sample().sample_id(), " ",
                               SamplePointText(test.sample())),
                  FormatLocalTime(FromProto(test.start_time()), zone), state, result_text,
                  result == nullptr ? "" : result->performed_by(), ReviewerOf(test)});
    if (test.retest_of() != 0) table.AddNote(absl::StrCat("retest of test ", test.retest_of()));
    if (test.results_size() > 1) {
      table.AddNote(absl::StrCat("corrected; first result ", QcResultText(test.results(0)),
                                 " (see cpc qc show ", test.test_id(), ")"));
    }
    if (test.has_invalidation()) {
      table.AddNote(absl::StrCat("invalidated by ", test.invalidation().invalidated_by(), ": ",
                                 test.invalidation().reason()));
    }
  }
  return table.Render(indent);
}

}  // namespace cpc
