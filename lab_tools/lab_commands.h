// cpc-lab: the lab's tools, as command tables on the same parser, help and
// exit codes as cpc (0 ok, 1 refused or failed, 2 usage). Every formula comes
// from the domain library; only `label` (unless --offline) and `import-counts`
// talk to cpcd.
#ifndef CPCTRACK_LAB_TOOLS_LAB_COMMANDS_H_
#define CPCTRACK_LAB_TOOLS_LAB_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/command_line.h"
#include "client/commands.h"

namespace cpclab {

using cpc::ArgSpec;
using cpc::CommandSpec;
using cpc::FlagSpec;
using cpc::Invocation;

std::vector<CommandSpec> CalculatorCommands();  // count, growth, dose
std::vector<CommandSpec> DinCommands();         // din create, din check
std::vector<CommandSpec> LabelCommands();       // label
std::vector<CommandSpec> ImportCommands();      // import-counts

// Runs one command line (without the program name); returns the exit code.
int RunLab(const std::vector<std::string>& argv, absl::string_view env_server,
           absl::string_view config_dir, std::ostream& out, std::ostream& err);

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_LAB_COMMANDS_H_
