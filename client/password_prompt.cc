#include "client/password_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "absl/strings/str_cat.h"

namespace cpc {

absl::StatusOr<std::string> ReadPassword(absl::string_view prompt, bool from_stdin) {
  std::string password;
  if (from_stdin) {
    std::getline(std::cin, password);
  } else {
    const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0) {
      return absl::FailedPreconditionError(
          "no terminal to ask for the password on: pipe it with --password-stdin");
    }
    termios saved{};
    const bool is_terminal = tcgetattr(tty, &saved) == 0;
    if (is_terminal) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    (void)!write(tty, prompt.data(), prompt.size());
    for (char c; read(tty, &c, 1) == 1 && c != '\n';) password += c;
    if (is_terminal) tcsetattr(tty, TCSAFLUSH, &saved);
    (void)!write(tty, "\n", 1);
    close(tty);
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return absl::InvalidArgumentError("password: empty");
  return password;
}

}  // namespace cpc
