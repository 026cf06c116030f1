#include "domain/qc_steps.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/overloaded.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

constexpr size_t kMaxText = 200;
constexpr size_t kMaxMarkers = 40;

std::string TestName(const QcTest& test) {
  return absl::StrCat(QcTestTypeName(test.type), " test ", test.test_id);
}

absl::Status ValidateValue(const QcValue& value) {
  return std::visit(
      Overloaded{
          [](const DetectionResult& r) -> absl::Status {
            if (r.detection != Detection::kNegative && r.detection != Detection::kPositive) {
              return absl::InvalidArgumentError("result.detection must be NEGATIVE or POSITIVE");
            }
            if (r.detection == Detection::kNegative && !r.organism.empty()) {
              return absl::InvalidArgumentError(
                  "result.organism is only for a POSITIVE result");
            }
            return CheckText("result.organism", r.organism, kMaxText, false);
          },
          [](const EndotoxinResult& r) {
            return CheckRange("result.endotoxin_eu_per_ml", r.eu_per_ml, 0, 1e6);
          },
          [](const GramStainResult& r) -> absl::Status {
            if (r.finding != GramFinding::kNoOrganismsSeen &&
                r.finding != GramFinding::kOrganismsSeen) {
              return absl::InvalidArgumentError(
                  "result.gram_stain must be NO_ORGANISMS_SEEN or ORGANISMS_SEEN");
            }
            return CheckText("result.gram_description", r.description, kMaxText, false);
          },
          [](const FlowResult& r) -> absl::Status {
            if (r.markers.empty() || r.markers.size() > kMaxMarkers) {
              return absl::InvalidArgumentError(absl::StrCat(
                  "result.markers: give 1 to ", kMaxMarkers, " markers, got ", r.markers.size()));
            }
            absl::flat_hash_set<std::string> seen;
            for (const MarkerResult& m : r.markers) {
              RETURN_IF_ERROR(CheckText("result.markers.marker", m.marker, 20, true));
              RETURN_IF_ERROR(CheckRange(absl::StrCat("result.markers[", m.marker, "]"),
                                         m.percent_positive, 0, 100));
              if (!seen.insert(m.marker).second) {
                return absl::InvalidArgumentError(
                    absl::StrCat("result.markers: ", m.marker, " is given twice"));
              }
            }
            return absl::OkStatus();
          },
          [](const ViabilityResult& r) {
            return CheckRange("result.viability_percent", r.viability_percent, 0, 100);
          },
      },
      value);
}

absl::Status ValidateResult(const QcTest& test, const QcResult& result, absl::Time now) {
  RETURN_IF_ERROR(CheckValueMatches(test.type, result.value));
  RETURN_IF_ERROR(ValidateValue(result.value));
  RETURN_IF_ERROR(CheckNotFuture("read_at", result.read_at, now));
  RETURN_IF_ERROR(CheckNotBefore("read_at", result.read_at, "the test's start",
                                 test.started_at));
  RETURN_IF_ERROR(CheckText("instrument_id", result.instrument_id, 100, false));
  return CheckText("kit_lot", result.kit_lot, 100, false);
}

// A final NEGATIVE culture exists only once the method's incubation has run
// (USP <71>: 14 days); a growth may be reported the moment it is seen.
absl::Status CheckIncubation(const QcTest& test, const QcResult& result, const Product& product) {
  if (!NeedsIncubation(test.type)) return absl::OkStatus();
  const auto* detection = std::get_if<DetectionResult>(&result.value);
  if (detection == nullptr || detection->detection != Detection::kNegative) {
    return absl::OkStatus();
  }
  const absl::Duration incubation = MinIncubation(product, test.type);
  const absl::Time readable_at = test.started_at + incubation;
  if (result.read_at >= readable_at) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "read_at: a final NEGATIVE ", QcTestTypeName(test.type), " result read at ",
      FormatUtc(result.read_at), " is before the end of its minimum incubation (",
      DescribeDuration(incubation), " from the start at ", FormatUtc(test.started_at),
      "); it can be read from ", FormatUtc(readable_at),
      ". Record an earlier look as an interim reading"));
}

absl::Status RefuseIfPositive(const QcTest& test, absl::string_view what) {
  const QcResult* current = test.Current();
  if (current == nullptr || !IsContamination(current->value)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      TestName(test), " is ", DescribeValue(current->value), "; a contamination signal cannot be ", what,
      ": QA overrides it only by closing its deviation with a disposition"));
}

