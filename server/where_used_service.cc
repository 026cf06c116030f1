// ReportService's where-used calls: where_used_support.h finds the uses (the
// same search the excursions reach their batches with); this maps them.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "domain/where_used.h"
#include "server/api_mapping.h"
#include "server/report_service.h"
#include "server/where_used_support.h"

namespace cpctrack::server {
namespace {

// Most entries a user where-used answers with.
constexpr int kMaxActions = 1000;

void Fill(std::vector<domain::Use> uses, bool truncated, v1::WhereUsed* out) {
  domain::SortUses(uses);
  absl::flat_hash_set<std::string> batches;
  for (const domain::Use& u : uses) {
    v1::Use* p = out->add_uses();
    p->set_kind(static_cast<v1::UseKind>(u.kind));
    p->set_batch_id(u.batch_id);
    p->set_resource(u.resource);
    ToProto(u.at, p->mutable_time());
    if (u.until != absl::InfinitePast()) ToProto(u.until, p->mutable_until_time());
    p->set_by(u.by);
    p->set_detail(u.detail);
    p->set_direct(u.direct);
    if (!u.batch_id.empty()) batches.insert(u.batch_id);
  }
  out->set_batch_count(static_cast<int>(batches.size()));
  out->set_truncated(truncated);
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetLotWhereUsed(grpc::CallbackServerContext* ctx,
                                                         const v1::GetLotWhereUsedRequest* request,
                                                         v1::WhereUsed* response) {
  return Respond(ctx, [&]() -> absl::Status {
    if (request->lot_number().empty()) return absl::InvalidArgumentError("lot_number: required");
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::Use> uses, app::LotUses(tx, request->lot_number()));
      RETURN_IF_ERROR(app::AddDownstream(tx, uses));
      Fill(std::move(uses), false, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* ReportService::GetEquipmentWhereUsed(
    grpc::CallbackServerContext* ctx, const v1::GetEquipmentWhereUsedRequest* request,
    v1::WhereUsed* response) {
  return Respond(ctx, [&]() -> absl::Status {
    if (request->equipment_id().empty()) {
      return absl::InvalidArgumentError("equipment_id: required");
    }
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(app::Window window,
                     ReadWindow(request->has_from_time() ? &request->from_time() : nullptr,
                                request->has_to_time() ? &request->to_time() : nullptr, now));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<domain::Use> uses,
                       app::EquipmentUses(tx, request->equipment_id(), window, now));
      RETURN_IF_ERROR(app::AddDownstream(tx, uses));
      Fill(std::move(uses), false, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* ReportService::GetUserWhereUsed(grpc::CallbackServerContext* ctx,
                                                          const v1::GetUserWhereUsedRequest* request,
                                                          v1::WhereUsed* response) {
  return Respond(ctx, [&]() -> absl::Status {
    if (request->user().empty()) return absl::InvalidArgumentError("user: required");
    ASSIGN_OR_RETURN(app::Window window,
                     ReadWindow(request->has_from_time() ? &request->from_time() : nullptr,
                                request->has_to_time() ? &request->to_time() : nullptr,
                                absl::Now()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.GetUser(request->user()).status());
      ASSIGN_OR_RETURN(std::vector<domain::Use> uses,
                       tx.UserActions(request->user(), window.from, window.to, kMaxActions + 1));
      const bool truncated = uses.size() > static_cast<size_t>(kMaxActions);
      if (truncated) uses.resize(kMaxActions);
      Fill(std::move(uses), truncated, response);
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
