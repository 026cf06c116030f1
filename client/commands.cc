#include "client/commands.h"

#include <cstdlib>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "client/format.h"
#include "client/pending_writes.h"
#include "client/session_file.h"
#include "client/status_util.h"
#include "client/values.h"
#include "domain/text.h"
#include "google/protobuf/util/json_util.h"

namespace cpc {
namespace {

std::string FlagName(absl::string_view flag) { return absl::StrCat("--", flag); }

absl::StatusOr<std::string> ReadPemFlag(const ParsedArgs& globals, absl::string_view flag,
                                        const char* env) {
  std::string path = globals.Get(flag);
  if (path.empty()) {
    const char* value = std::getenv(env);
    if (value == nullptr || *value == '\0') return std::string();
    path = value;
  }
  std::ifstream file(path, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof()) {
    return UsageError(absl::StrCat("--", flag, " (or $", env, "): cannot read \"", path, "\""));
  }
  if (pem.find("-----BEGIN") == std::string::npos) {
    return UsageError(absl::StrCat("--", flag, " (or $", env, "): \"", path,
                                   "\" is not a PEM file"));
  }
  return pem;
}

// Builds the connection settings: flags win over the environment. The
// session is the one `cpc login` saved for this server.
absl::StatusOr<ConnectionOptions> ReadConnectionOptions(const ParsedArgs& globals,
                                                        absl::string_view env_server,
                                                        absl::string_view config_dir) {
  ConnectionOptions options;
  if (globals.Has("server")) {
    options.server = globals.Get("server");
  } else if (!env_server.empty()) {
    options.server = std::string(env_server);
  }
  options.server_given = globals.Has("server") || !env_server.empty();
  options.config_dir = std::string(config_dir);
  CPC_ASSIGN_OR_RETURN(std::optional<Session> session,
                       LoadSession(options.config_dir, options.server));
  if (session.has_value()) {
    options.user = session->user;
    options.token = session->token;
  }
  CPC_ASSIGN_OR_RETURN(options.ca_pem, ReadPemFlag(globals, "ca-file", "CPC_CA_FILE"));
  CPC_ASSIGN_OR_RETURN(options.cert_pem, ReadPemFlag(globals, "cert", "CPC_CERT"));
  CPC_ASSIGN_OR_RETURN(options.key_pem, ReadPemFlag(globals, "key", "CPC_KEY"));
  options.insecure = globals.Has("insecure");
  if (options.cert_pem.empty() != options.key_pem.empty()) {
    return UsageError("--cert and --key: give both (mutual TLS) or neither");
  }
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
  // A server's message may quote stored text: one line, nothing hidden.
  err << program << ": " << absl::StatusCodeToString(status.code()) << ": "
      << cpctrack::domain::EscapeUnprintable(status.message()) << "\n";
  return 1;
}

}  // namespace

std::vector<FlagSpec> GlobalFlags() {
  return {
      {.name = "server", .value_name = "HOST:PORT",
       .help = "cpcd to talk to (default: $CPC_SERVER, else localhost:50051)"},
      {.name = "ca-file", .value_name = "PEM",
       .help = "verify cpcd's TLS certificate against this CA (default: $CPC_CA_FILE); "
               "without it, plain text (cpcd allows that only on loopback)"},
      {.name = "cert", .value_name = "PEM",
       .help = "client certificate, when cpcd requires one (default: $CPC_CERT)"},
      {.name = "key", .value_name = "PEM",
       .help = "private key of --cert (default: $CPC_KEY)"},
      {.name = "insecure",
       .help = "send passwords and the session token in plain text to a server that is not "
               "on this machine (no --ca-file): for a test on a lab network only"},
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
       {StatusCommands, AuthCommands, PatientCommands, InventoryCommands, ProductCommands, BatchCommands,
        QcCommands, DeviationCommands, FollowUpCommands, StorageCommands, TankReadingCommands,
        UnitCommands, ReadinessCommands,
        TreatmentCommands, AuditCommands, AuditTrailCommands, ReportCommands,
        WhereUsedCommands, QualificationCommands, RetryCommands}) {
    for (CommandSpec& command : group()) all.push_back(std::move(command));
  }
  return all;
}

int Run(const std::vector<std::string>& argv, absl::string_view env_server,
        absl::string_view config_dir, std::ostream& out, std::ostream& err) {
  return RunProgram(ProgramInfo(), GlobalFlags(), AllCommands(), argv, env_server, config_dir,
                    out, err);
}

int RunProgram(const ProgramInfo& program, const std::vector<FlagSpec>& global_flags,
               const std::vector<CommandSpec>& commands, const std::vector<std::string>& argv,
               absl::string_view env_server, absl::string_view config_dir, std::ostream& out,
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
      ReadConnectionOptions(line->globals, env_server, config_dir);
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

FlagSpec LateReasonFlag(absl::string_view when) {
  return {.name = "late-reason", .value_name = "TEXT",
          .help = absl::StrCat("why the step is recorded late: required when ", when,
                               " is more than the product's limit (default 24 h) before now")};
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
          .help = "batch ID, compact or as on the label (A9999260000018 or "
                  "\"A9999 26 000001 8\"), or the batch's or a unit's label scanned"};
}

}  // namespace cpc
