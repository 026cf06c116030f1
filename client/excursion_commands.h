// `cpc deviation open --equipment|--lot|--tank`, and `show` and `close` of an
// excursion (EXC-3): the deviation commands hand these over here.
#ifndef CPCTRACK_CLIENT_EXCURSION_COMMANDS_H_
#define CPCTRACK_CLIENT_EXCURSION_COMMANDS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "client/commands.h"

namespace cpc {

// Whether the command line names an excursion: --equipment, --lot or --tank
// for open; an ID such as EXC-3 for show and close.
bool OpensExcursion(const ParsedArgs& args);
bool IsExcursionId(absl::string_view text);

absl::Status RunOpenExcursion(Invocation& in);
absl::Status RunShowExcursion(Invocation& in, absl::string_view id);
absl::Status RunCloseExcursion(Invocation& in, absl::string_view id);

// --equipment, --lot, --tank, --from and --to of `cpc deviation open`.
std::vector<FlagSpec> ExcursionFlags();

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_EXCURSION_COMMANDS_H_
