#include "server/qc_service.h"

#include <utility>
#include <vector>

#include "app/qc.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/signatures.h"

namespace cpctrack::server {
namespace {

// The test as a write leaves it, the batch's state, and what the write opened.
void FillWriteResponse(const app::QcWrite& out, const std::vector<absl::Duration>& deadlines,
                       absl::Time now, v1::QcWriteResponse* response) {
  ToProto(out.test, out.sample, out.batch.patient_id, response->mutable_test());
  response->set_batch_state(static_cast<v1::BatchState>(out.batch.state));
  for (const domain::Deviation& d : out.opened_deviations) {
    ToProto(d, out.batch.batch_id, response->add_opened_deviations());
  }
  for (const std::string& id : out.quarantined_unit_ids) response->add_quarantined_unit_ids(id);
  if (out.follow_up.has_value()) {
    ToProto(*out.follow_up, deadlines, now, response->mutable_follow_up());
  }
  if (out.signature.has_value()) ToProto(*out.signature, response->mutable_signature());
}

void TestsToProto(const app::SampleTests& drawn,
                  google::protobuf::RepeatedPtrField<v1::QcTest>* out) {
  for (const domain::QcTest& t : drawn.tests) {
    ToProto(t, drawn.sample, drawn.batch.patient_id, out->Add());
  }
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

}  // namespace

grpc::ServerUnaryReactor* QcService::DrawSample(grpc::CallbackServerContext* ctx,
                                                const v1::DrawSampleRequest* request,
                                                v1::DrawSampleResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    domain::QcSample proposed;
    ASSIGN_OR_RETURN(proposed.point, FromProto(request->sample_point()));
    proposed.point_detail = request->point_detail();
    proposed.drawn_at = FromProto(request->drawn_time());
    ASSIGN_OR_RETURN(std::vector<domain::TestOrder> orders, Orders(request->tests()));
    return WriteOnce(store_, "DrawSample", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::SampleTests drawn,
                                        app::DrawSample(tx, write, din, proposed, orders));
                       ToProto(drawn.sample, response->mutable_sample());
                       TestsToProto(drawn, response->mutable_tests());
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* QcService::OrderTests(grpc::CallbackServerContext* ctx,
                                                const v1::OrderTestsRequest* request,
                                                v1::OrderTestsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    if (request->sample_id() <= 0) return absl::InvalidArgumentError("sample_id: required");
    ASSIGN_OR_RETURN(std::vector<domain::TestOrder> orders, Orders(request->tests()));
    return WriteOnce(store_, "OrderTests", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::SampleTests ordered,
                                        app::OrderTests(tx, write, request->sample_id(), orders));
                       TestsToProto(ordered, response->mutable_tests());
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* QcService::RecordResult(grpc::CallbackServerContext* ctx,
                                                  const v1::RecordResultRequest* request,
                                                  v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write, WriteContextFor(caller, config_,
                                                              request->request_id(),
                                                              request->late_entry_reason()));
    ASSIGN_OR_RETURN(domain::QcResult result, FromProto(request->result()));
    return WriteOnce(store_, "RecordResult", write.user, *request, request->request_id(),
                     response, [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(
                           app::QcWrite out,
                           request->interim()
                               ? app::RecordInterimReading(tx, write, request->test_id(), result,
                                                           request->interim_note())
                               : app::RecordResult(tx, write, request->test_id(), result));
                       FillWriteResponse(out, config_.follow_up_deadlines, write.now, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* QcService::CorrectResult(grpc::CallbackServerContext* ctx,
                                                   const v1::CorrectResultRequest* request,
                                                   v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::QcResult result, FromProto(request->result()));
    return WriteOnce(store_, "CorrectResult", write.user, *request, request->request_id(),
                     response, [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::QcWrite out,
                                        app::CorrectResult(tx, write, request->test_id(), result,
                                                           request->reason()));
                       FillWriteResponse(out, config_.follow_up_deadlines, write.now, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* QcService::ReviewResult(grpc::CallbackServerContext* ctx,
                                                  const v1::ReviewResultRequest* request,
                                                  v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    // A review is a signature: the reviewer's password, checked before the write.
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request->request_id()));
          return WriteOnce(store_, "ReviewResult", write.user, *request, request->request_id(),
                           response, [=, this](store::Transaction& tx) -> absl::Status {
                             ASSIGN_OR_RETURN(app::QcWrite out,
                                              app::ReviewResult(tx, write, request->test_id()));
                             FillWriteResponse(out, config_.follow_up_deadlines, write.now,
                                               response);
                             return absl::OkStatus();
                           });
        });
  });
}

grpc::ServerUnaryReactor* QcService::InvalidateTest(grpc::CallbackServerContext* ctx,
                                                    const v1::InvalidateTestRequest* request,
                                                    v1::QcWriteResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    return WriteOnce(store_, "InvalidateTest", write.user, *request, request->request_id(),
                     response, [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::QcWrite out,
                                        app::InvalidateTest(tx, write, request->test_id(),
                                                            request->reason()));
                       FillWriteResponse(out, config_.follow_up_deadlines, write.now, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* QcService::GetTest(grpc::CallbackServerContext* ctx,
                                             const v1::GetTestRequest* request,
                                             v1::QcTest* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(app::TestFacts facts, app::LoadTestFacts(tx, request->test_id()));
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
