// QC's writes: samples drawn, tests ordered on them, results recorded,
// corrected, reviewed (signed) and tests invalidated. Each loads the facts
// the domain needs in the caller's write transaction, asks the domain to
// decide (domain/qc_steps.h) and stores the decision with its audit entries,
// late entries, batch effects (a positive quarantines) and, for a positive
// after release, the follow-up case it opens.
#ifndef CPCTRACK_APP_QC_H_
#define CPCTRACK_APP_QC_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/batch.h"
#include "domain/followup.h"
#include "domain/product.h"
#include "domain/qc_steps.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// Everything a decision about one test needs.
struct TestFacts {
  domain::Batch batch;
  domain::QcSample sample;
  domain::QcTest test;
  std::vector<domain::Unit> units;
  domain::Product product;
};

// InvalidArgument "test_id: required" for an ID <= 0; NotFound for an
// unknown test. Also for reads.
absl::StatusOr<TestFacts> LoadTestFacts(store::Transaction& tx, int64_t test_id);

// "batches/A9999260000018/qc_tests/7": a test's audit resource.
std::string TestResource(const domain::Batch& batch, int64_t test_id);

// A sample with the tests ordered on it by one write.
struct SampleTests {
  domain::Batch batch;  // whose patient the tests show
  domain::QcSample sample;
  std::vector<domain::QcTest> tests;  // the new ones, with their IDs
};

// Draws `proposed` (point, point_detail, drawn_at) from the batch and orders
// `orders` on it (none: the sample only). ctx.late_entry_reason covers a
// draw or a start recorded late.
absl::StatusOr<SampleTests> DrawSample(store::Transaction& tx, const WriteContext& ctx,
                                       const domain::Din& batch_id,
                                       const domain::QcSample& proposed,
                                       const std::vector<domain::TestOrder>& orders);

// Orders `orders` on sample `sample_id` (InvalidArgument "sample_id:
// required" for an ID <= 0).
absl::StatusOr<SampleTests> OrderTests(store::Transaction& tx, const WriteContext& ctx,
                                       int64_t sample_id,
                                       const std::vector<domain::TestOrder>& orders);

// What a write on one test leaves.
struct QcWrite {
  domain::Batch batch;  // in its state after the write
  domain::QcSample sample;
  domain::QcTest test;  // as stored now, with its results, reviews, readings
  std::vector<domain::Deviation> opened_deviations;  // with their IDs
  std::vector<std::string> quarantined_unit_ids;
  std::optional<domain::FollowUp> follow_up;  // a positive after release opened one
  std::optional<domain::Signature> signature;  // a review's
};

// Records `result` as test `test_id`'s result (ctx.late_entry_reason for one
// read long before).
absl::StatusOr<QcWrite> RecordResult(store::Transaction& tx, const WriteContext& ctx,
                                     int64_t test_id, const domain::QcResult& result);

// Records `look` as an interim reading of test `test_id` (on record with the
// test, never its result), with `note`.
absl::StatusOr<QcWrite> RecordInterimReading(store::Transaction& tx, const WriteContext& ctx,
                                             int64_t test_id, const domain::QcResult& look,
                                             const std::string& note);

// Replaces test `test_id`'s current result by `result`, for `reason`.
absl::StatusOr<QcWrite> CorrectResult(store::Transaction& tx, const WriteContext& ctx,
                                      int64_t test_id, const domain::QcResult& result,
                                      const std::string& reason);

// ctx.user reviews test `test_id`'s current result and signs the review
// (the test, the very result reviewed and the review). The signer's password
// is checked before the write.
absl::StatusOr<QcWrite> ReviewResult(store::Transaction& tx, const WriteContext& ctx,
                                     int64_t test_id);

// Invalidates test `test_id` for `reason` (a retest may follow).
absl::StatusOr<QcWrite> InvalidateTest(store::Transaction& tx, const WriteContext& ctx,
                                       int64_t test_id, const std::string& reason);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_QC_H_
