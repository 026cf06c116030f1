#include "client/pending_writes.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cpc {
namespace {

// First line of every journal file; a reader refuses any other.
constexpr absl::string_view kMagic = "cpc-pending-write 1";
constexpr absl::string_view kHint = " (set CPC_STATE_DIR to a directory you can write)";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(errno), kHint));
}

bool Set(const char* value) { return value != nullptr && *value != '\0'; }

// The journal directory and any missing parents; the directory itself is
// created private, an existing one is left as the user made it.
absl::Status MakeDirectory(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  struct stat info;
  if (stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a directory", kHint));
  }
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    // Parents (~/.local/state) are ordinary directories.
    absl::Status parent = MakeDirectory(path.substr(0, slash));
    if (!parent.ok()) return parent;
  }
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError("create the directory", path);
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t written = write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return ErrnoError("write", path);
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(path);
    return ErrnoError("read", path);
  }
  std::string contents;
  char buffer[8192];
  for (;;) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      absl::Status error = ErrnoError("read", path);
      close(fd);
      return error;
    }
    if (got == 0) break;
    contents.append(buffer, static_cast<size_t>(got));
  }
  close(fd);
  return contents;
}

// A small header a person can read with `head`, then the request bytes.
// Header values are C-escaped so that no value can break a line.
std::string Encode(const PendingWrite& write) {
  std::string text = absl::StrCat(kMagic, "\n");
  absl::StrAppend(&text, "request_id: ", absl::CEscape(write.request_id), "\n",
                  "method: ", absl::CEscape(write.method), "\n",
                  "saved_time: ", absl::FormatTime(absl::RFC3339_full, write.saved_time,
                                                   absl::UTCTimeZone()),
                  "\n", "server: ", absl::CEscape(write.server), "\n",
                  "user: ", absl::CEscape(write.user), "\n",
                  "request_bytes: ", write.request.size(), "\n\n", write.request);
  return text;
}

absl::StatusOr<PendingWrite> Decode(absl::string_view contents, const std::string& path) {
  auto corrupt = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("pending write ", path, " is damaged: ", why));
  };
  const size_t end_of_header = contents.find("\n\n");
  if (!absl::StartsWith(contents, absl::StrCat(kMagic, "\n")) ||
      end_of_header == absl::string_view::npos) {
    return corrupt("not a cpc pending-write file");
  }
  std::map<std::string, std::string> fields;
  for (absl::string_view line :
       absl::StrSplit(contents.substr(0, end_of_header), '\n', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> field = absl::StrSplit(line, ": ");
    std::string value;
    if (!absl::CUnescape(field.second, &value)) return corrupt(line);
    fields[std::string(field.first)] = std::move(value);
  }
  PendingWrite write;
  write.request_id = fields["request_id"];
  write.method = fields["method"];
  write.server = fields["server"];
  write.user = fields["user"];
  write.request = std::string(contents.substr(end_of_header + 2));
  std::string error;
  size_t size = 0;
  if (!absl::ParseTime(absl::RFC3339_full, fields["saved_time"], &write.saved_time, &error) ||
      !absl::SimpleAtoi(fields["request_bytes"], &size)) {
    return corrupt("bad saved_time or request_bytes");
  }
  if (size != write.request.size()) return corrupt("truncated");
  if (write.request_id.empty() || !absl::StartsWith(write.method, "/")) {
    return corrupt("no request_id or method");
  }
  return write;
}

}  // namespace

bool IsJournalSafeRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128 || id[0] == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

std::string PendingWriteDirectory(const char* cpc_state_dir, const char* xdg_state_home,
                                  const char* home) {
  if (Set(cpc_state_dir)) return cpc_state_dir;
  if (Set(xdg_state_home)) return absl::StrCat(xdg_state_home, "/cpc/pending");
  if (Set(home)) return absl::StrCat(home, "/.local/state/cpc/pending");
  return "";
}

std::string PendingWriteDirectoryFromEnvironment() {
  const char* home = std::getenv("HOME");
  if (!Set(home)) {
    // Service accounts and some schedulers run without $HOME.
    if (const passwd* entry = getpwuid(getuid())) home = entry->pw_dir;
  }
  return PendingWriteDirectory(std::getenv("CPC_STATE_DIR"), std::getenv("XDG_STATE_HOME"),
                               home);
}

absl::StatusOr<std::string> PendingWriteJournal::PathFor(absl::string_view request_id) const {
  if (directory_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no place to keep pending writes: neither CPC_STATE_DIR, "
                     "XDG_STATE_HOME nor HOME is set", kHint));
  }
  if (!IsJournalSafeRequestId(request_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request ID \"", request_id,
                     "\" may use only letters, digits, '-', '_' and '.'"));
  }
  return absl::StrCat(directory_, "/", request_id);
}

absl::Status PendingWriteJournal::Save(const PendingWrite& write) const {
  absl::StatusOr<std::string> path = PathFor(write.request_id);
  if (!path.ok()) return path.status();
  absl::StatusOr<PendingWrite> earlier = Load(write.request_id);
  if (earlier.ok() && (earlier->method != write.method || earlier->request != write.request)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a different write is already pending under request ID ", write.request_id,
        ": finish it with `cpc retry ", write.request_id, "` first"));
  }
  if (absl::Status made = MakeDirectory(directory_); !made.ok()) return made;

  const std::string temp = absl::StrCat(directory_, "/.", write.request_id, ".", getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("create", temp);
  absl::Status status = WriteAll(fd, Encode(write), temp);
  // The entry must survive a crash of the machine as well as of cpc.
  if (status.ok() && fsync(fd) != 0) status = ErrnoError("flush", temp);
  close(fd);
  if (status.ok() && rename(temp.c_str(), path->c_str()) != 0) {
    status = ErrnoError("rename into place", *path);
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  if (int dir = open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    fsync(dir);  // the rename itself
    close(dir);
  }
  return absl::OkStatus();
}

absl::StatusOr<PendingWrite> PendingWriteJournal::Load(absl::string_view request_id) const {
  absl::StatusOr<std::string> path = PathFor(request_id);
  if (!path.ok()) return path.status();
  absl::StatusOr<std::string> contents = ReadFile(*path);
  if (absl::IsNotFound(contents.status())) {
    return absl::NotFoundError(absl::StrCat("no pending write with request ID ", request_id));
  }
  if (!contents.ok()) return contents.status();
  return Decode(*contents, *path);
}

absl::Status PendingWriteJournal::Remove(absl::string_view request_id) const {
  absl::StatusOr<std::string> path = PathFor(request_id);
  if (!path.ok()) return path.status();
  if (unlink(path->c_str()) != 0 && errno != ENOENT) return ErrnoError("remove", *path);
  return absl::OkStatus();
}

absl::StatusOr<PendingWriteJournal::Listing> PendingWriteJournal::List() const {
  Listing listing;
  if (directory_.empty()) return listing;
  DIR* dir = opendir(directory_.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return listing;
    return ErrnoError("list", directory_);
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    // Dot files are "." "..", and temp files of a save in progress.
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  }
  closedir(dir);
  for (const std::string& name : names) {
    absl::StatusOr<PendingWrite> write = Load(name);
    if (write.ok()) {
      listing.writes.push_back(*std::move(write));
    } else {
      listing.unreadable_files.push_back(absl::StrCat(directory_, "/", name));
    }
  }
  std::sort(listing.writes.begin(), listing.writes.end(),
            [](const PendingWrite& a, const PendingWrite& b) {
              return a.saved_time < b.saved_time;
            });
  return listing;
}

}  // namespace cpc
