#include "app/qc.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/followups.h"
#include "app/qualifications.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

// The test as stored now, the batch's state, and what the write opened.
absl::StatusOr<QcWrite> WriteResult(store::Transaction& tx, TestFacts& facts,
                                    StoredEffects effects) {
  ASSIGN_OR_RETURN(domain::QcTest test, tx.GetTest(facts.test.test_id));
  return QcWrite{std::move(facts.batch),
                 std::move(facts.sample),
                 std::move(test),
                 std::move(effects.opened),
                 std::move(effects.changed_unit_ids),
                 std::nullopt,
                 std::nullopt};
}

// Stores a new or correcting result and what it brings with it.
absl::StatusOr<QcWrite> StoreOutcome(store::Transaction& tx, const WriteContext& ctx,
                                     TestFacts& facts, domain::QcOutcome outcome,
                                     domain::AuditAction action) {
  const domain::StepContext step = ctx.step();
  domain::QcResult& result = outcome.result;
  RETURN_IF_ERROR(tx.InsertResult(facts.test.test_id, result));
  std::string old_value;
  if (const domain::QcResult* current = facts.test.Current(); current != nullptr) {
    old_value = domain::ToJson(*current);
  }
  std::string why = result.correction_reason;
  if (outcome.late_entry.has_value()) {
    outcome.late_entry->resource = absl::StrCat("qc/tests/", facts.test.test_id, "/result");
    ASSIGN_OR_RETURN(why, StoreLateEntry(tx, facts.batch.batch_id, *outcome.late_entry));
  }
  RETURN_IF_ERROR(AppendAudit(
      tx, ctx.now, ctx.user, action,
      absl::StrCat(TestResource(facts.batch, facts.test.test_id), "/results/", result.result_id),
      old_value, domain::ToJson(result), why, ctx.request_id));
  const std::string cause = absl::StrCat(domain::QcTestTypeName(facts.test.type), " test ",
                                         facts.test.test_id, " ",
                                         domain::DescribeValue(result.value));
  // Decided on the batch as it was before the quarantine this result brings.
  std::optional<domain::FollowUp> follow_up;
  if (domain::IsContamination(result.value)) {
    ASSIGN_OR_RETURN(std::optional<domain::Release> release,
                     tx.LatestRelease(facts.batch.batch_id));
    ASSIGN_OR_RETURN(std::vector<domain::InfusionOnRecord> infused,
                     tx.InfusionsOnRecord(facts.batch.batch_id));
    follow_up = domain::DecideFollowUp(facts.batch, release.has_value(), facts.sample,
                                       facts.test, result.value, infused, outcome.effects, step);
  }
  ASSIGN_OR_RETURN(StoredEffects effects,
                   StoreEffects(tx, facts.batch, std::move(outcome.effects), ctx.now, ctx.user,
                                cause, ctx.request_id));
  if (follow_up.has_value()) {
    for (const domain::Deviation& d : effects.opened) {
      if (d.kind == domain::DeviationKind::kPositiveTest) follow_up->deviation_id = d.deviation_id;
    }
    RETURN_IF_ERROR(StoreFollowUp(tx, ctx, *follow_up));
  }
  ASSIGN_OR_RETURN(QcWrite out, WriteResult(tx, facts, std::move(effects)));
  out.follow_up = std::move(follow_up);
  return out;
}

