#ifndef CPCTRACK_CLIENT_COMMAND_LINE_H_
#define CPCTRACK_CLIENT_COMMAND_LINE_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace cpc {

// One --flag. A flag without a value_name is a switch (--json).
struct FlagSpec {
  std::string name;        // without "--"
  std::string value_name;  // "N", "TIME", "LOT"; empty for a switch
  std::string help;
  bool required = false;
  // May be given several times; each value may also be a comma-separated list.
  bool repeated = false;
  // Used when the flag is absent; shown in --help.
  std::string default_value;
  // When non-empty, the only values accepted.
  std::vector<std::string> choices;
};

// One positional argument, in order; only trailing ones may be optional.
struct ArgSpec {
  std::string name;  // "BATCH"
  std::string help;
  std::vector<std::string> choices;
  bool optional = false;
};

struct Invocation;  // commands.h

// A command: `cpc NOUN VERB`, or `cpc NOUN` when verb is empty.
struct CommandSpec {
  std::string noun;
  std::string verb;
  std::string summary;  // one line, for `cpc --help`
  std::vector<ArgSpec> args;
  std::vector<FlagSpec> flags;
  std::string example;  // one full command line
  std::function<absl::Status(Invocation&)> run;

  std::string Name() const;  // "batch passage"
};

// What the parser read for one command (or for the global flags).
class ParsedArgs {
 public:
  // True when the user gave the flag, or it has a default.
  bool Has(absl::string_view flag) const { return values_.count(std::string(flag)) > 0; }
  // True only when the user gave it.
  bool Given(absl::string_view flag) const { return given_.count(std::string(flag)) > 0; }
  // A flag's (first) value or a positional argument's value; "" when absent.
  const std::string& Get(absl::string_view name) const;
  // Every value of a repeated flag, comma-separated lists split, blanks dropped.
  std::vector<std::string> GetList(absl::string_view flag) const;
  // Every value of a repeated flag exactly as typed, commas kept (a test
  // method such as "Ph. Eur. 2.6.27, 14-day" is one value).
  std::vector<std::string> GetEach(absl::string_view flag) const;
  // Names of the flags the user gave, in sorted order.
  const std::set<std::string>& GivenFlags() const { return given_; }

  // For the parser.
  void Add(const std::string& name, std::string value, bool given);

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> given_;
};

struct CommandLine {
  // The command named, or null when none was (e.g. `cpc --help`, `cpc batch --help`).
  const CommandSpec* command = nullptr;
  // The noun given when no verb followed it ("batch" in `cpc batch --help`).
  std::string noun;
  bool help = false;
  ParsedArgs globals;  // global flags, found anywhere on the line
  ParsedArgs args;     // the command's own flags and positional arguments
};

// Parses `argv` (without the program name): global flags anywhere, then
// NOUN [VERB], then the command's arguments and flags in any order. Accepts
// "--flag VALUE" and "--flag=VALUE". With --help, the command's required
// arguments are not checked. Errors are usage errors whose message names the
// command and the flag ("batch passage: --viable is required").
absl::StatusOr<CommandLine> ParseCommandLine(absl::Span<const std::string> argv,
                                             absl::Span<const FlagSpec> global_flags,
                                             absl::Span<const CommandSpec> commands);

// The program the help names: cpc, or another tool built on these tables (cpc-lab).
struct ProgramInfo {
  std::string name = "cpc";
  std::string summary = "record and review cell-therapy batches in the cell processing center.";
  std::string help_example = "batch passage";  // the command `--help` is shown on
};

// `cpc --help`: every command with its one-line summary, and the global flags.
std::string TopLevelHelp(absl::Span<const FlagSpec> global_flags,
                         absl::Span<const CommandSpec> commands,
                         const ProgramInfo& program = {});
// `cpc batch --help`: the verbs of one noun.
std::string NounHelp(absl::string_view noun, absl::Span<const CommandSpec> commands,
                     const ProgramInfo& program = {});
// `cpc batch passage --help`: usage line, arguments, every flag with its help,
// whether required, its default, and an example.
std::string CommandHelp(const CommandSpec& command,
                        absl::Span<const FlagSpec> global_flags,
                        const ProgramInfo& program = {});

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_COMMAND_LINE_H_
