// Decisions for QC writes. Pure: the caller loads the batch, its tests and
// units, and stores the decision (record + effects) in one transaction.
#ifndef CPCTRACK_DOMAIN_QC_STEPS_H_
#define CPCTRACK_DOMAIN_QC_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/late_entry.h"
#include "domain/product.h"
#include "domain/qc.h"
#include "domain/quarantine.h"
#include "domain/units.h"

namespace cpctrack::domain {

struct TestOrder {
  QcTestType type = QcTestType::kUnspecified;
  std::string method;  // required for sterility and mycoplasma
  // When the test was started (inoculated); InfinitePast means "when drawn".
  absl::Time started_at = absl::InfinitePast();
  int64_t retest_of = 0;  // an invalidated test of the same type and batch
};

// Each QC record describes a time (drawn_at, started_at, read_at): recorded
// more than the product's max_entry_delay after it, it needs
// ctx.late_entry_reason and makes a late entry (late_entry.h), whose
// resource the caller sets once the record has its ID.

struct SampleDecision {
  QcSample sample;
  std::optional<LateEntry> late_entry;  // "qc/samples/<id>"
};

// A sample drawn from `batch`; fills drawn_by and recorded_at. A sample is
// not drawn before the tissue was received (the receipt in `history`).
absl::StatusOr<SampleDecision> DecideDrawSample(const Batch& batch, const BatchHistory& history,
                                                QcSample sample, const Product& product,
                                                const StepContext& ctx);

struct OrderedTest {
  QcTest test;
  std::optional<LateEntry> late_entry;  // "qc/tests/<id>": its start recorded late
};

// Tests ordered on `sample`; `batch_tests` are every test of the batch (for
// retests). Fills ordered_by/ordered_at and defaults started_at.
absl::StatusOr<std::vector<OrderedTest>> DecideOrderTests(const Batch& batch,
                                                          const QcSample& sample,
                                                          const std::vector<TestOrder>& orders,
                                                          const std::vector<QcTest>& batch_tests,
                                                          const Product& product,
                                                          const StepContext& ctx);

struct QcOutcome {
  QcResult result;
  // Positive sterility/mycoplasma: quarantine and a deviation; out of
  // specification: a deviation.
  BatchEffects effects;
  // A first result read long before it is recorded ("qc/tests/<id>/result");
  // a correction says why in its own reason.
  std::optional<LateEntry> late_entry;
};

// The first result of a pending test; the actor is its performer. A final
// NEGATIVE sterility or mycoplasma result read before the test's start + the
// product's minimum incubation is refused, saying when it can be read.
absl::StatusOr<QcOutcome> DecideRecordResult(const Batch& batch, const QcSample& sample,
                                             const QcTest& test, QcResult result,
                                             const std::vector<Unit>& units,
                                             const Product& product, const StepContext& ctx);

// A result superseding the test's current one, for `reason`. A positive
// result is never corrected: QA overrides it through its deviation.
absl::StatusOr<QcOutcome> DecideCorrectResult(const Batch& batch, const QcSample& sample,
                                              const QcTest& test, QcResult result,
                                              std::string reason, const std::vector<Unit>& units,
                                              const Product& product, const StepContext& ctx);

// A look at a sterility or mycoplasma culture still incubating, recorded at
// any time and never counted as its result: `look` is when it was read and
// must say NEGATIVE (no growth so far; growth is a final POSITIVE result).
absl::StatusOr<InterimReading> DecideInterimReading(const Batch& batch, const QcTest& test,
                                                    const QcResult& look, std::string note,
                                                    const StepContext& ctx);

// Review of the current result by a second person.
absl::StatusOr<QcReview> DecideReview(const Batch& batch, const QcTest& test,
                                      const StepContext& ctx);

// The test was spoiled by a lab error; it stays on record and a retest is
// ordered with retest_of. A positive result cannot be invalidated.
absl::StatusOr<QcInvalidation> DecideInvalidate(const Batch& batch, const QcTest& test,
                                                std::string reason, const StepContext& ctx);

// Why `value` is out of the product's specification, or nullopt if within.
// Positive detections are not "out of specification": they quarantine.
std::optional<std::string> OutOfSpecification(const QcValue& value, SamplePoint point,
                                              const QcSpecification& spec);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_QC_STEPS_H_