// Orders `orders` on `sample`; answers the new tests.
absl::StatusOr<std::vector<domain::QcTest>> StoreOrders(
    store::Transaction& tx, const WriteContext& ctx, const domain::Batch& batch,
    const domain::QcSample& sample, const std::vector<domain::TestOrder>& orders,
    const domain::Product& product) {
  ASSIGN_OR_RETURN(std::vector<domain::QcTest> existing, tx.LoadTests(batch.batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::OrderedTest> tests,
                   domain::DecideOrderTests(batch, sample, orders, existing, product, ctx.step()));
  for (const domain::OrderedTest& ordered : tests) {
    // A test not started yet is ordered today.
    const absl::Time at =
        ordered.test.started_at == absl::InfinitePast() ? ctx.now : ordered.test.started_at;
    RETURN_IF_ERROR(RequireQualified(tx, ctx.user, domain::Step::kQcOrder, at, ctx.zone));
  }
  std::vector<domain::QcTest> stored;
  for (domain::OrderedTest& ordered : tests) {
    domain::QcTest& t = ordered.test;
    RETURN_IF_ERROR(tx.InsertTest(t));
    std::string why;
    if (ordered.late_entry.has_value()) {
      ordered.late_entry->resource = absl::StrCat("qc/tests/", t.test_id);
      ASSIGN_OR_RETURN(why, StoreLateEntry(tx, batch.batch_id, *ordered.late_entry));
    }
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kQcOrderTest,
                                TestResource(batch, t.test_id), "", domain::ToJson(t), why,
                                ctx.request_id));
    stored.push_back(std::move(t));
  }
  return stored;
}

}  // namespace

absl::StatusOr<TestFacts> LoadTestFacts(store::Transaction& tx, int64_t test_id) {
  if (test_id <= 0) return absl::InvalidArgumentError("test_id: required");
  ASSIGN_OR_RETURN(std::string batch_id, tx.TestBatch(test_id));
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(domain::QcTest test, tx.GetTest(test_id));
  ASSIGN_OR_RETURN(domain::QcSample sample, tx.GetSample(test.sample_id));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(din));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  return TestFacts{std::move(batch), std::move(sample), std::move(test), std::move(units),
                   std::move(product)};
}

std::string TestResource(const domain::Batch& batch, int64_t test_id) {
  return absl::StrCat("batches/", batch.batch_id.compact(), "/qc_tests/", test_id);
}

absl::StatusOr<SampleTests> DrawSample(store::Transaction& tx, const WriteContext& ctx,
                                       const domain::Din& batch_id,
                                       const domain::QcSample& proposed,
                                       const std::vector<domain::TestOrder>& orders) {
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(batch_id));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records,
                   tx.LoadRecords(batch_id, domain::KindsReadByRules()));
  const domain::BatchHistory history(std::move(records));
  ASSIGN_OR_RETURN(domain::SampleDecision decision,
                   domain::DecideDrawSample(batch, history, proposed, product, ctx.step()));
  domain::QcSample& sample = decision.sample;
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kQcSample, sample.drawn_at, ctx.zone));
  RETURN_IF_ERROR(tx.InsertSample(sample));
  std::string why;
  if (decision.late_entry.has_value()) {
    decision.late_entry->resource = absl::StrCat("qc/samples/", sample.sample_id);
    ASSIGN_OR_RETURN(why, StoreLateEntry(tx, batch_id, *decision.late_entry));
  }
  RETURN_IF_ERROR(
      AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kQcDrawSample,
                  absl::StrCat("batches/", batch_id.compact(), "/samples/", sample.sample_id), "",
                  domain::ToJson(sample), why, ctx.request_id));
  SampleTests out{std::move(batch), std::move(sample), {}};
  if (orders.empty()) return out;
  ASSIGN_OR_RETURN(out.tests, StoreOrders(tx, ctx, out.batch, out.sample, orders, product));
  return out;
}

absl::StatusOr<SampleTests> OrderTests(store::Transaction& tx, const WriteContext& ctx,
                                       int64_t sample_id,
                                       const std::vector<domain::TestOrder>& orders) {
  if (sample_id <= 0) return absl::InvalidArgumentError("sample_id: required");
  ASSIGN_OR_RETURN(domain::QcSample sample, tx.GetSample(sample_id));
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(sample.batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  ASSIGN_OR_RETURN(std::vector<domain::QcTest> tests,
                   StoreOrders(tx, ctx, batch, sample, orders, product));
  return SampleTests{std::move(batch), std::move(sample), std::move(tests)};
}

absl::StatusOr<QcWrite> RecordResult(store::Transaction& tx, const WriteContext& ctx,
                                     int64_t test_id, const domain::QcResult& result) {
  ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, test_id));
  ASSIGN_OR_RETURN(domain::QcOutcome outcome,
                   domain::DecideRecordResult(facts.batch, facts.sample, facts.test, result,
                                              facts.units, facts.product, ctx.step()));
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kQcResult, result.read_at, ctx.zone));
  return StoreOutcome(tx, ctx, facts, std::move(outcome), domain::AuditAction::kQcRecordResult);
}