// Quarantine and deviations a result brings with it.
absl::StatusOr<BatchEffects> Consequences(const Batch& batch, const QcSample& sample,
                                          const QcTest& test, const QcValue& value,
                                          const std::vector<Unit>& units,
                                          const Product& product, const StepContext& ctx) {
  BatchEffects effects;
  Deviation deviation;
  deviation.opened_at = ctx.now;
  deviation.opened_by = ctx.actor;
  deviation.qc_test_id = test.test_id;
  const std::string where = absl::StrCat(" (sample ", sample.sample_id, ", ",
                                         SamplePointName(sample.point), ")");
  if (IsContamination(value)) {
    ASSIGN_OR_RETURN(effects, Quarantine(batch, units));
    deviation.kind = DeviationKind::kPositiveTest;
    // "STERILITY test 7 POSITIVE (S. aureus)", "GRAM_STAIN test 9 ORGANISMS_SEEN (cocci)".
    deviation.description = absl::StrCat(TestName(test), " ", DescribeValue(value), where,
                                         "; batch and units quarantined");
    effects.deviations_to_open.push_back(std::move(deviation));
  } else if (std::optional<std::string> why = OutOfSpecification(value, sample.point, product.qc)) {
    deviation.kind = DeviationKind::kOutOfSpecification;
    deviation.description = absl::StrCat(TestName(test), " out of specification", where, ": ", *why);
    effects.deviations_to_open.push_back(std::move(deviation));
  }
  return effects;
}

absl::StatusOr<QcOutcome> DecideResult(const Batch& batch, const QcSample& sample,
                                       const QcTest& test, QcResult result,
                                       const std::vector<Unit>& units, const Product& product,
                                       const StepContext& ctx) {
  if (auto* flow = std::get_if<FlowResult>(&result.value)) {
    for (MarkerResult& m : flow->markers) m.marker = CanonicalMarker(m.marker);
  }
  RETURN_IF_ERROR(ValidateResult(test, result, ctx.now));
  RETURN_IF_ERROR(CheckIncubation(test, result, product));
  result.performed_by = ctx.actor;
  result.recorded_at = ctx.now;
  QcOutcome outcome;
  ASSIGN_OR_RETURN(outcome.effects,
                   Consequences(batch, sample, test, result.value, units, product, ctx));
  outcome.result = std::move(result);
  return outcome;
}

}  // namespace

absl::StatusOr<SampleDecision> DecideDrawSample(const Batch& batch, const BatchHistory& history,
                                                QcSample sample, const Product& product,
                                                const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  if (SamplePointName(sample.point) == "UNSPECIFIED") {
    return absl::InvalidArgumentError(
        "sample_point is required: AFTER_ISOLATION, PASSAGE, FINAL_HARVEST, FINAL_PRODUCT, "
        "POST_THAW or OTHER");
  }
  RETURN_IF_ERROR(CheckText("point_detail", sample.point_detail, 100, false));
  RETURN_IF_ERROR(CheckNotFuture("drawn_at", sample.drawn_at, ctx.now));
  for (const TissueReceipt* receipt : EffectiveOfKind<TissueReceipt>(history.Effective())) {
    RETURN_IF_ERROR(
        CheckNotBefore("drawn_at", sample.drawn_at, "the tissue receipt", receipt->receipt_time));
  }
  SampleDecision decision;
  ASSIGN_OR_RETURN(decision.late_entry,
                   CheckLateEntry("drawn_at", sample.drawn_at, product.max_entry_delay,
                                  ctx.late_entry_reason, ctx.now, ctx.actor));
  sample.batch_id = batch.batch_id.compact();
  sample.drawn_by = ctx.actor;
  sample.recorded_at = ctx.now;
  decision.sample = std::move(sample);
  return decision;
}

