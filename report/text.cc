#include "report/text.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace cpctrack::report {

namespace v1 = ::cpctrack::v1;

std::string TimeText(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, zone);
}

std::string TimeText(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return TimeText(FromProto(t), zone);
}

std::string FormatDuration(const google::protobuf::Duration& d) {
  const int64_t s = d.seconds();
  if (s != 0 && s % 86400 == 0) return absl::StrCat(s / 86400, " d");
  if (s != 0 && s % 3600 == 0) return absl::StrCat(s / 3600, " h");
  return absl::StrCat(s / 60, " min");
}

std::string EnumWords(absl::string_view name, absl::string_view prefix) {
  if (absl::StartsWith(name, prefix)) name.remove_prefix(prefix.size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", " "}});
}

std::string FormatNumber(double value) {
  std::string s = absl::StrFormat("%.2f", value);
  while (absl::EndsWith(s, "0")) s.pop_back();
  if (absl::EndsWith(s, ".")) s.pop_back();
  return s;
}

std::string FormatCells(int64_t cells) {
  if (cells < 100000) return absl::StrCat(cells);
  const int exponent = static_cast<int>(std::floor(std::log10(static_cast<double>(cells))));
  const double mantissa = static_cast<double>(cells) / std::pow(10.0, exponent);
  return absl::StrCat(FormatNumber(mantissa), "e", exponent);
}

std::string SpacedBatchId(absl::string_view id) {
  if (id.size() != 14) return std::string(id);
  return absl::StrCat(id.substr(0, 5), " ", id.substr(5, 2), " ", id.substr(7, 6), " ",
                      id.substr(13));
}

std::string ResultText(const v1::QcResult& r) {
  switch (r.value_case()) {
    case v1::QcResult::kDetection: {
      std::string text = r.detection().detection() == v1::DETECTION_POSITIVE ? "POSITIVE"
                         : r.detection().detection() == v1::DETECTION_NEGATIVE ? "NEGATIVE"
                                                                                : "?";
      if (!r.detection().organism().empty()) absl::StrAppend(&text, ": ", r.detection().organism());
      return text;
    }
    case v1::QcResult::kEndotoxinEuPerMl:
      return absl::StrCat(FormatNumber(r.endotoxin_eu_per_ml()), " EU/mL");
    case v1::QcResult::kGramStain: {
      std::string text = EnumWords(v1::GramFinding_Name(r.gram_stain().finding()), "GRAM_FINDING_");
      if (!r.gram_stain().description().empty()) {
        absl::StrAppend(&text, ": ", r.gram_stain().description());
      }
      return text;
    }
    case v1::QcResult::kFlow: {
      std::vector<std::string> parts;
      for (const v1::MarkerResult& m : r.flow().markers()) {
        parts.push_back(absl::StrCat(m.marker(), " ", FormatNumber(m.percent_positive()), "%"));
      }
      return absl::StrJoin(parts, ", ");
    }
    case v1::QcResult::kViabilityPercent:
      return absl::StrCat(FormatNumber(r.viability_percent()), "%");
    case v1::QcResult::VALUE_NOT_SET:
      break;
  }
  return "-";
}

std::string LimitText(const v1::QcTest& test, const v1::Product& product) {
  switch (test.type()) {
    case v1::QC_TEST_TYPE_STERILITY:
    case v1::QC_TEST_TYPE_MYCOPLASMA:
      return "NEGATIVE";
    case v1::QC_TEST_TYPE_GRAM_STAIN:
      return "no organisms seen";
    case v1::QC_TEST_TYPE_ENDOTOXIN:
      if (product.max_endotoxin_eu_per_ml() <= 0) return "";
      return absl::StrCat("<= ", FormatNumber(product.max_endotoxin_eu_per_ml()), " EU/mL");
    case v1::QC_TEST_TYPE_VIABILITY: {
      const bool post_thaw = test.sample().sample_point() == v1::SAMPLE_POINT_POST_THAW;
      const double min = post_thaw ? product.min_post_thaw_viability_percent()
                                   : product.min_viability_percent();
      return min > 0 ? absl::StrCat(">= ", FormatNumber(min), "%") : "";
    }
    case v1::QC_TEST_TYPE_FLOW_CYTOMETRY: {
      std::vector<std::string> parts;
      for (const v1::MarkerLimit& m : product.marker_limits()) {
        if (m.min_percent() > 0) {
          parts.push_back(absl::StrCat(m.marker(), " >= ", FormatNumber(m.min_percent()), "%"));
        } else {
          parts.push_back(absl::StrCat(m.marker(), " <= ", FormatNumber(m.max_percent()), "%"));
        }
      }
      return absl::StrJoin(parts, ", ");
    }
    default:
      return "";
  }
}

}  // namespace cpctrack::report
