#include "client/qc_results.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/choices.h"
#include "client/status_util.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr absl::string_view kValueFlags[] = {"negative", "positive", "endotoxin",
                                             "gram",     "marker",   "viability"};

bool IsTestType(absl::string_view piece) {
  absl::string_view type = piece.substr(0, piece.find(':'));
  type = absl::StripAsciiWhitespace(type);
  return ChoiceValue(QcTestTypeChoices(), type) != v1::QC_TEST_TYPE_UNSPECIFIED;
}

absl::StatusOr<v1::MarkerResult> ParseMarker(absl::string_view text) {
  std::pair<std::string, std::string> parts = absl::StrSplit(text, absl::MaxSplits('=', 1));
  std::string marker(absl::StripAsciiWhitespace(parts.first));
  if (marker.empty() || parts.second.empty()) {
    return UsageError(absl::StrCat("--marker: \"", text,
                                   "\" must be MARKER=PERCENT, e.g. CD73=98.5"));
  }
  CPC_ASSIGN_OR_RETURN(double percent, ParseNumber("--marker", parts.second));
  v1::MarkerResult result;
  result.set_marker(absl::AsciiStrToUpper(marker));
  result.set_percent_positive(percent);
  return result;
}

}  // namespace

std::vector<FlagSpec> ResultFlags() {
  return {
      {.name = "negative", .help = "sterility or mycoplasma: nothing grew / detected"},
      {.name = "positive", .help = "sterility or mycoplasma: growth / detected "
                                   "(quarantines the batch)"},
      {.name = "organism", .value_name = "NAME",
       .help = "with --positive: the organism, when identified, e.g. \"S. aureus\""},
      {.name = "endotoxin", .value_name = "EU_PER_ML", .help = "endotoxin, EU/mL"},
      {.name = "gram", .value_name = "FINDING", .help = "Gram stain: organisms seen or none",
       .choices = ChoiceTexts(GramFindingChoices())},
      {.name = "description", .value_name = "TEXT",
       .help = "with --gram: what was seen, e.g. \"gram-positive cocci\""},
      {.name = "marker", .value_name = "NAME=PERCENT",
       .help = "flow cytometry: percent positive for one marker, e.g. CD73=98.5",
       .repeated = true},
      {.name = "viability", .value_name = "PERCENT", .help = "viability, percent"},
      {.name = "read-at", .value_name = "TIME",
       .help = "when the result was read: now, -2h, \"2026-11-25 09:30\"",
       .default_value = "now"},
      {.name = "instrument", .value_name = "ID", .help = "instrument the test was read on"},
      {.name = "kit-lot", .value_name = "LOT", .help = "kit or reagent lot of the test"},
  };
}

absl::Status ApplyResultFlags(const ParsedArgs& args, const TimeContext& time,
                              v1::QcResult* result) {
  std::vector<std::string> given;
  for (absl::string_view flag : kValueFlags) {
    if (args.Given(flag)) given.push_back(absl::StrCat("--", flag));
  }
  if (given.size() != 1) {
    return UsageError(absl::StrCat(
        "give exactly one result: --negative, --positive, --endotoxin, --gram, --marker or "
        "--viability",
        given.empty() ? "" : absl::StrCat(" (got ", absl::StrJoin(given, " and "), ")")));
  }
  if (args.Given("organism") && !args.Given("positive")) {
    return UsageError("--organism goes with --positive");
  }
  if (args.Given("description") && !args.Given("gram")) {
    return UsageError("--description goes with --gram");
  }
  if (args.Given("negative") || args.Given("positive")) {
    v1::DetectionResult& detection = *result->mutable_detection();
    detection.set_detection(args.Given("positive") ? v1::DETECTION_POSITIVE
                                                   : v1::DETECTION_NEGATIVE);
    detection.set_organism(args.Get("organism"));
  } else if (args.Given("endotoxin")) {
    CPC_ASSIGN_OR_RETURN(double eu_per_ml, ParseNumber("--endotoxin", args.Get("endotoxin")));
    result->set_endotoxin_eu_per_ml(eu_per_ml);
  } else if (args.Given("gram")) {
    result->mutable_gram_stain()->set_finding(
        ChoiceValue(GramFindingChoices(), args.Get("gram")));
    result->mutable_gram_stain()->set_description(args.Get("description"));
  } else if (args.Given("marker")) {
    for (const std::string& text : args.GetList("marker")) {
      CPC_ASSIGN_OR_RETURN(v1::MarkerResult marker, ParseMarker(text));
      *result->mutable_flow()->add_markers() = std::move(marker);
    }
  } else {
    CPC_ASSIGN_OR_RETURN(double percent, ParseNumber("--viability", args.Get("viability")));
    result->set_viability_percent(percent);
  }
  CPC_ASSIGN_OR_RETURN(absl::Time read_time,
                       ParseUserTime("--read-at", args.Get("read-at"), time));
  ToProto(read_time, result->mutable_read_time());
  result->set_instrument_id(args.Get("instrument"));
  result->set_kit_lot(args.Get("kit-lot"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::TestOrder>> ParseTestOrders(
    const std::vector<std::string>& values) {
  std::vector<std::string> pieces;
  for (const std::string& value : values) {
    bool first = true;
    for (absl::string_view piece : absl::StrSplit(value, ',')) {
      if (!first && !IsTestType(piece) && !pieces.empty()) {
        absl::StrAppend(&pieces.back(), ",", piece);
      } else {
        pieces.emplace_back(piece);
      }
      first = false;
    }
  }
  std::vector<v1::TestOrder> orders;
  for (const std::string& piece : pieces) {
    std::pair<std::string, std::string> parts = absl::StrSplit(piece, absl::MaxSplits(':', 1));
    std::string type(absl::StripAsciiWhitespace(parts.first));
    if (type.empty()) continue;
    v1::TestOrder order;
    order.set_type(ChoiceValue(QcTestTypeChoices(), type));
    if (order.type() == v1::QC_TEST_TYPE_UNSPECIFIED) {
      return UsageError(absl::StrCat("--test: \"", type, "\" is not one of ",
                                     absl::StrJoin(ChoiceTexts(QcTestTypeChoices()), ", "),
                                     " (write TYPE or TYPE:METHOD)"));
    }
    order.set_method(std::string(absl::StripAsciiWhitespace(parts.second)));
    orders.push_back(std::move(order));
  }
  if (orders.empty()) return UsageError("--test: name at least one test, e.g. --test endotoxin");
  return orders;
}

absl::StatusOr<int64_t> ParseId(absl::string_view name, absl::string_view text) {
  CPC_ASSIGN_OR_RETURN(int64_t id, ParseCount(name, absl::StripPrefix(text, "#")));
  if (id <= 0) return UsageError(absl::StrCat(name, ": \"", text, "\" is not an ID"));
  return id;
}

}  // namespace cpc