absl::StatusOr<std::vector<OrderedTest>> DecideOrderTests(const Batch& batch,
                                                          const QcSample& sample,
                                                          const std::vector<TestOrder>& orders,
                                                          const std::vector<QcTest>& batch_tests,
                                                          const Product& product,
                                                          const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  if (orders.empty() || orders.size() > 20) {
    return absl::InvalidArgumentError(
        absl::StrCat("tests: order 1 to 20 tests, got ", orders.size()));
  }
  absl::flat_hash_set<int64_t> retested;
  for (const QcTest& t : batch_tests) {
    if (t.retest_of != 0) retested.insert(t.retest_of);
  }
  std::vector<OrderedTest> tests;
  for (const TestOrder& order : orders) {
    if (QcTestTypeName(order.type) == "UNSPECIFIED") {
      return absl::InvalidArgumentError(
          "tests.type is required: STERILITY, MYCOPLASMA, ENDOTOXIN, GRAM_STAIN, "
          "FLOW_CYTOMETRY or VIABILITY");
    }
    const bool culture =
        order.type == QcTestType::kSterility || order.type == QcTestType::kMycoplasma;
    RETURN_IF_ERROR(CheckText("tests.method", order.method, kMaxText, culture));
    QcTest test;
    test.sample_id = sample.sample_id;
    test.type = order.type;
    test.method = order.method;
    test.started_at =
        order.started_at == absl::InfinitePast() ? sample.drawn_at : order.started_at;
    RETURN_IF_ERROR(CheckNotFuture("tests.started_at", test.started_at, ctx.now));
    RETURN_IF_ERROR(
        CheckNotBefore("tests.started_at", test.started_at, "the sample draw", sample.drawn_at));
    if (order.retest_of != 0) {
      const QcTest* original = nullptr;
      for (const QcTest& t : batch_tests) {
        if (t.test_id == order.retest_of) original = &t;
      }
      if (original == nullptr) {
        return absl::NotFoundError(absl::StrCat("tests.retest_of: test ", order.retest_of,
                                                " is not a test of batch ",
                                                batch.batch_id.compact()));
      }
      if (original->type != order.type) {
        return absl::InvalidArgumentError(absl::StrCat(
            "tests.retest_of: test ", order.retest_of, " is a ", QcTestTypeName(original->type),
            " test; a retest must be of the same type"));
      }
      if (original->State() != QcTestState::kInvalidated) {
        return absl::FailedPreconditionError(absl::StrCat(
            "tests.retest_of: ", TestName(*original), " is ",
            QcTestStateName(original->State()),
            "; only an invalidated test is retested (invalidate it first, with a reason)"));
      }
      if (!retested.insert(order.retest_of).second) {
        return absl::FailedPreconditionError(absl::StrCat(
            "tests.retest_of: ", TestName(*original), " already has a retest"));
      }
      test.retest_of = order.retest_of;
    }
    OrderedTest ordered;
    ASSIGN_OR_RETURN(ordered.late_entry,
                     CheckLateEntry("started_at", test.started_at, product.max_entry_delay,
                                    ctx.late_entry_reason, ctx.now, ctx.actor));
    test.ordered_at = ctx.now;
    test.ordered_by = ctx.actor;
    ordered.test = std::move(test);
    tests.push_back(std::move(ordered));
  }
  return tests;
}

absl::StatusOr<QcOutcome> DecideRecordResult(const Batch& batch, const QcSample& sample,
                                             const QcTest& test, QcResult result,
                                             const std::vector<Unit>& units,
                                             const Product& product, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  switch (test.State()) {
    case QcTestState::kPending: break;
    case QcTestState::kInvalidated:
      return absl::FailedPreconditionError(absl::StrCat(
          TestName(test), " was invalidated; order a retest (retest_of ", test.test_id, ")"));
    default:
      return absl::FailedPreconditionError(absl::StrCat(
          TestName(test), " already has a result; a change is a correction with a reason"));
  }
  result.corrects_result_id = 0;
  result.correction_reason.clear();
  ASSIGN_OR_RETURN(QcOutcome outcome,
                   DecideResult(batch, sample, test, std::move(result), units, product, ctx));
  ASSIGN_OR_RETURN(outcome.late_entry,
                   CheckLateEntry("read_at", outcome.result.read_at, product.max_entry_delay,
                                  ctx.late_entry_reason, ctx.now, ctx.actor));
  return outcome;
}

absl::StatusOr<QcOutcome> DecideCorrectResult(const Batch& batch, const QcSample& sample,
                                              const QcTest& test, QcResult result,
                                              std::string reason, const std::vector<Unit>& units,
                                              const Product& product, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 1000, true));
  if (test.State() == QcTestState::kInvalidated) {
    return absl::FailedPreconditionError(
        absl::StrCat(TestName(test), " was invalidated; its results stay as they are"));
  }
  if (test.Current() == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(TestName(test), " has no result to correct; record one first"));
  }
  RETURN_IF_ERROR(RefuseIfPositive(test, "corrected"));
  result.corrects_result_id = test.Current()->result_id;
  result.correction_reason = std::move(reason);
  return DecideResult(batch, sample, test, std::move(result), units, product, ctx);
}

