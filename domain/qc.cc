#include "domain/qc.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/overloaded.h"

namespace cpctrack::domain {

absl::string_view SamplePointName(SamplePoint point) {
  switch (point) {
    case SamplePoint::kAfterIsolation: return "AFTER_ISOLATION";
    case SamplePoint::kPassage: return "PASSAGE";
    case SamplePoint::kFinalHarvest: return "FINAL_HARVEST";
    case SamplePoint::kFinalProduct: return "FINAL_PRODUCT";
    case SamplePoint::kPostThaw: return "POST_THAW";
    case SamplePoint::kOther: return "OTHER";
    case SamplePoint::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::string_view QcTestTypeName(QcTestType type) {
  switch (type) {
    case QcTestType::kSterility: return "STERILITY";
    case QcTestType::kMycoplasma: return "MYCOPLASMA";
    case QcTestType::kEndotoxin: return "ENDOTOXIN";
    case QcTestType::kGramStain: return "GRAM_STAIN";
    case QcTestType::kFlowCytometry: return "FLOW_CYTOMETRY";
    case QcTestType::kViability: return "VIABILITY";
    case QcTestType::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::string_view QcTestStateName(QcTestState state) {
  switch (state) {
    case QcTestState::kPending: return "PENDING";
    case QcTestState::kResulted: return "RESULTED";
    case QcTestState::kReviewed: return "REVIEWED";
    case QcTestState::kInvalidated: return "INVALIDATED";
  }
  return "UNKNOWN";
}

absl::string_view DetectionName(Detection detection) {
  switch (detection) {
    case Detection::kNegative: return "NEGATIVE";
    case Detection::kPositive: return "POSITIVE";
    case Detection::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::string_view GramFindingName(GramFinding finding) {
  switch (finding) {
    case GramFinding::kNoOrganismsSeen: return "NO_ORGANISMS_SEEN";
    case GramFinding::kOrganismsSeen: return "ORGANISMS_SEEN";
    case GramFinding::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

absl::Status CheckValueMatches(QcTestType type, const QcValue& value) {
  const bool matches = std::visit(
      Overloaded{
          [&](const DetectionResult&) {
            return type == QcTestType::kSterility || type == QcTestType::kMycoplasma;
          },
          [&](const EndotoxinResult&) { return type == QcTestType::kEndotoxin; },
          [&](const GramStainResult&) { return type == QcTestType::kGramStain; },
          [&](const FlowResult&) { return type == QcTestType::kFlowCytometry; },
          [&](const ViabilityResult&) { return type == QcTestType::kViability; },
      },
      value);
  if (matches) return absl::OkStatus();
  static constexpr const char* kExpected[] = {
      "", "detection (negative/positive)", "detection (negative/positive)", "endotoxin (EU/mL)",
      "gram_stain", "flow markers", "viability (%)"};
  const int index = static_cast<int>(type);
  return absl::InvalidArgumentError(absl::StrCat(
      "result: a ", QcTestTypeName(type), " test takes a ",
      index > 0 && index <= 6 ? kExpected[index] : "known", " result, not ",
      DescribeValue(value)));
}

std::string DescribeValue(const QcValue& value) {
  return std::visit(
      Overloaded{
          [](const DetectionResult& r) {
            return r.organism.empty()
                       ? std::string(DetectionName(r.detection))
                       : absl::StrCat(DetectionName(r.detection), " (", r.organism, ")");
          },
          [](const EndotoxinResult& r) { return absl::StrFormat("%g EU/mL", r.eu_per_ml); },
          [](const GramStainResult& r) {
            return r.description.empty()
                       ? std::string(GramFindingName(r.finding))
                       : absl::StrCat(GramFindingName(r.finding), " (", r.description, ")");
          },
          [](const FlowResult& r) {
            std::vector<std::string> parts;
            for (const MarkerResult& m : r.markers) {
              parts.push_back(absl::StrFormat("%s %g%%", m.marker, m.percent_positive));
            }
            return absl::StrJoin(parts, ", ");
          },
          [](const ViabilityResult& r) {
            return absl::StrFormat("%g%% viable", r.viability_percent);
          },
      },
      value);
}

bool IsContamination(const QcValue& value) {
  if (const auto* g = std::get_if<GramStainResult>(&value)) {
    return g->finding == GramFinding::kOrganismsSeen;
  }
  const auto* d = std::get_if<DetectionResult>(&value);
  return d != nullptr && d->detection == Detection::kPositive;
}

const QcResult* QcTest::Current() const { return results.empty() ? nullptr : &results.back(); }

const QcReview* QcTest::CurrentReview() const {
  const QcResult* current = Current();
  if (current == nullptr) return nullptr;
  for (auto it = reviews.rbegin(); it != reviews.rend(); ++it) {
    if (it->result_id == current->result_id) return &*it;
  }
  return nullptr;
}

QcTestState QcTest::State() const {
  if (invalidation.has_value()) return QcTestState::kInvalidated;
  if (Current() == nullptr) return QcTestState::kPending;
  return CurrentReview() != nullptr ? QcTestState::kReviewed : QcTestState::kResulted;
}

}  // namespace cpctrack::domain
