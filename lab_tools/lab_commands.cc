#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

std::vector<FlagSpec> LabGlobalFlags() {
  return {
      {.name = "server", .value_name = "HOST:PORT",
       .help = "cpcd, for commands that talk to it (default: $CPC_SERVER, else "
               "localhost:50051)"},
      {.name = "user", .value_name = "NAME",
       .help = "who you are, recorded with every write (default: $CPC_USER)"},
      {.name = "timeout", .value_name = "SECONDS",
       .help = "give up on the server after this long", .default_value = "10"},
      {.name = "help", .help = "show help (also -h)"},
  };
}

std::vector<CommandSpec> AllLabCommands() {
  std::vector<CommandSpec> all;
  for (auto group :
       {CalculatorCommands, DinCommands, LabelCommands, ImportCommands, BackupCommands}) {
    for (CommandSpec& command : group()) all.push_back(std::move(command));
  }
  return all;
}

}  // namespace

int RunLab(const std::vector<std::string>& argv, absl::string_view env_server,
           absl::string_view env_user, std::ostream& out, std::ostream& err) {
  const cpc::ProgramInfo program{
      .name = "cpc-lab",
      .summary = "the lab's tools: counts, growth, doses, DINs, labels, imports, backups.\n"
                 "Only import-counts talks to cpcd; the rest work offline.",
      .help_example = "count"};
  return cpc::RunProgram(program, LabGlobalFlags(), AllLabCommands(), argv, env_server,
                         env_user, out, err);
}

}  // namespace cpclab
