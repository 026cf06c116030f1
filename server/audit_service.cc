#include "server/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "app/audit_records.h"
#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"

namespace cpctrack::server {
namespace {

void HeadToProto(const domain::AuditHead& head, v1::AuditHead* out) {
  out->set_entry_count(head.entries);
  out->set_hash(head.hash);
}

void RowToProto(const store::AuditRow& row, v1::AuditEntry* out) {
  const domain::AuditEntry& e = row.entry;
  out->set_sequence(e.sequence);
  ToProto(e.at, out->mutable_time());
  out->set_actor(e.actor);
  out->set_action(e.action);
  out->set_resource(e.resource);
  out->set_old_value(e.old_value);
  out->set_new_value(e.new_value);
  out->set_reason(e.reason);
  out->set_request_id(e.request_id);
  out->set_hash(row.hash);
}

struct Export {
  store::AuditFilter filter;
  std::string filter_json;  // what the export's audit entry records
};

absl::StatusOr<Export> ReadFilter(const v1::AuditFilter& in) {
  Export out;
  if (!in.batch_id().empty()) {
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(in.batch_id()));
    out.filter.batch_id = din.compact();
  }
  RETURN_IF_ERROR(domain::ValidateAuditFilter(in.user(), in.action()));
  out.filter.actor = in.user();
  out.filter.action = in.action();
  if (in.has_start_time()) out.filter.from = FromProto(in.start_time());
  if (in.has_end_time()) out.filter.before = FromProto(in.end_time());
  if (out.filter.before <= out.filter.from) {
    return absl::InvalidArgumentError("filter.end_time: must be after filter.start_time");
  }
  domain::JsonObject json;
  json.Add("batch_id", out.filter.batch_id).Add("user", out.filter.actor);
  json.Add("action", out.filter.action);
  // An unset bound is recorded as "".
  if (in.has_start_time()) json.Add("start_time", out.filter.from);
  else json.Add("start_time", "");
  if (in.has_end_time()) json.Add("end_time", out.filter.before);
  else json.Add("end_time", "");
  out.filter_json = json.Build();
  return out;
}

// A page token names the export's own entry and the last sequence listed.
std::string ExportToken(int64_t export_sequence, absl::string_view last) {
  return last.empty() ? "" : EncodePageToken(absl::StrCat(export_sequence, ":", last));
}

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "page_token: not from an export of this filter by this user; start the export again "
      "without a page token");
}

}  // namespace

grpc::ServerUnaryReactor* AuditService::GetAuditHead(grpc::CallbackServerContext* ctx,
                                                     const v1::GetAuditHeadRequest* request,
                                                     v1::AuditHead* response) {
  return Respond(ctx, [&]() -> absl::Status {
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::AuditHead head, tx.AuditHead());
      HeadToProto(head, response);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AuditService::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(Export e, ReadFilter(request->filter()));
    ASSIGN_OR_RETURN(std::string token, DecodePageToken(request->page_token()));

    // Copies: it runs after this returns, on the committer for a new export.
    auto list_page = [=](store::Transaction& tx, int64_t export_sequence,
                         int64_t after) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<store::AuditRow> page,
                       tx.ListAudit(e.filter, after, export_sequence, limit));
      for (const store::AuditRow& row : page.items) RowToProto(row, response->add_entries());
      response->set_next_page_token(ExportToken(export_sequence, page.next_key));
      response->set_export_sequence(export_sequence);
      return absl::OkStatus();
    };

    if (token.empty()) {
      // A new export: recorded first, so it lists up to and including itself.
      return RecordRead(store_, [=](store::Transaction& tx) -> absl::Status {
        // A read on record: it names no request.
        app::WriteContext write;
        write.now = absl::Now();
        write.user = user;
        ASSIGN_OR_RETURN(int64_t export_sequence,
                         app::RecordAuditExport(tx, write, e.filter_json));
        ASSIGN_OR_RETURN(domain::AuditHead head, tx.AuditHead());
        HeadToProto(head, response->mutable_head());
        return list_page(tx, export_sequence, 0);
      });
    }
    std::pair<std::string, std::string> parts = absl::StrSplit(token, ':');
    int64_t export_sequence = 0;
    int64_t after = 0;
    if (!absl::SimpleAtoi(parts.first, &export_sequence) ||
        !absl::SimpleAtoi(parts.second, &after)) {
      return BadToken();
    }
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      // Every page must belong to an export on record.
      ASSIGN_OR_RETURN(std::optional<store::AuditRow> recorded,
                       tx.GetAuditEntry(export_sequence));
      if (!recorded.has_value() ||
          recorded->entry.action != domain::AuditActionName(domain::AuditAction::kAuditExport) ||
          recorded->entry.actor != user || recorded->entry.new_value != e.filter_json) {
        return BadToken();
      }
      HeadToProto(domain::AuditHead{export_sequence, recorded->hash}, response->mutable_head());
      return list_page(tx, export_sequence, after);
    });
  });
}

}  // namespace cpctrack::server
