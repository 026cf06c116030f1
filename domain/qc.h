// Quality control: samples drawn from a batch, tests ordered on them, and
// their typed results. A test moves pending -> resulted -> reviewed (by a
// second person), or is invalidated for a lab error and retested. Results are
// never changed in place: a correction is a new result with a reason.
#ifndef CPCTRACK_DOMAIN_QC_H_
#define CPCTRACK_DOMAIN_QC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/din.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class SamplePoint {
  kUnspecified = 0,
  kAfterIsolation = 1,
  kPassage = 2,
  kFinalHarvest = 3,
  kFinalProduct = 4,
  kPostThaw = 5,
  kOther = 6,
};
enum class QcTestType {
  kUnspecified = 0,
  kSterility = 1,
  kMycoplasma = 2,
  kEndotoxin = 3,
  kGramStain = 4,
  kFlowCytometry = 5,
  kViability = 6,
};
enum class QcTestState { kPending = 1, kResulted = 2, kReviewed = 3, kInvalidated = 4 };
enum class Detection { kUnspecified = 0, kNegative = 1, kPositive = 2 };
enum class GramFinding { kUnspecified = 0, kNoOrganismsSeen = 1, kOrganismsSeen = 2 };

absl::string_view SamplePointName(SamplePoint point);
absl::string_view QcTestTypeName(QcTestType type);
absl::string_view QcTestStateName(QcTestState state);
absl::string_view DetectionName(Detection detection);
absl::string_view GramFindingName(GramFinding finding);

// Sterility and mycoplasma: a culture either grew something or not.
struct DetectionResult {
  Detection detection = Detection::kUnspecified;
  std::string organism;  // when identified; positive results only
};
struct EndotoxinResult {
  double eu_per_ml = 0;
};
struct GramStainResult {
  GramFinding finding = GramFinding::kUnspecified;
  std::string description;  // e.g. "Gram-positive cocci"
};
struct MarkerResult {
  std::string marker;  // canonical (CanonicalMarker)
  double percent_positive = 0;
};
struct FlowResult {
  std::vector<MarkerResult> markers;
};
struct ViabilityResult {
  double viability_percent = 0;
};
using QcValue =
    std::variant<DetectionResult, EndotoxinResult, GramStainResult, FlowResult, ViabilityResult>;

// InvalidArgument unless `value` is the kind of result a `type` test gives.
absl::Status CheckValueMatches(QcTestType type, const QcValue& value);
std::string DescribeValue(const QcValue& value);  // "POSITIVE (S. aureus)", "0.25 EU/mL"

struct QcResult {
  int64_t result_id = 0;  // 0 until stored
  absl::Time read_at = absl::InfinitePast();
  std::string performed_by;  // the user who records it
  std::string instrument_id;  // optional
  std::string kit_lot;        // optional: kit or reagent lot
  QcValue value;
  absl::Time recorded_at = absl::InfinitePast();
  int64_t corrects_result_id = 0;  // set on a correcting result
  std::string correction_reason;
};

struct QcReview {
  int64_t result_id = 0;  // the result reviewed
  absl::Time reviewed_at = absl::InfinitePast();
  std::string reviewed_by;
};

struct QcInvalidation {
  absl::Time invalidated_at = absl::InfinitePast();
  std::string invalidated_by;
  std::string reason;
};

// A look at a culture before its incubation has run ("no growth at 72 h"):
// shown with the test, never its result. Growth seen is a final POSITIVE.
struct InterimReading {
  int64_t reading_id = 0;  // 0 until stored
  absl::Time read_at = absl::InfinitePast();
  std::string note;  // e.g. "no growth at 72 h"
  std::string performed_by;
  absl::Time recorded_at = absl::InfinitePast();
};

struct QcSample {
  int64_t sample_id = 0;  // 0 until stored
  std::string batch_id;  // compact DIN
  SamplePoint point = SamplePoint::kUnspecified;
  std::string point_detail;  // e.g. "P2", "vial 03"
  absl::Time drawn_at = absl::InfinitePast();
  std::string drawn_by;
  absl::Time recorded_at = absl::InfinitePast();
};

struct QcTest {
  int64_t test_id = 0;  // 0 until stored
  int64_t sample_id = 0;
  QcTestType type = QcTestType::kUnspecified;
  std::string method;  // e.g. "USP <71> 14-day culture", "BacT/ALERT"
  absl::Time started_at = absl::InfinitePast();  // inoculated / started
  absl::Time ordered_at = absl::InfinitePast();
  std::string ordered_by;
  int64_t retest_of = 0;  // the invalidated test this one repeats
  std::vector<QcResult> results;  // in write order; the last is in effect
  std::vector<QcReview> reviews;  // in write order
  std::vector<InterimReading> interim_readings;  // in write order; never a result
  std::optional<QcInvalidation> invalidation;

  QcTestState State() const;
  const QcResult* Current() const;  // nullptr while pending
  const QcReview* CurrentReview() const;  // of Current(); nullptr if none
};

// True for a contamination signal: a positive sterility or mycoplasma result,
// or a Gram stain that sees organisms. The batch stops.
bool IsContamination(const QcValue& value);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_QC_H_
