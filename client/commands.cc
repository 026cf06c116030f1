#include "client/commands.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "client/format.h"
#include "client/pending_writes.h"
#include "client/status_util.h"
#include "client/values.h"
#include "google/protobuf/util/json_util.h"

namespace cpc {
namespace {

std::string FlagName(absl::string_view flag) { return absl::StrCat("--", flag); }

// Builds the connection settings: flags win over the environment.
absl::StatusOr<ConnectionOptions> ReadConnectionOptions(const ParsedArgs& globals,
                                                        absl::string_view env_server,
                                                        absl::string_view env_user) {
  ConnectionOptions options;
  if (globals.Has("server")) {
    options.server = globals.Get("server");
  } else if (!env_server.empty()) {
    options.server = std::string(env_server);
  }
  options.server_given = globals.Has("server") || !env_server.empty();
  options.user = globals.Has("user") ? globals.Get("user") : std::string(env_user);
  options.request_id = globals.Get("request-id");
  // The ID also names the write's file in the pending-write journal.
  if (!options.request_id.empty() && !IsJournalSafeRequestId(options.request_id)) {
    return UsageError(absl::StrCat("--request-id: \"", options.request_id,
                                   "\" may use only letters, digits, '-', '_' and '.' "
                                   "(at most 128)"));
  }
  options.pending_write_dir = PendingWriteDirectoryFromEnvironment();
  if (globals.Has("timeout")) {
    CPC_ASSIGN_OR_RETURN(double seconds, NumberFlag(globals, "timeout"));
    if (seconds <= 0) {
      return UsageError(absl::StrCat("--timeout: \"", globals.Get("timeout"),
                                     "\" must be more than 0 seconds"));
    }
    options.timeout = absl::Seconds(seconds);
  }
  return options;
}

// Whole seconds: sub-second digits in a batch record are noise, and a server
// that stores less precision would otherwise echo a different time.
absl::Time RoundedNow() {
  return absl::UnixEpoch() + absl::Floor(absl::Now() - absl::UnixEpoch(), absl::Seconds(1));
}

int Report(absl::string_view program, const absl::Status& status, std::ostream& err) {
  if (IsUsageError(status)) {
    err << program << ": " << status.message() << "\n";
    return 2;
  }
  err << program << ": " << absl::StatusCodeToString(status.code()) << ": " << status.message()
      << "\n";
  return 1;
}

}  // namespace

std::vector<FlagSpec> GlobalFlags() {
  return {
      {.name = "server", .value_name = "HOST:PORT",
       .help = "cpcd to talk to (default: $CPC_SERVER, else localhost:50051)"},
      {.name = "user", .value_name = "NAME",
       .help = "who you are, recorded with every write (default: $CPC_USER)"},
      {.name = "json", .help = "print the server's answer as JSON, for scripts"},
      {.name = "request-id", .value_name = "ID",
       .help = "the ID the server knows this write by (default: a fresh UUID); "
               "to finish a write whose answer was lost, use `cpc retry ID`"},
      {.name = "timeout", .value_name = "SECONDS",
       .help = "give up on the server after this long", .default_value = "10"},
      {.name = "help", .help = "show help (also -h)"},
  };
}

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto group :
       {StatusCommands, PatientCommands, InventoryCommands, ProductCommands, BatchCommands,
        QcCommands, DeviationCommands, StorageCommands, UnitCommands, ReadinessCommands,
        TreatmentCommands, AuditCommands, AuditTrailCommands,
        RetryCommands}) {
    for (CommandSpec& command : group()) all.push_back(std::move(command));
  }
  return all;
}

int Run(const std::vector<std::string>& argv, absl::string_view env_server,
        absl::string_view env_user, std::ostream& out, std::ostream& err) {
  return RunProgram(ProgramInfo(), GlobalFlags(), AllCommands(), argv, env_server, env_user,
                    out, err);
}

