// Reading a password (for `cpc login`, and for every signature: `cpc qc
// review`, `cpc deviation close`): from the terminal without echo, or one
// line from stdin for scripts (--password-stdin).
#ifndef CPCTRACK_CLIENT_PASSWORD_PROMPT_H_
#define CPCTRACK_CLIENT_PASSWORD_PROMPT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpc {

// The --password-stdin switch, for any command that asks for a password.
inline constexpr char kPasswordStdinFlag[] = "password-stdin";

// With `from_stdin`, the first line of stdin. Otherwise prompts on the
// terminal (/dev/tty) with echo off; FailedPrecondition naming
// --password-stdin when there is no terminal. An empty password is
// InvalidArgument.
absl::StatusOr<std::string> ReadPassword(absl::string_view prompt, bool from_stdin);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_PASSWORD_PROMPT_H_
