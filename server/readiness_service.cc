#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "app/readiness.h"
#include "app/release.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/readiness_support.h"
#include "server/signatures.h"
#include "server/treatment_service.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* ReadinessService::GetReadiness(grpc::CallbackServerContext* ctx,
                                                         const v1::GetReadinessRequest* request,
                                                         v1::Readiness* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::unique_ptr<app::BatchReadiness> loaded,
                       app::LoadReadiness(tx, din, absl::Now(), config_.time_zone));
      ToProto(*loaded, domain::EvaluateReadiness(loaded->facts), response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* ReadinessService::GetBoard(grpc::CallbackServerContext* ctx,
                                                     const v1::GetBoardRequest* request,
                                                     v1::Board* response) {
  return Respond(ctx, [&]() -> absl::Status {
    const int days = request->days() == 0 ? 14 : request->days();
    if (days < 1 || days > 90) {
      return absl::InvalidArgumentError(absl::StrCat("days: must be 1 to 90, got ", days));
    }
    const absl::Time now = absl::Now();
    const absl::CivilDay from = absl::ToCivilDay(now, config_.time_zone);
    const absl::CivilDay to = from + (days - 1);
    response->set_from_date(domain::FormatDate(from));
    response->set_to_date(domain::FormatDate(to));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<store::PlannedInfusionRow> rows,
                       tx.ListPlannedInfusions(from, to));
      // One evaluation per batch, however many of its infusions are listed.
      struct Evaluated {
        std::unique_ptr<app::BatchReadiness> loaded;
        domain::Readiness readiness;
      };
      absl::flat_hash_map<std::string, Evaluated> by_batch;
      for (const store::PlannedInfusionRow& row : rows) {
        auto it = by_batch.find(row.plan.batch_id);
        if (it == by_batch.end()) {
          ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(row.plan.batch_id));
          ASSIGN_OR_RETURN(std::unique_ptr<app::BatchReadiness> loaded,
                           app::LoadReadiness(tx, din, now, config_.time_zone));
          Evaluated e{std::move(loaded), {}};
          e.readiness = domain::EvaluateReadiness(e.loaded->facts);
          it = by_batch.emplace(row.plan.batch_id, std::move(e)).first;
        }
        const Evaluated& e = it->second;
        const domain::Batch& batch = e.loaded->batch.batch;
        v1::BoardEntry* entry = response->add_entries();
        entry->set_planned_infusion_id(row.infusion.infusion_id);
        entry->set_planned_date(domain::FormatDate(row.infusion.planned_day));
        entry->set_sequence(row.infusion.sequence);
        entry->set_planned_count(static_cast<int>(row.plan.infusions.size()));
        entry->set_batch_id(batch.batch_id.compact());
        entry->set_patient_id(batch.patient_id);
        entry->set_batch_state(static_cast<v1::BatchState>(batch.state));
        entry->set_given(e.loaded->given.contains(row.infusion.infusion_id));
        entry->set_status(static_cast<v1::BoardStatus>(domain::StatusForPlannedDay(
            batch, e.readiness, row.infusion.planned_day, config_.time_zone)));
        for (std::string& reason : OpenCriteria(e.readiness)) entry->add_reasons(std::move(reason));
        entry->set_non_conforming(domain::NonConformingText(e.readiness.non_conformities));
        for (std::string& reason : domain::TestsAheadReasons(
                 e.readiness, row.infusion.planned_day, config_.time_zone)) {
          entry->add_reasons(std::move(reason));
        }
        if (e.readiness.projection.has_value() && e.readiness.projection->ready_at.has_value()) {
          ToProto(*e.readiness.projection->ready_at, entry->mutable_projected_ready_time());
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* ReadinessService::ReleaseBatch(grpc::CallbackServerContext* ctx,
                                                         const v1::ReleaseBatchRequest* request,
                                                         v1::ReleaseBatchResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    absl::StatusOr<domain::Din> confirm = domain::Din::Parse(request->confirm_batch_id());
    if (!confirm.ok() || !(*confirm == din)) {
      return absl::InvalidArgumentError(
          "confirm_batch_id: the signer must type or scan the batch ID again to sign its "
          "release, and it must be the same batch");
    }
    // A release is a signature: the signer's password, checked before the write.
    return VerifySigner(store_, *config_.password_pool, caller, request->signature(), absl::Now())
        .Then([=, this]() -> Reply {
          ASSIGN_OR_RETURN(app::WriteContext write,
                           WriteContextFor(caller, config_, request->request_id()));
          return WriteOnce(
              store_, "ReleaseBatch", write.user, *request, request->request_id(), response,
              [=](store::Transaction& tx) -> absl::Status {
                ASSIGN_OR_RETURN(app::ReleaseOutcome out, app::ReleaseBatch(tx, write, din));
                ToProto(out.signature, response->mutable_signature());
                ToProto(*out.readiness, domain::EvaluateReadiness(out.readiness->facts),
                        response->mutable_readiness());
                *response->mutable_release() = response->readiness().release();
                return absl::OkStatus();
              });
        });
  });
}

}  // namespace cpctrack::server