int RunProgram(const ProgramInfo& program, const std::vector<FlagSpec>& global_flags,
               const std::vector<CommandSpec>& commands, const std::vector<std::string>& argv,
               absl::string_view env_server, absl::string_view env_user, std::ostream& out,
               std::ostream& err) {
  const std::string& name = program.name;
  absl::StatusOr<CommandLine> line = ParseCommandLine(argv, global_flags, commands);
  if (!line.ok()) {
    // The parser's hints say "(see cpc ... --help)"; name this program instead.
    return Report(name,
                  UsageError(absl::StrReplaceAll(line.status().message(),
                                                 {{"(see cpc ", absl::StrCat("(see ", name, " ")}})),
                  err);
  }

  if (line->command == nullptr) {
    // Only reached with --help: a noun's verbs or everything.
    out << (line->noun.empty() ? TopLevelHelp(global_flags, commands, program)
                               : NounHelp(line->noun, commands, program));
    return 0;
  }
  if (line->help) {
    out << CommandHelp(*line->command, global_flags, program);
    return 0;
  }
  absl::StatusOr<ConnectionOptions> options =
      ReadConnectionOptions(line->globals, env_server, env_user);
  if (!options.ok()) return Report(name, options.status(), err);

  Connection conn(*std::move(options));
  Invocation in{.command = *line->command,
                .args = line->args,
                .conn = conn,
                .time = {.now = RoundedNow(), .zone = absl::LocalTimeZone()},
                .json = line->globals.Has("json"),
                .out = out,
                .err = err};
  absl::Status status = line->command->run(in);
  out.flush();
  if (!status.ok()) {
    if (IsUsageError(status)) {
      // Value errors are found after parsing; name the command like the parser does.
      return Report(name,
                    UsageError(absl::StrCat(line->command->Name(), ": ", status.message())),
                    err);
    }
    return Report(name, status, err);
  }
  return 0;
}

absl::StatusOr<double> NumberFlag(const ParsedArgs& args, absl::string_view flag) {
  return ParseNumber(FlagName(flag), args.Get(flag));
}

absl::StatusOr<int64_t> CountFlag(const ParsedArgs& args, absl::string_view flag) {
  return ParseCount(FlagName(flag), args.Get(flag));
}

absl::StatusOr<int32_t> SmallCountFlag(const ParsedArgs& args, absl::string_view flag) {
  return ParseSmallCount(FlagName(flag), args.Get(flag));
}

absl::StatusOr<absl::Time> TimeFlag(const ParsedArgs& args, absl::string_view flag,
                                    const TimeContext& time) {
  return ParseUserTime(FlagName(flag), args.Get(flag), time);
}

std::vector<FlagSpec> PageFlags() {
  return {
      {.name = "page-size", .value_name = "N",
       .help = "at most this many rows (default: the server's page size)"},
      {.name = "page-token", .value_name = "TOKEN",
       .help = "continue where the previous page ended"},
  };
}

void PrintNextPage(const Invocation& in, const std::string& next_page_token) {
  if (next_page_token.empty()) return;
  // Repeat the user's filters so the printed line can be run as it is.
  std::string line = absl::StrCat("cpc ", in.command.Name());
  for (const std::string& flag : in.args.GivenFlags()) {
    if (flag == "page-token") continue;
    absl::StrAppend(&line, " --", flag, " ", ShellQuote(in.args.Get(flag)));
  }
  absl::StrAppend(&line, " --page-token ", ShellQuote(next_page_token));
  in.out << "\nMore: " << line << "\n";
}

absl::Status PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // Scripts read a P0 batch's current_passage as 0, not as a missing key.
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
  return absl::OkStatus();
}

ArgSpec BatchArg() {
  return {.name = "BATCH",
          .help = "batch ID, compact or as on the label: A9999260000018 or "
                  "\"A9999 26 000001 8\""};
}

}  // namespace cpc