absl::StatusOr<InterimReading> DecideInterimReading(const Batch& batch, const QcTest& test,
                                                    const QcResult& look, std::string note,
                                                    const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  if (!NeedsIncubation(test.type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interim: ", TestName(test), " has no incubation; record its result instead"));
  }
  const auto* detection = std::get_if<DetectionResult>(&look.value);
  if (detection == nullptr || detection->detection != Detection::kNegative) {
    return absl::InvalidArgumentError(
        "interim: an interim reading records no growth so far (detection NEGATIVE); growth "
        "seen is a final POSITIVE result, recorded as such at once");
  }
  InterimReading reading;
  reading.read_at = look.read_at;
  reading.note = std::move(note);
  if (test.State() != QcTestState::kPending) {
    return absl::FailedPreconditionError(absl::StrCat(
        TestName(test), " is ", QcTestStateName(test.State()),
        "; interim readings are recorded while the culture incubates"));
  }
  RETURN_IF_ERROR(CheckNotFuture("read_at", reading.read_at, ctx.now));
  RETURN_IF_ERROR(
      CheckNotBefore("read_at", reading.read_at, "the test's start", test.started_at));
  RETURN_IF_ERROR(CheckText("note", reading.note, kMaxText, false));
  reading.performed_by = ctx.actor;
  reading.recorded_at = ctx.now;
  return reading;
}

absl::StatusOr<QcReview> DecideReview(const Batch& batch, const QcTest& test,
                                      const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  if (test.State() != QcTestState::kResulted) {
    return absl::FailedPreconditionError(absl::StrCat(
        TestName(test), " is ", QcTestStateName(test.State()),
        "; only a recorded result awaiting review can be reviewed"));
  }
  if (test.Current()->performed_by == ctx.actor) {
    return absl::PermissionDeniedError(absl::StrCat(
        TestName(test), ": ", ctx.actor,
        " performed this result and cannot review it; a second person must"));
  }
  QcReview review;
  review.result_id = test.Current()->result_id;
  review.reviewed_at = ctx.now;
  review.reviewed_by = ctx.actor;
  return review;
}

absl::StatusOr<QcInvalidation> DecideInvalidate(const Batch& batch, const QcTest& test,
                                                std::string reason, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kRecordQc).status());
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 1000, true));
  if (test.State() == QcTestState::kInvalidated) {
    return absl::FailedPreconditionError(absl::StrCat(TestName(test), " is already invalidated"));
  }
  RETURN_IF_ERROR(RefuseIfPositive(test, "invalidated"));
  QcInvalidation invalidation;
  invalidation.invalidated_at = ctx.now;
  invalidation.invalidated_by = ctx.actor;
  invalidation.reason = std::move(reason);
  return invalidation;
}

std::optional<std::string> OutOfSpecification(const QcValue& value, SamplePoint point,
                                              const QcSpecification& spec) {
  return std::visit(
      Overloaded{
          [](const DetectionResult&) -> std::optional<std::string> { return std::nullopt; },
          [&](const EndotoxinResult& r) -> std::optional<std::string> {
            if (r.eu_per_ml <= spec.max_endotoxin_eu_per_ml) return std::nullopt;
            return absl::StrFormat("endotoxin %g EU/mL is above the limit %g EU/mL", r.eu_per_ml,
                                   spec.max_endotoxin_eu_per_ml);
          },
          [](const GramStainResult& r) -> std::optional<std::string> {
            if (r.finding != GramFinding::kOrganismsSeen) return std::nullopt;
            return absl::StrCat("Gram stain: organisms seen",
                                r.description.empty() ? "" : absl::StrCat(" (", r.description, ")"));
          },
          [&](const FlowResult& r) -> std::optional<std::string> {
            std::vector<std::string> out;
            for (const MarkerResult& m : r.markers) {
              for (const MarkerLimit& limit : spec.markers) {
                if (limit.marker != m.marker) continue;
                if (m.percent_positive < limit.min_percent) {
                  out.push_back(absl::StrFormat("%s %g%% is below %g%%", m.marker,
                                                m.percent_positive, limit.min_percent));
                } else if (m.percent_positive > limit.max_percent) {
                  out.push_back(absl::StrFormat("%s %g%% is above %g%%", m.marker,
                                                m.percent_positive, limit.max_percent));
                }
              }
            }
            if (out.empty()) return std::nullopt;
            return absl::StrJoin(out, "; ");
          },
          [&](const ViabilityResult& r) -> std::optional<std::string> {
            const double min = point == SamplePoint::kPostThaw
                                   ? spec.min_post_thaw_viability_percent
                                   : spec.min_viability_percent;
            if (r.viability_percent >= min) return std::nullopt;
            return absl::StrFormat("viability %g%% is below the minimum %g%%",
                                   r.viability_percent, min);
          },
      },
      value);
}

}  // namespace cpctrack::domain
