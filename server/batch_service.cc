#include "server/batch_service.h"

#include "absl/strings/str_cat.h"
#include "domain/growth.h"
#include "domain/readiness.h"
#include "domain/status_macros.h"
#include "app/batch_steps.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

namespace {

void FillRecordResponse(const app::StepOutcome& out, v1::RecordResponse* response) {
  ToProto(out.batch.batch, out.batch.open_deviations, response->mutable_batch());
  ToProto(out.record, response->mutable_record());
  if (!out.late_entry_reason.empty()) {
    response->mutable_record()->set_late_entry_reason(out.late_entry_reason);
  }
  for (const domain::Deviation& d : out.opened_deviations) {
    ToProto(d, out.batch.batch.batch_id, response->add_opened_deviations());
  }
}

}  // namespace

grpc::ServerUnaryReactor* BatchService::CreateBatch(grpc::CallbackServerContext* ctx,
                                                    const v1::CreateBatchRequest* request,
                                                    v1::Batch* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    const app::NewBatch batch{request->patient_id(), request->product_code(),
                              config_.facility_code};
    return WriteOnce(store_, "CreateBatch", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Batch created, app::CreateBatch(tx, write, batch));
                       ToProto(created, 0, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* BatchService::GetBatch(grpc::CallbackServerContext* ctx,
                                                 const v1::GetBatchRequest* request,
                                                 v1::Batch* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      if (request->view() == v1::BATCH_VIEW_BASIC) {
        ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
        ASSIGN_OR_RETURN(std::vector<domain::Deviation> deviations, tx.LoadDeviations(din));
        ToProto(batch, app::OpenDeviationCount(deviations), response);
        response->set_quarantine_reason(app::QuarantineReason(deviations));
        response->set_non_conforming(
            domain::NonConformingText(domain::NonConformities(deviations)));
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(app::BatchFacts facts, app::LoadBatchFacts(tx, din, app::Records::kAll));
      ToProto(facts.batch, app::OpenDeviationCount(facts.deviations), response);
      response->set_quarantine_reason(app::QuarantineReason(facts.deviations));
      response->set_non_conforming(
          domain::NonConformingText(domain::NonConformities(facts.deviations)));
      ASSIGN_OR_RETURN(std::vector<domain::LateEntry> late, tx.LoadLateEntries(din));
      for (const domain::BatchRecord& r : facts.history.records()) {
        v1::BatchRecord* record = response->add_records();
        ToProto(r, record);
        const std::string resource = absl::StrCat("records/", r.record_id);
        for (const domain::LateEntry& e : late) {
          if (e.resource == resource) record->set_late_entry_reason(e.reason);
        }
      }
      for (const domain::LateEntry& e : late) ToProto(e, response->add_late_entries());
      ToProto(domain::SummarizeGrowth(facts.history.EffectiveData()), response->mutable_growth());
      ToProto(facts.product, response->mutable_product());
      for (const domain::Deviation& d : facts.deviations) {
        ToProto(d, din, response->add_deviations());
      }
      ASSIGN_OR_RETURN(std::vector<domain::QcSample> samples, tx.LoadSamples(din));
      ASSIGN_OR_RETURN(std::vector<domain::QcTest> tests, tx.LoadTests(din));
      for (const domain::QcTest& t : tests) {
        for (const domain::QcSample& s : samples) {
          if (s.sample_id == t.sample_id) {
            v1::QcTest* test = response->add_qc_tests();
            ToProto(t, s, facts.batch.patient_id, test);
            AddLateEntries(late, test);
          }
        }
      }
      ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(din));
      for (const domain::Unit& u : units) ToProto(u, response->add_units());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* BatchService::ListBatches(grpc::CallbackServerContext* ctx,
                                                    const v1::ListBatchesRequest* request,
                                                    v1::ListBatchesResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    store::BatchFilter filter;
    filter.patient_id = request->patient_id();
    if (request->state() != v1::BATCH_STATE_UNSPECIFIED) {
      ASSIGN_OR_RETURN(filter.state, FromProto(request->state()));
    }
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<store::BatchSummary> page,
                       tx.ListBatches(filter, after, limit));
      for (const store::BatchSummary& s : page.items) {
        v1::Batch* batch = response->add_batches();
        ToProto(s.batch, s.open_deviations, batch);
        batch->set_quarantine_reason(s.quarantine_reason);
      }
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

Reply BatchService::AppendStep(const Caller& caller, absl::string_view method,
                               domain::AuditAction action, const google::protobuf::Message& request,
                               absl::string_view request_id, absl::string_view batch_id,
                               absl::StatusOr<domain::RecordData> data,
                               absl::string_view late_entry_reason, v1::RecordResponse* response) {
  ASSIGN_OR_RETURN(app::WriteContext write,
                   WriteContextFor(caller, config_, request_id, late_entry_reason));
  ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(batch_id));
  if (!data.ok()) return data.status();
  return WriteOnce(store_, method, write.user, request, request_id, response,
                   [=, data = *std::move(data)](store::Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(app::StepOutcome out,
                                      app::AppendStep(tx, write, din, action, data));
                     FillRecordResponse(out, response);
                     return absl::OkStatus();
                   });
}

grpc::ServerUnaryReactor* BatchService::ReceiveTissue(grpc::CallbackServerContext* ctx,
                                                      const v1::ReceiveTissueRequest* request,
                                                      v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) {
    return AppendStep(caller, "ReceiveTissue", domain::AuditAction::kBatchReceiveTissue, *request,
                      request->request_id(), request->batch_id(),
                      FromProto(request->tissue_receipt()), request->late_entry_reason(), response);
  });
}

