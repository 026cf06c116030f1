#include "server/audit_checkpoints.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/status_macros.h"

namespace cpctrack::server {
namespace {

absl::Status WriteFileWithMode(const std::string& path, absl::string_view text, mode_t mode) {
  const std::string partial = absl::StrCat(path, ".partial");
  const int fd = open(partial.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot create ", partial));
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       fsync(fd) == 0;
  close(fd);
  if (!written || rename(partial.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<domain::CheckpointKey> LoadOrCreateCheckpointKey(const std::string& key_file) {
  std::error_code error;
  if (!std::filesystem::exists(key_file, error)) {
    const domain::CheckpointKey key = domain::NewCheckpointKey();
    RETURN_IF_ERROR(
        WriteFileWithMode(key_file, absl::StrCat(absl::BytesToHexString(key.secret_key), "\n"),
                          0600));
    RETURN_IF_ERROR(
        WriteFileWithMode(absl::StrCat(key_file, ".pub"), key.PublicHex() + "\n", 0644));
    return key;
  }
  const std::string hex(absl::StripAsciiWhitespace(ReadWholeFile(key_file)));
  return domain::CheckpointKeyFromSecret(absl::HexStringToBytes(hex));
}

absl::StatusOr<domain::AuditCheckpoint> WriteAuditCheckpoint(store::Store& store,
                                                            const domain::CheckpointKey& key,
                                                            const std::string& directory,
                                                            absl::Time now) {
  domain::AuditHead head;
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(head, tx.AuditHead());
    return absl::OkStatus();
  }));
  const domain::AuditCheckpoint cp = domain::SignCheckpoint(head, now, key);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  RETURN_IF_ERROR(WriteFileWithMode(
      absl::StrCat(directory, "/checkpoint-", absl::StrFormat("%012d", head.entries), "-",
                   absl::FormatTime("%Y%m%dT%H%M%SZ", cp.at, absl::UTCTimeZone()), ".txt"),
      domain::FormatCheckpoint(cp), 0644));
  // journald keeps what syslog gets: a second copy the database's owner
  // cannot quietly rewrite along with the trail.
  openlog("cpcd", LOG_PID, LOG_DAEMON);
  syslog(LOG_NOTICE, "%s", domain::CheckpointLogLine(cp).c_str());
  return cp;
}

std::optional<domain::AuditCheckpoint> LastTrustedCheckpoint(const std::string& directory,
                                                             const domain::CheckpointKey& key) {
  std::optional<domain::AuditCheckpoint> best;
  std::error_code error;
  for (const auto& file : std::filesystem::directory_iterator(directory, error)) {
    if (file.path().extension() != ".txt") continue;
    absl::StatusOr<domain::AuditCheckpoint> cp =
        domain::ParseCheckpoint(ReadWholeFile(file.path().string()));
    if (!cp.ok() || !domain::VerifyCheckpoint(*cp, key.PublicHex()).ok()) continue;
    if (!best.has_value() || cp->head.entries > best->head.entries) best = *cp;
  }
  return best;
}

}  // namespace cpctrack::server
