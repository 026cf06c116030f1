#include "server/qc_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/followup.h"
#include "domain/qc_steps.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/followup_service.h"
#include "server/signatures.h"

namespace cpctrack::server {
namespace {

// Everything a decision about one test needs, loaded in the write's transaction.
struct TestFacts {
  domain::Batch batch;
  domain::QcSample sample;
  domain::QcTest test;
  std::vector<domain::Unit> units;
  domain::Product product;
};

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

// The test as stored now, the batch's state, and what the write opened.
absl::Status FillWriteResponse(store::Transaction& tx, const TestFacts& facts,
                               const StoredEffects& effects, v1::QcWriteResponse* response) {
  ASSIGN_OR_RETURN(domain::QcTest test, tx.GetTest(facts.test.test_id));
  ToProto(test, facts.sample, facts.batch.patient_id, response->mutable_test());
  response->set_batch_state(static_cast<v1::BatchState>(facts.batch.state));
  for (const domain::Deviation& d : effects.opened) {
    ToProto(d, facts.batch.batch_id, response->add_opened_deviations());
  }
  for (const std::string& id : effects.changed_unit_ids) response->add_quarantined_unit_ids(id);
  return absl::OkStatus();
}

// Stores a new or correcting result and what it brings with it.
absl::Status StoreOutcome(store::Transaction& tx, TestFacts& facts, domain::QcOutcome outcome,
                          domain::AuditAction action, const domain::StepContext& step,
                          absl::string_view request_id,
                          const std::vector<absl::Duration>& follow_up_deadlines,
                          v1::QcWriteResponse* response) {
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
      tx, step.now, step.actor, action,
      absl::StrCat(TestResource(facts.batch, facts.test.test_id), "/results/", result.result_id),
      old_value, domain::ToJson(result), why, request_id));
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
                   StoreEffects(tx, facts.batch, std::move(outcome.effects), step.now, step.actor,
                                cause, request_id));
  if (follow_up.has_value()) {
    for (const domain::Deviation& d : effects.opened) {
      if (d.kind == domain::DeviationKind::kPositiveTest) follow_up->deviation_id = d.deviation_id;
    }
    RETURN_IF_ERROR(StoreFollowUp(tx, *follow_up, step, request_id));
    ToProto(*follow_up, follow_up_deadlines, step.now, response->mutable_follow_up());
  }
  return FillWriteResponse(tx, facts, effects, response);
}

// An interim reading: on record with the test, never its result.
absl::Status StoreInterim(store::Transaction& tx, TestFacts& facts, const domain::QcResult& look,
                          const std::string& note, const domain::StepContext& step,
                          absl::string_view request_id, v1::QcWriteResponse* response) {
  ASSIGN_OR_RETURN(domain::InterimReading reading,
                   domain::DecideInterimReading(facts.batch, facts.test, look, note, step));
  RETURN_IF_ERROR(RequireQualified(tx, step.actor, domain::Step::kQcResult, reading.read_at,
                                   step.facility_zone));
  RETURN_IF_ERROR(tx.InsertInterimReading(facts.test.test_id, reading));
  RETURN_IF_ERROR(AppendAudit(tx, step.now, step.actor,
                              domain::AuditAction::kQcRecordInterimReading,
                              absl::StrCat(TestResource(facts.batch, facts.test.test_id),
                                           "/interim-readings/", reading.reading_id),
                              "", domain::ToJson(reading), "", request_id));
  return FillWriteResponse(tx, facts, StoredEffects{}, response);
}

absl::StatusOr<std::vector<domain::TestOrder>> Orders(
    const google::protobuf::RepeatedPtrField<v1::TestOrder>& tests) {
  std::vector<domain::TestOrder> orders;
  for (const v1::TestOrder& t : tests) {
    ASSIGN_OR_RETURN(domain::TestOrder order, FromProto(t));
    orders.push_back(std::move(order));
  }
  return orders;
}

