#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

// cpc's, without --json (cpc-lab prints for people) and --request-id (an
// import sends one ID per row, derived from the row).
std::vector<FlagSpec> LabGlobalFlags() {
  std::vector<FlagSpec> flags = cpc::GlobalFlags();
  std::erase_if(flags, [](const FlagSpec& flag) {
    return flag.name == "json" || flag.name == "request-id";
  });
  return flags;
}

std::vector<CommandSpec> AllLabCommands() {
  std::vector<CommandSpec> all;
  for (auto group : {CalculatorCommands, DinCommands, LabelCommands, ImportCommands}) {
    for (CommandSpec& command : group()) all.push_back(std::move(command));
  }
  return all;
}

}  // namespace

int RunLab(const std::vector<std::string>& argv, absl::string_view env_server,
           absl::string_view config_dir, std::ostream& out, std::ostream& err) {
  const cpc::ProgramInfo program{
      .name = "cpc-lab",
      .summary = "the lab's tools: counts, growth, doses, DINs, labels, imports.\n"
                 "Only label (unless --offline) and import-counts talk to cpcd; the rest work "
                 "offline.\nBackups and audit checks of the database file are cpcd's: "
                 "cpcd backup, verify-backup, verify-audit.",
      .help_example = "count"};
  return cpc::RunProgram(program, LabGlobalFlags(), AllLabCommands(), argv, env_server,
                         config_dir, out, err);
}

}  // namespace cpclab
