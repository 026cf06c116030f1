#include "domain/release_tests.h"

#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/plausibility.h"
#include "domain/qc_steps.h"

namespace cpctrack::domain {
namespace {

const QcSample* SampleOf(const ReadinessFacts& f, int64_t sample_id) {
  for (const QcSample& s : f.samples) {
    if (s.sample_id == sample_id) return &s;
  }
  return nullptr;
}

std::string TestLimit(QcTestType type, const QcSpecification& spec) {
  switch (type) {
    case QcTestType::kSterility:
    case QcTestType::kMycoplasma: return "NEGATIVE";
    case QcTestType::kEndotoxin: return absl::StrFormat("<= %g EU/mL", spec.max_endotoxin_eu_per_ml);
    case QcTestType::kGramStain: return "NO_ORGANISMS_SEEN";
    case QcTestType::kFlowCytometry: return "marker limits";
    case QcTestType::kViability: return absl::StrFormat(">= %g%%", spec.min_viability_percent);
    case QcTestType::kUnspecified: break;
  }
  return "";
}

// A test not ordered at `points`: pending while the batch still grows.
Criterion NotOrdered(Criterion c, const std::vector<SamplePoint>& points, bool growing) {
  c.status = growing ? CriterionStatus::kPending : CriterionStatus::kNotMet;
  c.value = absl::StrCat("not ordered at ", DescribePoints(points));
  return c;
}

// The latest "no growth" reading at least min_interim after the start.
const InterimReading* ReleasingReading(const QcTest& test, const RequiredTest& required) {
  const InterimReading* found = nullptr;
  for (const InterimReading& r : test.interim_readings) {
    if (r.read_at >= test.started_at + required.min_interim) found = &r;
  }
  return found;
}

// The criterion of a test that has a result on record.
void JudgeResult(const ReadinessFacts& f, const QcTest& test, const QcResult& result,
                 Criterion& c) {
  const QcSample* sample = SampleOf(f, test.sample_id);
  c.value = absl::StrCat(DescribeValue(result.value), " (test ", test.test_id, ")");
  if (IsContamination(result.value)) {
    c.status = CriterionStatus::kNotMet;
    return;
  }
  if (std::optional<std::string> why =
          OutOfSpecification(result.value, sample->point, f.product->qc)) {
    c.status = CriterionStatus::kNotMet;
    c.value = *why;
    CoverByPhysicianUse(c, PhysicianUse(f, DeviationKind::kOutOfSpecification, test.test_id));
    return;
  }
  if (test.State() != QcTestState::kReviewed) {
    c.value += ", awaiting review";
    return;
  }
  c.status = CriterionStatus::kMet;
}

Criterion ReleaseCriterion(const ReadinessFacts& f, const RequiredTest& required, bool growing,
                           std::optional<absl::Time>& due) {
  const std::vector<SamplePoint> points = ReleasePoints(required);
  Criterion c{CriterionName(required.type), CriterionStatus::kPending, "",
              TestLimit(required.type, f.product->qc)};
  const bool interim = required.basis == ReleaseBasis::kInterimReading;
  if (interim) {
    c.limit = absl::StrCat("no growth at >= ", DescribeDuration(required.min_interim),
                           " (interim), on ", DescribePoints(points));
  }
  const QcTest* test = LatestTestAt(f, required.type, points);
  if (test == nullptr) return NotOrdered(std::move(c), points, growing);
  if (const QcResult* result = test->Current()) {
    JudgeResult(f, *test, *result, c);
    return c;
  }
  if (interim) {
    if (const InterimReading* r = ReleasingReading(*test, required)) {
      c.status = CriterionStatus::kMet;
      c.value = absl::StrCat("no growth at ", DescribeDuration(r->read_at - test->started_at),
                             " (interim reading ", r->reading_id, " of test ", test->test_id,
                             ", ", SamplePointName(SampleOf(f, test->sample_id)->point),
                             "); final result due ",
                             FormatUtc(test->started_at + required.min_incubation));
      return c;
    }
    const absl::Time reading_due = test->started_at + required.min_interim;
    if (!due.has_value() || reading_due > *due) due = reading_due;
    c.value = absl::StrCat("test ", test->test_id, " incubating, interim reading due ",
                           FormatUtc(reading_due));
    return c;
  }
  const absl::Time result_due = test->started_at + required.min_incubation;
  if (!due.has_value() || result_due > *due) due = result_due;
  c.value = absl::StrCat("test ", test->test_id, " pending, result due ", FormatUtc(result_due));
  return c;
}

// An interim basis: the final result of the follow-up test is followed after
// release. Ordered is enough to release; a contamination signal is not.
Criterion FollowUpCriterion(const ReadinessFacts& f, const RequiredTest& required,
                            bool growing) {
  const std::vector<SamplePoint> points = FollowUpPoints(required);
  Criterion c{absl::StrCat(CriterionName(required.type), " (followed after release)"),
              CriterionStatus::kPending, "",
              absl::StrCat("ordered on ", DescribePoints(points), "; final ",
                           TestLimit(required.type, f.product->qc), " followed after release")};
  const QcTest* test = LatestTestAt(f, required.type, points);
  if (test == nullptr) return NotOrdered(std::move(c), points, growing);
  if (const QcResult* result = test->Current()) {
    JudgeResult(f, *test, *result, c);
    // Reviewed or not, a negative final result closes what was followed.
    if (c.status == CriterionStatus::kPending) c.status = CriterionStatus::kMet;
    return c;
  }
  c.status = CriterionStatus::kMet;
  c.value = absl::StrCat("followed after release: test ", test->test_id, " result due ",
                         FormatUtc(test->started_at + required.min_incubation));
  return c;
}

}  // namespace

std::string CriterionName(QcTestType type) {
  std::string out(QcTestTypeName(type));
  absl::AsciiStrToLower(&out);
  absl::c_replace(out, '_', ' ');
  return out;
}

const Deviation* PhysicianUse(const ReadinessFacts& f, DeviationKind kind, int64_t qc_test_id) {
  for (const Deviation& d : f.deviations) {
    if (d.kind != kind || !d.closure.has_value() ||
        d.closure->disposition != Disposition::kUseUnderPhysicianResponsibility) {
      continue;
    }
    if (qc_test_id == 0 || d.qc_test_id == qc_test_id) return &d;
  }
  return nullptr;
}

void CoverByPhysicianUse(Criterion& c, const Deviation* use) {
  if (use == nullptr || c.status != CriterionStatus::kNotMet) return;
  c.status = CriterionStatus::kNonConforming;
  absl::StrAppend(&c.value, "; releasable as non-conforming under ",
                  DescribeNonConformity({use->deviation_id, use->description,
                                         use->closure->physician}));
}

const QcTest* LatestTestAt(const ReadinessFacts& f, QcTestType type,
                           const std::vector<SamplePoint>& points) {
  const QcTest* latest = nullptr;
  for (const QcTest& t : f.tests) {
    if (t.type != type || t.State() == QcTestState::kInvalidated) continue;
    const QcSample* s = SampleOf(f, t.sample_id);
    if (s == nullptr || !absl::c_linear_search(points, s->point)) continue;
    if (latest == nullptr || t.test_id > latest->test_id) latest = &t;
  }
  return latest;
}

std::vector<Criterion> RequiredTestCriteria(const ReadinessFacts& f, const RequiredTest& required,
                                            bool growing, std::optional<absl::Time>& due) {
  std::vector<Criterion> out{ReleaseCriterion(f, required, growing, due)};
  if (required.basis == ReleaseBasis::kInterimReading) {
    out.push_back(FollowUpCriterion(f, required, growing));
  }
  return out;
}

std::optional<TestAhead> TestAheadOf(const ReadinessFacts& f, const RequiredTest& required,
                                     const std::optional<Projection>& projection) {
  const bool interim = required.basis == ReleaseBasis::kInterimReading;
  const absl::Duration wait = interim ? required.min_interim : required.min_incubation;
  const std::string what =
      absl::StrCat(DescribeDuration(wait), interim ? " (interim reading)" : "");
  const QcTest* test = LatestTestAt(f, required.type, ReleasePoints(required));
  if (test != nullptr) {
    if (test->Current() != nullptr) return std::nullopt;
    if (interim && ReleasingReading(*test, required) != nullptr) return std::nullopt;
    return TestAhead{required.type, test->started_at + wait,
                     absl::StrCat("test ", test->test_id, " started ",
                                  FormatUtc(test->started_at), " + ", what)};
  }
  if (!projection.has_value() || !projection->ready_at.has_value()) return std::nullopt;
  return TestAhead{required.type, *projection->ready_at + wait,
                   absl::StrCat("projected harvest ", FormatUtc(*projection->ready_at), " + ",
                                what)};
}

RecordPart PartInRecord(const ReadinessFacts& f, const QcSample& sample, const QcTest& test) {
  const RequiredTest* required = FindRequiredTest(*f.product, test.type);
  if (required != nullptr) {
    const std::vector<SamplePoint> follow = FollowUpPoints(*required);
    if (absl::c_linear_search(follow, sample.point) &&
        !absl::c_linear_search(ReleasePoints(*required), sample.point)) {
      return RecordPart::kOrder;
    }
    if (absl::c_linear_search(ReleasePoints(*required), sample.point)) return RecordPart::kAll;
  }
  // The final harvest and product have always been in the record.
  return CountsForRelease(sample.point) ? RecordPart::kAll : RecordPart::kNone;
}

}  // namespace cpctrack::domain
