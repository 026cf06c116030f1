#include "client/session_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cpc {

std::string ConfigDirectoryFromEnvironment() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return absl::StrCat(xdg, "/cpctrack");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.config/cpctrack");
  }
  return "";
}

std::string SessionFilePath(const std::string& config_dir, const std::string& server) {
  // The server address as a file name: letters and digits kept, the rest '_'.
  std::string name = "session-";
  for (char c : server) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.') ? c : '_';
  return absl::StrCat(config_dir, "/", name);
}

absl::Status SaveSession(const std::string& config_dir, const Session& session) {
  if (config_dir.empty()) {
    return absl::FailedPreconditionError(
        "no config directory for the session: set XDG_CONFIG_HOME or HOME");
  }
  std::error_code error;
  std::filesystem::create_directories(config_dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", config_dir, ": ", error.message()));
  }
  chmod(config_dir.c_str(), 0700);
  const std::string path = SessionFilePath(config_dir, session.server);
  const std::string temp = path + ".new";
  // Created 0600 from the start: the token is never readable by others.
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", temp, ": ", std::strerror(errno)));
  }
  fchmod(fd, 0600);
  const std::string body =
      absl::StrCat("server ", session.server, "\nuser ", session.user, "\ntoken ", session.token,
                   "\nexpires ", absl::ToUnixSeconds(session.expires_at), "\n");
  const bool written = write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
  const bool closed = close(fd) == 0;
  if (!written || !closed || rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Session>> LoadSession(const std::string& config_dir,
                                                   const std::string& server) {
  if (config_dir.empty()) return std::nullopt;
  std::ifstream file(SessionFilePath(config_dir, server));
  if (!file) return std::nullopt;
  std::map<std::string, std::string> fields;
  for (std::string line; std::getline(file, line);) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    fields[kv.first] = kv.second;
  }
  int64_t expires = 0;
  if (fields["token"].empty() || fields["user"].empty() ||
      !absl::SimpleAtoi(fields["expires"], &expires)) {
    return absl::DataLossError(absl::StrCat(SessionFilePath(config_dir, server),
                                            " is not a session file; run `cpc login` again"));
  }
  return Session{.server = server,
                 .user = fields["user"],
                 .token = fields["token"],
                 .expires_at = absl::FromUnixSeconds(expires)};
}

absl::Status RemoveSession(const std::string& config_dir, const std::string& server) {
  if (config_dir.empty()) return absl::OkStatus();
  const std::string path = SessionFilePath(config_dir, server);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot remove ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace cpc
