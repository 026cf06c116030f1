// `cpc-lab import-counts FILE --config MAP`: a counter's CSV export recorded
// as passages. All or nothing before sending: one bad row and no row is sent.
// Then one RecordPassage per row in time order, stopping at the first refusal.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/csv.h"
#include "client/status_util.h"
#include "lab_tools/counts_import.h"
#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

namespace v1 = ::cpctrack::v1;


std::string Lines(const std::vector<CountRow>& rows, size_t begin, size_t end) {
  std::vector<int> lines;
  for (size_t i = begin; i < end; ++i) lines.push_back(rows[i].line);
  return lines.empty() ? "none" : absl::StrJoin(lines, ", ");
}

absl::Status RunImport(Invocation& in) {
  const std::string& path = in.args.Get("FILE");
  CPC_ASSIGN_OR_RETURN(std::string config_text, cpc::ReadTextFile(in.args.Get("config")));
  absl::StatusOr<ImportConfig> config = ParseImportConfig(config_text);
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(in.args.Get("config"), ": ", config.status().message()));
  }
  CPC_ASSIGN_OR_RETURN(std::string csv, cpc::ReadTextFile(path));
  absl::StatusOr<CountFile> file = ReadCountFile(csv, *config, in.time.now);
  if (!file.ok()) {
    return absl::Status(file.status().code(),
                        absl::StrCat(path, ": ", file.status().message(), "; nothing recorded"));
  }
  if (!file->errors.empty()) {
    for (const std::string& error : file->errors) in.err << path << ": " << error << "\n";
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": ", file->errors.size(), " bad row(s); nothing recorded: fix them and import "
        "the whole file again"));
  }
  if (in.args.Has("dry-run")) {
    in.out << file->rows.size() << " rows valid; nothing sent (--dry-run)\n";
    return absl::OkStatus();
  }
  const std::vector<CountRow>& rows = file->rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    v1::RecordPassageRequest request = ToRequest(rows[i]);
    request.set_late_entry_reason(in.args.Get("late-reason"));
    v1::RecordResponse response;
    absl::Status status =
        in.conn.Call(&v1::BatchService::Stub::RecordPassage, request, &response);
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat(path, " line ", rows[i].line, " (batch ", rows[i].batch_id,
                       "): ", status.message(), "; recorded lines: ", Lines(rows, 0, i),
                       "; not sent: ", Lines(rows, i + 1, rows.size()),
                       ". Importing the file again resends the recorded rows under the same "
                       "request IDs, so they are not recorded twice"));
    }
    in.out << "line " << rows[i].line << "  " << rows[i].batch_id << "  P"
           << response.record().passage().passage_number() << "  recorded as record "
           << response.record().record_id() << "\n";
  }
  in.out << rows.size() << " rows recorded\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> ImportCommands() {
  return {{.noun = "import-counts",
           .summary = "Record a cell counter's CSV export as passages (talks to cpcd)",
           .args = {{.name = "FILE", .help = "the CSV file, with a header row"}},
           .flags = {{.name = "config", .value_name = "FILE",
                      .help = "column map for the instrument (see docs/lab_tools.md)",
                      .required = true},
                     {.name = "late-reason", .value_name = "TEXT",
                      .help = "why counts older than the product's limit (default 24 h) "
                              "are recorded only now; kept with each such row"},
                     {.name = "dry-run", .help = "check every row; send nothing"}},
           .example = "cpc-lab import-counts nc202-2026-11-25.csv --config nc202.map "
                      "(after `cpc login tech.sato`)",
           .run = RunImport}};
}

}  // namespace cpclab
