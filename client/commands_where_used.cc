// `cpc lot where-used`, `cpc equipment where-used`, `cpc user where-used`:
// what a recall, an excursion or a question about a person touches, as a
// table for people, CSV (RFC 4180, through the one CSV writer) or JSON.
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/export_format.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"
#include "cpctrack/v1/reports.grpc.pb.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Reports = v1::ReportService::Stub;

std::string KindText(v1::UseKind kind) {
  switch (kind) {
    case v1::USE_KIND_RECORD: return "record";
    case v1::USE_KIND_QC_RESULT: return "qc result";
    case v1::USE_KIND_UNIT: return "unit";
    case v1::USE_KIND_INCUBATION: return "incubation";
    case v1::USE_KIND_INFUSION: return "infusion";
    case v1::USE_KIND_ACTION: return "action";
    default: return "use";
  }
}

absl::Status Print(const Invocation& in, const v1::WhereUsed& used, absl::string_view what) {
  if (in.json) return PrintJson(used, in.out);
  if (in.args.Has("csv")) {
    in.out << CsvRecord({"kind", "batch_id", "resource", "time", "until", "by", "detail",
                         "direct"});
    for (const v1::Use& u : used.uses()) {
      in.out << CsvRecord({KindText(u.kind()), u.batch_id(), u.resource(),
                           Rfc3339Utc(FromProto(u.time())),
                           u.has_until_time() ? Rfc3339Utc(FromProto(u.until_time())) : "",
                           u.by(), u.detail(), u.direct() ? "yes" : "no"});
    }
    return absl::OkStatus();
  }
  if (used.uses().empty()) {
    in.out << "No use of " << what << " on record.\n";
    return absl::OkStatus();
  }
  in.out << what << ": " << used.uses_size() << " uses in " << used.batch_count()
         << " batch(es), newest first\n";
  Table table({"when", "kind", "batch", "what", "by", "detail"});
  for (const v1::Use& u : used.uses()) {
    std::string when = FormatLocalTime(FromProto(u.time()), in.time.zone);
    if (u.has_until_time()) {
      absl::StrAppend(&when, " to ", FormatLocalTime(FromProto(u.until_time()), in.time.zone));
    }
    table.AddRow({when, absl::StrCat(KindText(u.kind()), u.direct() ? "" : " (of batch)"),
                  u.batch_id().empty() ? "-" : u.batch_id(), u.resource(),
                  u.by().empty() ? "-" : u.by(), u.detail()});
  }
  in.out << table.Render();
  if (used.truncated()) in.out << "(more entries: narrow --from/--to)\n";
  return absl::OkStatus();
}

absl::Status CheckOutput(const Invocation& in) {
  if (in.json && in.args.Has("csv")) return UsageError("--csv and --json: choose one");
  return absl::OkStatus();
}

absl::Status RunLot(Invocation& in) {
  CPC_RETURN_IF_ERROR(CheckOutput(in));
  v1::GetLotWhereUsedRequest request;
  request.set_lot_number(in.args.Get("LOT"));
  v1::WhereUsed used;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Reports::GetLotWhereUsed, request, &used));
  return Print(in, used, absl::StrCat("lot ", request.lot_number()));
}

absl::Status RunEquipment(Invocation& in) {
  CPC_RETURN_IF_ERROR(CheckOutput(in));
  v1::GetEquipmentWhereUsedRequest request;
  request.set_equipment_id(in.args.Get("ID"));
  CPC_RETURN_IF_ERROR(ReadWindowFlags(in.args, in.time, request));
  v1::WhereUsed used;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Reports::GetEquipmentWhereUsed, request, &used));
  return Print(in, used, absl::StrCat("equipment ", request.equipment_id()));
}

absl::Status RunUser(Invocation& in) {
  CPC_RETURN_IF_ERROR(CheckOutput(in));
  v1::GetUserWhereUsedRequest request;
  request.set_user(in.args.Get("USER"));
  CPC_RETURN_IF_ERROR(ReadWindowFlags(in.args, in.time, request));
  v1::WhereUsed used;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Reports::GetUserWhereUsed, request, &used));
  return Print(in, used, absl::StrCat("user ", request.user()));
}

std::vector<FlagSpec> WindowFlags() {
  return {{.name = "from", .value_name = "TIME",
           .help = "start of the period: -2d, \"2026-11-25 22:00\" or RFC 3339 (default: "
                   "the beginning)"},
          {.name = "to", .value_name = "TIME", .help = "end of the period (default: now)"},
          {.name = "csv", .help = "CSV (RFC 4180; times RFC 3339 UTC)"}};
}

}  // namespace

std::vector<CommandSpec> WhereUsedCommands() {
  return {
      {.noun = "lot", .verb = "where-used",
       .summary = "Every record, unit and QC result that used a reagent lot, with the units "
                  "and infusions of each batch that did (a recall)",
       .args = {{.name = "LOT", .help = "the lot number"}},
       .flags = {{.name = "csv", .help = "CSV (RFC 4180; times RFC 3339 UTC)"}},
       .example = "cpc lot where-used COL-0425 --csv > recall-COL-0425.csv",
       .run = RunLot},
      {.noun = "equipment", .verb = "where-used",
       .summary = "The cultures that sat in an incubator, and the records, units and QC "
                  "results that named a piece of equipment, over a period (an excursion)",
       .args = {{.name = "ID", .help = "the equipment ID"}},
       .flags = WindowFlags(),
       .example = "cpc equipment where-used INC-01 --from \"2026-11-30 22:00\" --to "
                  "\"2026-12-01 06:00\"",
       .run = RunEquipment},
      {.noun = "user", .verb = "where-used",
       .summary = "What one person did over a period, from the audit trail",
       .args = {{.name = "USER", .help = "the user name"}},
       .flags = WindowFlags(),
       .example = "cpc user where-used tech.sato --from -30d",
       .run = RunUser},
  };
}

}  // namespace cpc
