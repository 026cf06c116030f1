// `cpc storage reading|import-readings|readings`: tank monitoring. A reading
// out of its tank's limits opens a tank excursion by itself (cpcd decides);
// these commands say which.
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/csv.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"
#include "client/values.h"
#include "domain/excursion.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Storage = v1::StorageService::Stub;

// The monitoring system's export, one reading a line, columns by name in any
// order: tank, time (RFC 3339, or "YYYY-MM-DD HH:MM[:SS]" in the local
// zone), temperature_c, and optionally ln2_level_percent (blank: not read).
constexpr const char* kRequiredColumns[] = {"tank", "time", "temperature_c"};
constexpr char kLevelColumn[] = "ln2_level_percent";

std::string Level(const v1::TankReading& r) {
  return r.has_ln2_level_percent() ? absl::StrCat(r.ln2_level_percent(), " %") : "-";
}

void PrintRecorded(const Invocation& in, const v1::RecordTankReadingsResponse& response) {
  int out_of_limits = 0;
  for (const v1::TankReading& r : response.readings()) {
    if (!r.in_limits()) ++out_of_limits;
  }
  in.out << "Recorded " << response.readings_size()
         << (response.readings_size() == 1 ? " reading" : " readings") << ", " << out_of_limits
         << " out of limits\n";
  for (const v1::TankReading& r : response.readings()) {
    if (r.in_limits()) continue;
    in.out << "  !! " << r.tank_id() << " at "
           << FormatLocalTimeWithZone(FromProto(r.reading_time()), in.time.zone) << ": "
           << absl::StrJoin(r.breaches(), "; ") << "\n";
    if (r.excursion_id() != 0) {
      in.out << "     opened excursion " << cpctrack::domain::ExcursionLabel(r.excursion_id())
             << " on every unit in the tank since its last reading in limits (cpc deviation "
                "show "
             << cpctrack::domain::ExcursionLabel(r.excursion_id()) << ")\n";
    }
  }
}

absl::Status Send(Invocation& in, v1::RecordTankReadingsRequest& request) {
  request.set_request_id(in.conn.RequestId());
  v1::RecordTankReadingsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::RecordTankReadings, request, &response));
  if (in.json) return PrintJson(response, in.out);
  PrintRecorded(in, response);
  return absl::OkStatus();
}

absl::Status RunReading(Invocation& in) {
  v1::RecordTankReadingsRequest request;
  request.set_source(v1::READING_SOURCE_TYPED);
  v1::TankReading* r = request.add_readings();
  r->set_tank_id(in.args.Get("TANK"));
  CPC_ASSIGN_OR_RETURN(double temperature, NumberFlag(in.args, "temperature"));
  r->set_temperature_c(temperature);
  if (in.args.Has("ln2-level")) {
    CPC_ASSIGN_OR_RETURN(double level, NumberFlag(in.args, "ln2-level"));
    r->set_ln2_level_percent(level);
  }
  CPC_ASSIGN_OR_RETURN(absl::Time at, TimeFlag(in.args, "at", in.time));
  ToProto(at, r->mutable_reading_time());
  return Send(in, request);
}

