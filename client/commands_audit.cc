// `cpc audit sterility`: every sterility and mycoplasma test started in a
// date range, as auditors ask for them (DOMAIN.md, "Records and audit"): a
// table, CSV (RFC 4180, CRLF line ends, one header row) or JSON (one array
// of flat objects). Pages are printed as they arrive, so memory stays flat
// however long the range.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/export_format.h"
#include "client/format.h"
#include "client/qc_format.h"
#include "client/status_util.h"
#include "client/sterility_export.h"
#include "client/table.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

enum class Output { kTable, kCsv, kJson };

class Printer {
 public:
  Printer(const Invocation& in, Output output) : in_(in), output_(output) {}

  void Begin() {
    if (output_ == Output::kCsv) {
      in_.out << SterilityCsvHeader();
    } else if (output_ == Output::kJson) {
      in_.out << "[";
    }
  }

  // Prints one page and flushes it, so a long export shows progress.
  void Page(const v1::ListTestsResponse& page) {
    if (output_ == Output::kTable) {
      PrintTablePage(page);
    } else {
      for (const v1::QcTest& test : page.tests()) {
        if (output_ == Output::kCsv) {
          in_.out << SterilityCsvRow(test);
        } else {
          PrintJsonObject(SterilityFields(test, Rfc3339Utc));
        }
      }
    }
    rows_ += page.tests_size();
    in_.out.flush();
  }

  void End() {
    if (output_ == Output::kJson) in_.out << (rows_ == 0 ? "]\n" : "\n]\n");
    if (output_ == Output::kTable) {
      in_.out << (rows_ == 0 ? "No sterility or mycoplasma tests started in that range.\n"
                             : absl::StrCat(rows_, rows_ == 1 ? " test" : " tests",
                                            " (times ",
                                            absl::FormatTime("%Z", in_.time.now, in_.time.zone),
                                            ")\n"));
    }
  }

 private:
  void PrintJsonObject(const std::vector<std::string>& fields) {
    std::string object = rows_printed_json_++ == 0 ? "\n{" : ",\n{";
    const std::vector<SterilityColumn>& columns = SterilityColumns();
    for (size_t i = 0; i < columns.size(); ++i) {
      absl::StrAppend(&object, i == 0 ? "" : ", ", JsonString(columns[i].name), ": ",
                      columns[i].numeric ? fields[i] : JsonString(fields[i]));
    }
    in_.out << object << "}";
  }

  // One table per page: a page is all that is held at once.
  void PrintTablePage(const v1::ListTestsResponse& page) {
    if (page.tests().empty()) return;
    const std::vector<SterilityColumn>& columns = SterilityColumns();
    std::vector<std::string> headers;
    for (const SterilityColumn& column : columns) {
      if (column.in_table) headers.emplace_back(column.name);
    }
    Table table(headers);
    const absl::TimeZone zone = in_.time.zone;
    for (const v1::QcTest& test : page.tests()) {
      std::vector<std::string> fields =
          SterilityFields(test, [&](absl::Time time) { return FormatLocalTime(time, zone); });
      std::vector<std::string> cells;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].in_table) cells.push_back(fields[i].empty() ? "-" : fields[i]);
      }
      table.AddRow(std::move(cells));
      if (test.retest_of() != 0) table.AddNote(absl::StrCat("retest of test ", test.retest_of()));
      if (test.has_invalidation()) {
        table.AddNote(absl::StrCat("invalidated: ", test.invalidation().reason()));
      }
      if (test.results_size() > 1) {
        table.AddNote(absl::StrCat("first result ", QcResultText(test.results(0)),
                                   ", corrected: ", fields[kSterilityCorrectionReason]));
      }
      if (!fields[kSterilityInterimReadings].empty()) {
        table.AddNote(absl::StrCat("interim (not results): ", fields[kSterilityInterimReadings]));
      }
    }
    if (rows_ > 0) in_.out << "\n";
    in_.out << table.Render();
  }

  const Invocation& in_;
  Output output_;
  int64_t rows_ = 0;
  int64_t rows_printed_json_ = 0;
};

absl::StatusOr<absl::CivilDay> DayFlag(const Invocation& in, absl::string_view flag) {
  CPC_ASSIGN_OR_RETURN(std::string text,
                       ParseDate(absl::StrCat("--", flag), in.args.Get(flag)));
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);
  return day;
}

absl::Status RunSterility(Invocation& in) {
  if (in.json && in.args.Has("csv")) return UsageError("--csv and --json: choose one");
  CPC_ASSIGN_OR_RETURN(absl::CivilDay from, DayFlag(in, "from"));
  CPC_ASSIGN_OR_RETURN(absl::CivilDay to, DayFlag(in, "to"));
  if (to < from) {
    return UsageError(absl::StrCat("--to: ", in.args.Get("to"), " is before --from ",
                                   in.args.Get("from")));
  }
  v1::ListTestsRequest request;
  request.add_types(v1::QC_TEST_TYPE_STERILITY);
  request.add_types(v1::QC_TEST_TYPE_MYCOPLASMA);
  request.set_batch_id(CompactBatchId(in.args.Get("batch")));
  // Whole days in this terminal's zone, the day of --to included.
  ToProto(in.time.zone.At(absl::CivilSecond(from)).pre, request.mutable_start_from());
  ToProto(in.time.zone.At(absl::CivilSecond(to + 1)).pre, request.mutable_start_before());
  if (in.args.Has("page-size")) {
    CPC_ASSIGN_OR_RETURN(int32_t page_size, SmallCountFlag(in.args, "page-size"));
    request.set_page_size(page_size);
  }
  KeepExportPrivate();
  Printer printer(in, in.json ? Output::kJson : in.args.Has("csv") ? Output::kCsv
                                                                  : Output::kTable);
  // A failure mid-way leaves what was printed incomplete; the exit code and
  // stderr say so.
  CPC_RETURN_IF_ERROR(in.conn.ForEachPage(&v1::QcService::Stub::ListTests, request,
                                          [&](const v1::ListTestsResponse& page, bool first) {
                                            if (first) printer.Begin();
                                            printer.Page(page);
                                          }));
  printer.End();
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> AuditCommands() {
  return {
      {.noun = "audit", .verb = "sterility",
       .summary = "Export every sterility and mycoplasma test started in a date range",
       .flags = {{.name = "from", .value_name = "DATE",
                  .help = "first day, YYYY-MM-DD (from local midnight)", .required = true},
                 {.name = "to", .value_name = "DATE",
                  .help = "last day, YYYY-MM-DD (included, to the next local midnight)",
                  .required = true},
                 {.name = "batch", .value_name = "BATCH", .help = "only this batch's tests"},
                 {.name = "csv",
                  .help = "CSV (RFC 4180: header row, CRLF line ends, times RFC 3339 UTC); "
                          "--json prints one array of flat objects"},
                 {.name = "page-size", .value_name = "N",
                  .help = "tests fetched per call (default: the server's page size)"}},
       .example = "cpc audit sterility --from 2026-01-01 --to 2026-12-31 --csv > sterility.csv",
       .run = RunSterility},
  };
}

}  // namespace cpc
