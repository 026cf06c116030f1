// ReportService's where-used calls: the store finds the uses by index, the
// domain says how long a culture sat in an incubator, and this maps them.
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

namespace cpctrack::server {
namespace {

// Most entries a user where-used answers with.
constexpr int kMaxActions = 1000;

struct Window {
  absl::Time from;
  absl::Time to;
};

absl::StatusOr<Window> ReadWindow(const google::protobuf::Timestamp* from,
                                  const google::protobuf::Timestamp* to, absl::Time now) {
  Window w{from != nullptr ? FromProto(*from) : absl::UnixEpoch(),
           to != nullptr ? FromProto(*to) : now};
  if (w.to < w.from) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_time: ", domain::FormatUtc(w.to), " is before from_time (",
        domain::FormatUtc(w.from), ")"));
  }
  return w;
}

// Adds the units and infusions of every batch among `uses` (once each).
absl::Status AddDownstream(store::Transaction& tx, std::vector<domain::Use>& uses) {
  absl::flat_hash_set<std::string> batches;
  // A unit made with the lot itself is already listed, as direct.
  absl::flat_hash_set<std::string> listed;
  for (const domain::Use& u : uses) {
    if (!u.batch_id.empty()) batches.insert(u.batch_id);
    listed.insert(u.resource);
  }
  std::vector<std::string> sorted(batches.begin(), batches.end());
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& id : sorted) {
    ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(id));
    ASSIGN_OR_RETURN(std::vector<domain::Use> downstream, tx.BatchDownstream(din));
    for (domain::Use& d : downstream) {
      if (listed.insert(d.resource).second) uses.push_back(std::move(d));
    }
  }
  return absl::OkStatus();
}

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

// The stays of one batch's culture in `incubator` that meet the window.
absl::Status AddIncubations(store::Transaction& tx, const std::string& batch_id,
                            const std::string& incubator, const Window& window, absl::Time now,
                            std::vector<domain::Use>& uses) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records, tx.LoadRecords(din));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(din));
  // The culture ends when its first units are made (or at its final harvest,
  // which IncubatorStays knows); until then it is still in the incubator.
  absl::Time culture_end = now;
  for (const domain::Unit& u : units) culture_end = std::min(culture_end, u.frozen_at);
  const domain::BatchHistory history(std::move(records));
  for (const domain::IncubatorStay& stay : domain::IncubatorStays(history, culture_end)) {
    if (stay.incubator_id != incubator ||
        !domain::InWindow(stay.from, stay.until, window.from, window.to)) {
      continue;
    }
    uses.push_back(domain::Use{
        .kind = domain::UseKind::kIncubation, .batch_id = batch_id,
        .resource = absl::StrCat("records/", stay.record_id), .at = stay.from,
        .until = stay.until, .by = "",
        .detail = absl::StrCat("in ", incubator, " from ", stay.started_by, " until ",
                               domain::FormatUtc(stay.until))});
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetLotWhereUsed(grpc::CallbackServerContext* ctx,
                                                         const v1::GetLotWhereUsedRequest* request,
                                                         v1::WhereUsed* response) {
  return Respond(ctx, [&]() -> absl::Status {
    if (request->lot_number().empty()) return absl::InvalidArgumentError("lot_number: required");
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.GetReagentLot(request->lot_number()).status());
      ASSIGN_OR_RETURN(std::vector<domain::Use> uses, tx.LotUses(request->lot_number()));
      RETURN_IF_ERROR(AddDownstream(tx, uses));
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
    ASSIGN_OR_RETURN(Window window,
                     ReadWindow(request->has_from_time() ? &request->from_time() : nullptr,
                                request->has_to_time() ? &request->to_time() : nullptr, now));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::Equipment equipment, tx.GetEquipment(request->equipment_id()));
      ASSIGN_OR_RETURN(std::vector<domain::Use> uses,
                       tx.EquipmentMomentUses(equipment.equipment_id, window.from, window.to));
      ASSIGN_OR_RETURN(std::vector<std::string> cultured,
                       tx.BatchesInIncubator(equipment.equipment_id,
                                             window.from - domain::kLongestIncubatorStay,
                                             window.to));
      for (const std::string& batch_id : cultured) {
        RETURN_IF_ERROR(
            AddIncubations(tx, batch_id, equipment.equipment_id, window, now, uses));
      }
      RETURN_IF_ERROR(AddDownstream(tx, uses));
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
    ASSIGN_OR_RETURN(Window window,
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
