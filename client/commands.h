#ifndef CPCTRACK_CLIENT_COMMANDS_H_
#define CPCTRACK_CLIENT_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/command_line.h"
#include "client/connection.h"
#include "client/time_format.h"
#include "google/protobuf/message.h"

namespace cpc {

// Everything a command's run function needs.
struct Invocation {
  const CommandSpec& command;
  const ParsedArgs& args;
  Connection& conn;
  TimeContext time;
  bool json = false;
  std::ostream& out;
  std::ostream& err;
};

// The commands of each noun, in the order `cpc --help` lists them.
std::vector<CommandSpec> StatusCommands();
std::vector<CommandSpec> AuthCommands();  // login, logout, user ...
std::vector<CommandSpec> PatientCommands();
std::vector<CommandSpec> InventoryCommands();
std::vector<CommandSpec> ProductCommands();
std::vector<CommandSpec> BatchCommands();
std::vector<CommandSpec> QcCommands();
std::vector<CommandSpec> DeviationCommands();
std::vector<CommandSpec> FollowUpCommands();
std::vector<CommandSpec> StorageCommands();
std::vector<CommandSpec> TankReadingCommands();  // storage reading, import-readings, readings
std::vector<CommandSpec> UnitCommands();
std::vector<CommandSpec> ReadinessCommands();
std::vector<CommandSpec> TreatmentCommands();
std::vector<CommandSpec> AuditCommands();
std::vector<CommandSpec> AuditTrailCommands();  // audit head, audit trail
std::vector<CommandSpec> ReportCommands();  // report periodic
std::vector<CommandSpec> WhereUsedCommands();  // lot|equipment|user where-used
std::vector<CommandSpec> QualificationCommands();  // user qualify|qualifications
std::vector<CommandSpec> RetryCommands();
std::vector<CommandSpec> AllCommands();
std::vector<FlagSpec> GlobalFlags();

// Runs one command line (without the program name) and returns the exit
// code: 0 success, 1 failed call, 2 usage error. $CPC_SERVER and the config
// directory that holds `cpc login` sessions (see session_file.h) are passed
// in so tests need not touch the process environment.
int Run(const std::vector<std::string>& argv, absl::string_view env_server,
        absl::string_view config_dir, std::ostream& out, std::ostream& err);
// As Run, for any program built on the command tables (cpc-lab): errors and
// help name `program`.
int RunProgram(const ProgramInfo& program, const std::vector<FlagSpec>& global_flags,
               const std::vector<CommandSpec>& commands, const std::vector<std::string>& argv,
               absl::string_view env_server, absl::string_view config_dir, std::ostream& out,
               std::ostream& err);

// Typed flag values. Each error is a usage error naming the flag.
absl::StatusOr<double> NumberFlag(const ParsedArgs& args, absl::string_view flag);
absl::StatusOr<int64_t> CountFlag(const ParsedArgs& args, absl::string_view flag);
absl::StatusOr<int32_t> SmallCountFlag(const ParsedArgs& args, absl::string_view flag);
absl::StatusOr<absl::Time> TimeFlag(const ParsedArgs& args, absl::string_view flag,
                                    const TimeContext& time);

// --from / --to, each optional, into a request's from_time / to_time.
template <typename Request>
absl::Status ReadWindowFlags(const ParsedArgs& args, const TimeContext& time, Request& request) {
  if (args.Has("from")) {
    absl::StatusOr<absl::Time> from = TimeFlag(args, "from", time);
    if (!from.ok()) return from.status();
    ToProto(*from, request.mutable_from_time());
  }
  if (args.Has("to")) {
    absl::StatusOr<absl::Time> to = TimeFlag(args, "to", time);
    if (!to.ok()) return to.status();
    ToProto(*to, request.mutable_to_time());
  }
  return absl::OkStatus();
}

// --late-reason, shared by every step that says when it happened: why the
// step is recorded more than the product's limit after it. `when` names that
// time in the help: "--at", "--read-at".
FlagSpec LateReasonFlag(absl::string_view when = "--at");

// --page-size / --page-token, shared by every list command.
std::vector<FlagSpec> PageFlags();
// Reads --page-size / --page-token into any List request.
template <typename Request>
absl::Status ReadPageFlags(const ParsedArgs& args, Request* request) {
  if (args.Has("page-size")) {
    absl::StatusOr<int32_t> page_size = SmallCountFlag(args, "page-size");
    if (!page_size.ok()) return page_size.status();
    request->set_page_size(*page_size);
  }
  request->set_page_token(args.Get("page-token"));
  return absl::OkStatus();
}
// Prints the command line that fetches the next page, when there is one.
void PrintNextPage(const Invocation& in, const std::string& next_page_token);

// The whole message as JSON for scripts (field names as in the .proto).
absl::Status PrintJson(const google::protobuf::Message& message, std::ostream& out);

// The BATCH argument, shared by every batch command.
ArgSpec BatchArg();

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_COMMANDS_H_