// Orders `orders` on `sample` and answers with the new tests.
absl::Status StoreOrders(store::Transaction& tx, const domain::Batch& batch,
                         const domain::QcSample& sample,
                         const std::vector<domain::TestOrder>& orders,
                         const domain::Product& product, const domain::StepContext& step,
                         absl::string_view request_id,
                         google::protobuf::RepeatedPtrField<v1::QcTest>* out) {
  ASSIGN_OR_RETURN(std::vector<domain::QcTest> existing, tx.LoadTests(batch.batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::OrderedTest> tests,
                   domain::DecideOrderTests(batch, sample, orders, existing, product, step));
  for (const domain::OrderedTest& ordered : tests) {
    // A test not started yet is ordered today.
    const absl::Time at =
        ordered.test.started_at == absl::InfinitePast() ? step.now : ordered.test.started_at;
    RETURN_IF_ERROR(
        RequireQualified(tx, step.actor, domain::Step::kQcOrder, at, step.facility_zone));
  }
  for (domain::OrderedTest& ordered : tests) {
    domain::QcTest& t = ordered.test;
    RETURN_IF_ERROR(tx.InsertTest(t));
    std::string why;
    if (ordered.late_entry.has_value()) {
      ordered.late_entry->resource = absl::StrCat("qc/tests/", t.test_id);
      ASSIGN_OR_RETURN(why, StoreLateEntry(tx, batch.batch_id, *ordered.late_entry));
    }
    RETURN_IF_ERROR(AppendAudit(tx, step.now, step.actor, domain::AuditAction::kQcOrderTest,
                                TestResource(batch, t.test_id), "", domain::ToJson(t), why,
                                request_id));
    ToProto(t, sample, batch.patient_id, out->Add());
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* QcService::DrawSample(grpc::CallbackServerContext* ctx,
                                                const v1::DrawSampleRequest* request,
                                                v1::DrawSampleResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::QcSample proposed;
    ASSIGN_OR_RETURN(proposed.point, FromProto(request->sample_point()));
    proposed.point_detail = request->point_detail();
    proposed.drawn_at = FromProto(request->drawn_time());
    ASSIGN_OR_RETURN(std::vector<domain::TestOrder> orders, Orders(request->tests()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(
        store_, "DrawSample", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
          ASSIGN_OR_RETURN(domain::Product product,
                           tx.GetProduct(batch.product_code, batch.product_version));
          ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records, tx.LoadRecords(din, domain::KindsReadByRules()));
          const domain::BatchHistory history(std::move(records));
          ASSIGN_OR_RETURN(domain::SampleDecision decision,
                           domain::DecideDrawSample(batch, history, proposed, product, step));
          domain::QcSample& sample = decision.sample;
          RETURN_IF_ERROR(RequireQualified(tx, user, domain::Step::kQcSample, sample.drawn_at,
                                           config_.time_zone));
          RETURN_IF_ERROR(tx.InsertSample(sample));
          std::string why;
          if (decision.late_entry.has_value()) {
            decision.late_entry->resource = absl::StrCat("qc/samples/", sample.sample_id);
            ASSIGN_OR_RETURN(why, StoreLateEntry(tx, din, *decision.late_entry));
          }
          RETURN_IF_ERROR(
              AppendAudit(tx, step.now, user, domain::AuditAction::kQcDrawSample,
                          absl::StrCat("batches/", din.compact(), "/samples/", sample.sample_id),
                          "", domain::ToJson(sample), why, request->request_id()));
          ToProto(sample, response->mutable_sample());
          if (orders.empty()) return absl::OkStatus();
          return StoreOrders(tx, batch, sample, orders, product, step, request->request_id(),
                             response->mutable_tests());
        });
  });
}

grpc::ServerUnaryReactor* QcService::OrderTests(grpc::CallbackServerContext* ctx,
                                                const v1::OrderTestsRequest* request,
                                                v1::OrderTestsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    if (request->sample_id() <= 0) return absl::InvalidArgumentError("sample_id: required");
    ASSIGN_OR_RETURN(std::vector<domain::TestOrder> orders, Orders(request->tests()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(store_, "OrderTests", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::QcSample sample,
                                        tx.GetSample(request->sample_id()));
                       ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(sample.batch_id));
                       ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
                       ASSIGN_OR_RETURN(domain::Product product,
                                        tx.GetProduct(batch.product_code, batch.product_version));
                       return StoreOrders(tx, batch, sample, orders, product, step,
                                          request->request_id(), response->mutable_tests());
                     });
  });
}

grpc::ServerUnaryReactor* QcService::RecordResult(grpc::CallbackServerContext* ctx,
                                                  const v1::RecordResultRequest* request,
                                                  v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::QcResult result, FromProto(request->result()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                   request->late_entry_reason()};
    return WriteOnce(store_, "RecordResult", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, request->test_id()));
                       if (request->interim()) {
                         return StoreInterim(tx, facts, result, request->interim_note(), step,
                                             request->request_id(), response);
                       }
                       ASSIGN_OR_RETURN(domain::QcOutcome outcome,
                                        domain::DecideRecordResult(facts.batch, facts.sample,
                                                                   facts.test, result,
                                                                   facts.units, facts.product,
                                                                   step));
                       RETURN_IF_ERROR(RequireQualified(tx, user, domain::Step::kQcResult,
                                                        result.read_at, config_.time_zone));
                       return StoreOutcome(
                           tx, facts, std::move(outcome), domain::AuditAction::kQcRecordResult,
                           step, request->request_id(), config_.follow_up_deadlines, response);
                     });
  });
}

