// The session `cpc login` keeps: one file per server in the user's config
// directory ($XDG_CONFIG_HOME/cpctrack, else ~/.config/cpctrack), readable
// only by the user (0600). It holds the token, so it is never printed.
#ifndef CPCTRACK_CLIENT_SESSION_FILE_H_
#define CPCTRACK_CLIENT_SESSION_FILE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cpc {

struct Session {
  std::string server;  // as given to --server
  std::string user;
  std::string token;
  absl::Time expires_at;
};

// $XDG_CONFIG_HOME/cpctrack, else $HOME/.config/cpctrack; "" if neither is set.
std::string ConfigDirectoryFromEnvironment();

// Where the session for `server` lives in `config_dir`.
std::string SessionFilePath(const std::string& config_dir, const std::string& server);

// Writes the file with mode 0600 (its directory 0700), replacing any earlier one.
absl::Status SaveSession(const std::string& config_dir, const Session& session);
// nullopt when there is none (not logged in to that server).
absl::StatusOr<std::optional<Session>> LoadSession(const std::string& config_dir,
                                                   const std::string& server);
// Succeeds when there was none.
absl::Status RemoveSession(const std::string& config_dir, const std::string& server);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_SESSION_FILE_H_
