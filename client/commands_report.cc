// `cpc report periodic`: the yearly report of a treatment plan, as a table,
// CSV (RFC 4180, through the one CSV writer) or PDF (the report library).
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/export_format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/values.h"
#include "cpctrack/v1/audit.grpc.pb.h"
#include "cpctrack/v1/reports.grpc.pb.h"
#include "report/pdf.h"
#include "report/periodic.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
namespace report = ::cpctrack::report;

absl::Status RunPeriodic(Invocation& in) {
  if (in.args.Has("csv") + in.args.Has("pdf") + in.json > 1) {
    return UsageError("--csv, --pdf and --json: choose one");
  }
  v1::GetPeriodicReportRequest request;
  request.set_plan_number(in.args.Get("plan"));
  CPC_ASSIGN_OR_RETURN(std::string from, ParseDate("--from", in.args.Get("from")));
  CPC_ASSIGN_OR_RETURN(std::string to, ParseDate("--to", in.args.Get("to")));
  request.set_from_date(from);
  request.set_to_date(to);
  report::PeriodicInput input;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::ReportService::Stub::GetPeriodicReport, request, &input.report));
  if (in.json) return PrintJson(input.report, in.out);
  if (in.args.Has("csv")) {
    KeepExportPrivate();
    in.out << CsvRecord(report::PeriodicCsvHeader());
    for (const auto& row : report::PeriodicCsvRows(input.report)) in.out << CsvRecord(row);
    return absl::OkStatus();
  }
  if (in.args.Has("pdf")) {
    CPC_RETURN_IF_ERROR(in.conn.Call(&v1::AuditService::Stub::GetAuditHead,
                                     v1::GetAuditHeadRequest(), &input.audit_head));
    input.printed_by = in.conn.options().user;
    input.printed_at = in.time.now;
    input.zone = in.time.zone;
    const std::string path = in.args.Get("pdf");
    CPC_RETURN_IF_ERROR(report::WritePdf(report::PeriodicReportDocument(input), path));
    in.out << "Wrote the periodic report of plan " << input.report.plan_number() << " to " << path
           << "\n";
    return absl::OkStatus();
  }
  // People: the counts as a table; the details are in the CSV and the PDF.
  in.out << "Plan " << input.report.plan_number() << ", " << input.report.from_date() << " to "
         << input.report.to_date() << "\n";
  Table table({"category", "item", "value"});
  table.AlignRight(2);
  for (const auto& row : report::PeriodicCsvRows(input.report)) {
    if (row[0] == "report") continue;  // in the heading above
    if (!row[2].empty()) {
      table.AddRow({row[0], row[1], row[2]});
    } else {  // one positive result or adverse event
      table.AddNote(absl::StrCat(row[0], ": ", row[3], " ", row[1], " ", row[6]));
    }
  }
  in.out << table.Render();
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> ReportCommands() {
  return {
      {.noun = "report", .verb = "periodic",
       .summary = "Count a treatment plan's batches, deviations, QC positives, patients, "
                  "infusions and adverse events over a period",
       .flags = {{.name = "plan", .value_name = "PLAN",
                  .help = "the plan's regulatory number", .required = true},
                 {.name = "from", .value_name = "DATE",
                  .help = "first day, YYYY-MM-DD (facility time)", .required = true},
                 {.name = "to", .value_name = "DATE",
                  .help = "last day, YYYY-MM-DD (included)", .required = true},
                 {.name = "csv", .help = "CSV (RFC 4180; times RFC 3339 UTC)"},
                 {.name = "pdf", .value_name = "FILE", .help = "write the report as a PDF"}},
       .example = "cpc report periodic --plan TP-2026-0042 --from 2026-01-01 --to 2026-12-31 "
                  "--pdf periodic-2026.pdf",
       .run = RunPeriodic},
  };
}

}  // namespace cpc