grpc::ServerUnaryReactor* QcService::CorrectResult(grpc::CallbackServerContext* ctx,
                                                   const v1::CorrectResultRequest* request,
                                                   v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::QcResult result, FromProto(request->result()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "CorrectResult", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, request->test_id()));
                       ASSIGN_OR_RETURN(
                           domain::QcOutcome outcome,
                           domain::DecideCorrectResult(facts.batch, facts.sample, facts.test,
                                                       result, request->reason(), facts.units,
                                                       facts.product, step));
                       RETURN_IF_ERROR(RequireQualified(tx, user, domain::Step::kQcResult,
                                                        result.read_at, config_.time_zone));
                       return StoreOutcome(
                           tx, facts, std::move(outcome), domain::AuditAction::kQcCorrectResult,
                           step, request->request_id(), config_.follow_up_deadlines, response);
                     });
  });
}

grpc::ServerUnaryReactor* QcService::ReviewResult(grpc::CallbackServerContext* ctx,
                                                  const v1::ReviewResultRequest* request,
                                                  v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    const std::string& user = caller.user;
    // A review is a signature: the reviewer's password, checked before the write.
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "ReviewResult", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, request->test_id()));
                       ASSIGN_OR_RETURN(domain::QcReview review,
                                        domain::DecideReview(facts.batch, facts.test, step));
                       RETURN_IF_ERROR(tx.InsertReview(facts.test.test_id, review));
                       RETURN_IF_ERROR(
                           AppendAudit(tx, step.now, user, domain::AuditAction::kQcReviewResult,
                                       TestResource(facts.batch, facts.test.test_id), "",
                                       domain::ToJson(review), "", request->request_id()));
                       // Signed: the test, the very result reviewed and the review.
                       const domain::QcResult* result = facts.test.Current();
                       if (result == nullptr) return absl::InternalError("reviewed without a result");
                       RETURN_IF_ERROR(
                           RecordSignature(
                               tx, caller, domain::SignatureMeaning::kResultReviewed,
                               absl::StrCat(TestResource(facts.batch, facts.test.test_id),
                                            "/results/", result->result_id),
                               absl::StrCat(domain::ToJson(facts.test), "\n",
                                            domain::ToJson(*result), "\n", domain::ToJson(review)),
                               step.now, request->request_id(), response->mutable_signature())
                               .status());
                       return FillWriteResponse(tx, facts, {}, response);
                     });
        });
  });
}

grpc::ServerUnaryReactor* QcService::InvalidateTest(grpc::CallbackServerContext* ctx,
                                                    const v1::InvalidateTestRequest* request,
                                                    v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "InvalidateTest", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, request->test_id()));
                       ASSIGN_OR_RETURN(domain::QcInvalidation invalidation,
                                        domain::DecideInvalidate(facts.batch, facts.test,
                                                                 request->reason(), step));
                       RETURN_IF_ERROR(tx.InsertInvalidation(facts.test.test_id, invalidation));
                       RETURN_IF_ERROR(AppendAudit(tx, step.now, user,
                                                   domain::AuditAction::kQcInvalidateTest,
                                                   TestResource(facts.batch, facts.test.test_id),
                                                   "", domain::ToJson(invalidation),
                                                   invalidation.reason, request->request_id()));
                       return FillWriteResponse(tx, facts, {}, response);
                     });
  });
}

grpc::ServerUnaryReactor* QcService::GetTest(grpc::CallbackServerContext* ctx,
                                             const v1::GetTestRequest* request,
                                             v1::QcTest* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(TestFacts facts, LoadTestFacts(tx, request->test_id()));
      ToProto(facts.test, facts.sample, facts.batch.patient_id, response);
      ASSIGN_OR_RETURN(std::vector<domain::LateEntry> late,
                       tx.LoadLateEntries(facts.batch.batch_id));
      AddLateEntries(late, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* QcService::ListTests(grpc::CallbackServerContext* ctx,
                                               const v1::ListTestsRequest* request,
                                               v1::ListTestsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    store::QcTestFilter filter;
    if (!request->batch_id().empty()) {
      ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
      filter.batch_id = din.compact();
    }
    for (int type : request->types()) {
      ASSIGN_OR_RETURN(domain::QcTestType t, FromProto(static_cast<v1::QcTestType>(type)));
      filter.types.push_back(t);
    }
    if (request->has_start_from()) filter.started_from = FromProto(request->start_from());
    if (request->has_start_before()) filter.started_before = FromProto(request->start_before());
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<store::QcTestRow> page, tx.ListTests(filter, after, limit));
      for (const store::QcTestRow& row : page.items) {
        ToProto(row.test, row.sample, row.patient_id, response->add_tests());
      }
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