grpc::ServerUnaryReactor* BatchService::SeedCulture(grpc::CallbackServerContext* ctx,
                                                    const v1::SeedCultureRequest* request,
                                                    v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) {
    return AppendStep(caller, "SeedCulture", domain::AuditAction::kBatchSeedCulture, *request,
                      request->request_id(), request->batch_id(), FromProto(request->seeding()),
                      request->late_entry_reason(), response);
  });
}

grpc::ServerUnaryReactor* BatchService::RecordObservation(
    grpc::CallbackServerContext* ctx, const v1::RecordObservationRequest* request,
    v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) {
    return AppendStep(caller, "RecordObservation", domain::AuditAction::kBatchRecordObservation,
                      *request, request->request_id(), request->batch_id(),
                      FromProto(request->observation()), request->late_entry_reason(), response);
  });
}

grpc::ServerUnaryReactor* BatchService::RecordMediumChange(
    grpc::CallbackServerContext* ctx, const v1::RecordMediumChangeRequest* request,
    v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) {
    return AppendStep(caller, "RecordMediumChange", domain::AuditAction::kBatchRecordMediumChange,
                      *request, request->request_id(), request->batch_id(),
                      FromProto(request->medium_change()), request->late_entry_reason(), response);
  });
}

grpc::ServerUnaryReactor* BatchService::RecordPassage(grpc::CallbackServerContext* ctx,
                                                      const v1::RecordPassageRequest* request,
                                                      v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) {
    return AppendStep(caller, "RecordPassage", domain::AuditAction::kBatchRecordPassage, *request,
                      request->request_id(), request->batch_id(), FromProto(request->passage()),
                      request->late_entry_reason(), response);
  });
}

grpc::ServerUnaryReactor* BatchService::CorrectRecord(grpc::CallbackServerContext* ctx,
                                                      const v1::CorrectRecordRequest* request,
                                                      v1::RecordResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    ASSIGN_OR_RETURN(domain::RecordData data, FromProto(*request));
    return WriteOnce(store_, "CorrectRecord", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::StepOutcome out,
                                        app::CorrectRecord(tx, write, din, request->record_id(),
                                                           request->reason(), data));
                       FillRecordResponse(out, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* BatchService::DisposeBatch(grpc::CallbackServerContext* ctx,
                                                     const v1::DisposeBatchRequest* request,
                                                     v1::Batch* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    return WriteOnce(store_, "DisposeBatch", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::BatchState batch,
                                        app::DisposeBatch(tx, write, din, request->reason()));
                       ToProto(batch.batch, batch.open_deviations, response);
                       return absl::OkStatus();
                     });
  });
}

}  // namespace cpctrack::server