absl::Status RunImport(Invocation& in) {
  const std::string path = in.args.Get("FILE");
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return UsageError(absl::StrCat("FILE: ", text.status().message()));
  absl::StatusOr<std::vector<CsvLine>> lines = ParseCsv(*text);
  if (!lines.ok()) return UsageError(absl::StrCat(path, ": ", lines.status().message()));
  if (lines->empty()) return UsageError(absl::StrCat(path, ": no header and no readings"));
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < (*lines)[0].fields.size(); ++i) {
    column[absl::AsciiStrToLower(absl::StripAsciiWhitespace((*lines)[0].fields[i]))] = i;
  }
  for (const char* name : kRequiredColumns) {
    if (!column.contains(name)) {
      return UsageError(absl::StrCat(
          path, ": line 1: the header has no column \"", name,
          "\"; the monitoring export needs tank,time,temperature_c[,ln2_level_percent]"));
    }
  }
  v1::RecordTankReadingsRequest request;
  request.set_source(v1::READING_SOURCE_IMPORTED);
  for (size_t i = 1; i < lines->size(); ++i) {
    const CsvLine& line = (*lines)[i];
    auto cell = [&](absl::string_view name) -> std::string {
      auto it = column.find(std::string(name));
      if (it == column.end() || it->second >= line.fields.size()) return "";
      return std::string(absl::StripAsciiWhitespace(line.fields[it->second]));
    };
    auto where = [&](absl::string_view name) {
      return absl::StrCat(path, ": line ", line.line, ", column ", name);
    };
    v1::TankReading* r = request.add_readings();
    r->set_source_line(line.line);
    r->set_tank_id(cell("tank"));
    if (r->tank_id().empty()) return UsageError(absl::StrCat(where("tank"), ": empty"));
    CPC_ASSIGN_OR_RETURN(absl::Time at, ParseUserTime(where("time"), cell("time"), in.time));
    ToProto(at, r->mutable_reading_time());
    CPC_ASSIGN_OR_RETURN(double temperature,
                         ParseNumber(where("temperature_c"), cell("temperature_c")));
    r->set_temperature_c(temperature);
    if (const std::string level = cell(kLevelColumn); !level.empty()) {
      CPC_ASSIGN_OR_RETURN(double percent, ParseNumber(where(kLevelColumn), level));
      r->set_ln2_level_percent(percent);
    }
  }
  if (request.readings().empty()) return UsageError(absl::StrCat(path, ": no readings"));
  return Send(in, request);
}

absl::Status RunReadings(Invocation& in) {
  v1::ListTankReadingsRequest request;
  request.set_tank_id(in.args.Get("TANK"));
  CPC_RETURN_IF_ERROR(ReadWindowFlags(in.args, in.time, request));
  v1::ListTankReadingsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::ListTankReadings, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"time", "temperature", "LN2 level", "limits", "source", "recorded by"});
  for (const v1::TankReading& r : response.readings()) {
    table.AddRow({FormatLocalTime(FromProto(r.reading_time()), in.time.zone),
                  absl::StrCat(r.temperature_c(), " °C"), Level(r),
                  r.in_limits() ? "in" : absl::StrCat("!! OUT: ", absl::StrJoin(r.breaches(), "; ")),
                  r.source() == v1::READING_SOURCE_IMPORTED ? "imported" : "typed",
                  r.recorded_by()});
  }
  in.out << (table.empty() ? "No readings.\n" : table.Render());
  if (response.truncated()) in.out << "(more readings: narrow --from/--to)\n";
  return absl::OkStatus();
}

ArgSpec TankArg() { return {.name = "TANK", .help = "tank ID, e.g. LN2-A"}; }

}  // namespace

std::vector<CommandSpec> TankReadingCommands() {
  return {
      {.noun = "storage", .verb = "reading",
       .summary = "Record a tank reading; out of the tank class's limits (LN2 vapour: above "
                  "-150 C or LN2 below 20 %) it opens an excursion on every unit in the tank",
       .args = {TankArg()},
       .flags = {{.name = "temperature", .value_name = "C", .help = "temperature in °C",
                  .required = true},
                 {.name = "ln2-level", .value_name = "PERCENT", .help = "LN2 level in %"},
                 {.name = "at", .value_name = "TIME", .help = "when it was read",
                  .default_value = "now"}},
       .example = "cpc storage reading LN2-A --temperature -185 --ln2-level 62",
       .run = RunReading},
      {.noun = "storage", .verb = "import-readings",
       .summary = "Import the monitoring system's CSV (header tank,time,temperature_c"
                  "[,ln2_level_percent]) in one request: one bad line refuses the file",
       .args = {{.name = "FILE", .help = "the CSV file"}},
       .example = "cpc storage import-readings monitor-2026-12-01.csv", .run = RunImport},
      {.noun = "storage", .verb = "readings",
       .summary = "List a tank's readings, oldest first, with those out of limits marked",
       .args = {TankArg()},
       .flags = {{.name = "from", .value_name = "TIME", .help = "start (default: all)"},
                 {.name = "to", .value_name = "TIME", .help = "end (default: now)"}},
       .example = "cpc storage readings LN2-A --from -7d", .run = RunReadings},
  };
}

}  // namespace cpc