absl::StatusOr<QcWrite> RecordInterimReading(store::Transaction& tx, const WriteContext& ctx,
                                             int64_t test_id, const domain::QcResult& look,
                                             const std::string& note) {
  ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, test_id));
  ASSIGN_OR_RETURN(domain::InterimReading reading,
                   domain::DecideInterimReading(facts.batch, facts.test, look, note, ctx.step()));
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kQcResult, reading.read_at, ctx.zone));
  RETURN_IF_ERROR(tx.InsertInterimReading(facts.test.test_id, reading));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kQcRecordInterimReading,
                              absl::StrCat(TestResource(facts.batch, facts.test.test_id),
                                           "/interim-readings/", reading.reading_id),
                              "", domain::ToJson(reading), "", ctx.request_id));
  return WriteResult(tx, facts, {});
}

absl::StatusOr<QcWrite> CorrectResult(store::Transaction& tx, const WriteContext& ctx,
                                      int64_t test_id, const domain::QcResult& result,
                                      const std::string& reason) {
  ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, test_id));
  ASSIGN_OR_RETURN(domain::QcOutcome outcome,
                   domain::DecideCorrectResult(facts.batch, facts.sample, facts.test, result,
                                               reason, facts.units, facts.product, ctx.step()));
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kQcResult, result.read_at, ctx.zone));
  return StoreOutcome(tx, ctx, facts, std::move(outcome), domain::AuditAction::kQcCorrectResult);
}

absl::StatusOr<QcWrite> ReviewResult(store::Transaction& tx, const WriteContext& ctx,
                                     int64_t test_id) {
  ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, test_id));
  ASSIGN_OR_RETURN(domain::QcReview review,
                   domain::DecideReview(facts.batch, facts.test, ctx.step()));
  RETURN_IF_ERROR(tx.InsertReview(facts.test.test_id, review));
  const std::string resource = TestResource(facts.batch, facts.test.test_id);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kQcReviewResult,
                              resource, "", domain::ToJson(review), "", ctx.request_id));
  // Signed: the test, the very result reviewed and the review.
  const domain::QcResult* result = facts.test.Current();
  if (result == nullptr) return absl::InternalError("reviewed without a result");
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, ctx, domain::SignatureMeaning::kResultReviewed,
                                   absl::StrCat(resource, "/results/", result->result_id),
                                   absl::StrCat(domain::ToJson(facts.test), "\n",
                                                domain::ToJson(*result), "\n",
                                                domain::ToJson(review))));
  ASSIGN_OR_RETURN(QcWrite out, WriteResult(tx, facts, {}));
  out.signature = std::move(signature);
  return out;
}

absl::StatusOr<QcWrite> InvalidateTest(store::Transaction& tx, const WriteContext& ctx,
                                       int64_t test_id, const std::string& reason) {
  ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, test_id));
  ASSIGN_OR_RETURN(domain::QcInvalidation invalidation,
                   domain::DecideInvalidate(facts.batch, facts.test, reason, ctx.step()));
  RETURN_IF_ERROR(tx.InsertInvalidation(facts.test.test_id, invalidation));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kQcInvalidateTest,
                              TestResource(facts.batch, facts.test.test_id), "",
                              domain::ToJson(invalidation), invalidation.reason,
                              ctx.request_id));
  return WriteResult(tx, facts, {});
}

}  // namespace cpctrack::app
