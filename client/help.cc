// Help text generated from the command tables, so it cannot drift from what
// the parser accepts.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/command_line.h"

namespace cpc {
namespace {

std::string FlagColumn(const FlagSpec& flag) {
  std::string column = absl::StrCat("--", flag.name);
  if (!flag.value_name.empty()) absl::StrAppend(&column, " ", flag.value_name);
  return column;
}

// The rule half of a flag's line: choices, required, default, repeatable.
std::string FlagNotes(const FlagSpec& flag) {
  std::vector<std::string> notes;
  if (!flag.choices.empty()) {
    notes.push_back(absl::StrCat("one of: ", absl::StrJoin(flag.choices, ", ")));
  }
  if (flag.required) notes.push_back("required");
  if (!flag.default_value.empty()) {
    notes.push_back(absl::StrCat("default: ", flag.default_value));
  }
  if (flag.repeated) notes.push_back("repeatable, or comma-separated");
  return notes.empty() ? "" : absl::StrCat("  [", absl::StrJoin(notes, "; "), "]");
}

void AppendFlagRows(absl::Span<const FlagSpec> flags, std::string* out) {
  size_t width = 0;
  for (const FlagSpec& flag : flags) width = std::max(width, FlagColumn(flag).size());
  for (const FlagSpec& flag : flags) {
    std::string column = FlagColumn(flag);
    absl::StrAppend(out, "  ", column, std::string(width - column.size() + 2, ' '),
                    flag.help, FlagNotes(flag), "\n");
  }
}

}  // namespace

std::string TopLevelHelp(absl::Span<const FlagSpec> global_flags,
                         absl::Span<const CommandSpec> commands, const ProgramInfo& program) {
  std::string out = absl::StrCat(program.name, ": ", program.summary, "\n\nUsage:\n  ",
                                 program.name,
                                 " [global flags] NOUN VERB [ARGS] [--flags]\n\nCommands:\n");
  size_t width = 0;
  for (const CommandSpec& command : commands) width = std::max(width, command.Name().size());
  std::string previous_noun;
  for (const CommandSpec& command : commands) {
    // A blank line between nouns makes the list scannable.
    if (!previous_noun.empty() && command.noun != previous_noun) out += "\n";
    previous_noun = command.noun;
    absl::StrAppend(&out, "  ", command.Name(),
                    std::string(width - command.Name().size() + 2, ' '), command.summary,
                    "\n");
  }
  out += "\nGlobal flags (anywhere on the line):\n";
  AppendFlagRows(global_flags, &out);
  absl::StrAppend(&out, "\nRun `", program.name,
                  " NOUN VERB --help` for a command's flags and an example,\n"
                  "e.g. `",
                  program.name, " ", program.help_example, " --help`.\n");
  return out;
}

std::string NounHelp(absl::string_view noun, absl::Span<const CommandSpec> commands,
                     const ProgramInfo& program) {
  std::string out = absl::StrCat("Usage:\n  ", program.name, " ", noun,
                                 " VERB [ARGS] [--flags]\n\nCommands:\n");
  size_t width = 0;
  for (const CommandSpec& command : commands) {
    if (command.noun == noun) width = std::max(width, command.Name().size());
  }
  for (const CommandSpec& command : commands) {
    if (command.noun != noun) continue;
    absl::StrAppend(&out, "  ", command.Name(),
                    std::string(width - command.Name().size() + 2, ' '), command.summary,
                    "\n");
  }
  absl::StrAppend(&out, "\nRun `", program.name, " ", noun,
                  " VERB --help` for a command's flags.\n");
  return out;
}

std::string CommandHelp(const CommandSpec& command,
                        absl::Span<const FlagSpec> global_flags, const ProgramInfo& program) {
  std::string usage = absl::StrCat(program.name, " ", command.Name());
  for (const ArgSpec& arg : command.args) {
    absl::StrAppend(&usage, " ", arg.optional ? absl::StrCat("[", arg.name, "]") : arg.name);
  }
  bool optional_flags = false;
  for (const FlagSpec& flag : command.flags) {
    if (flag.required) {
      absl::StrAppend(&usage, " ", FlagColumn(flag));
    } else {
      optional_flags = true;
    }
  }
  if (optional_flags) absl::StrAppend(&usage, " [flags]");

  std::string out = absl::StrCat(command.summary, "\n\nUsage:\n  ", usage, "\n");
  if (!command.args.empty()) {
    out += "\nArguments:\n";
    size_t width = 0;
    for (const ArgSpec& arg : command.args) width = std::max(width, arg.name.size());
    for (const ArgSpec& arg : command.args) {
      absl::StrAppend(&out, "  ", arg.name, std::string(width - arg.name.size() + 2, ' '),
                      arg.help);
      if (!arg.choices.empty()) {
        absl::StrAppend(&out, "  [one of: ", absl::StrJoin(arg.choices, ", "), "]");
      }
      out += "\n";
    }
  }
  if (!command.flags.empty()) {
    out += "\nFlags:\n";
    AppendFlagRows(command.flags, &out);
  }
  out += "\nGlobal flags:\n";
  AppendFlagRows(global_flags, &out);
  if (!command.example.empty()) absl::StrAppend(&out, "\nExample:\n  ", command.example, "\n");
  return out;
}

}  // namespace cpc
