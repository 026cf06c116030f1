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
#include <random>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/status_util.h"

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

// The journal directory and any missing parents, created private.
absl::Status MakeDirectory(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  struct stat info;
  if (stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a directory", kHint));
  }
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    absl::Status parent = MakeDirectory(path.substr(0, slash));
    if (!parent.ok()) return parent;
  }
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError("create the directory", path);
  }
  return absl::OkStatus();
}

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Opens the journal directory for *at() calls, after checking that only the
// user can put files in it: anyone else who could would choose what a later
// `cpc retry` sends in the user's name. NOT_FOUND when it does not exist.
absl::StatusOr<int> OpenPrivateDirectory(const std::string& path) {
  Fd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) {
    if (errno == ENOENT) return absl::NotFoundError(path);
    return ErrnoError("open the directory", path);
  }
  struct stat info;
  if (fstat(dir.get(), &info) != 0) return ErrnoError("inspect", path);
  if (info.st_uid != geteuid()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing the pending-write directory ", path, ": it belongs to user ID ",
        info.st_uid, ", not to you", kHint));
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing the pending-write directory ", path,
        ": others may write to it (run `chmod go-w ", path, "`)"));
  }
  return dir.release();
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

// `name` in the directory `dir`; never through a symbolic link.
absl::StatusOr<std::string> ReadFile(int dir, const std::string& name,
                                     const std::string& path) {
  Fd fd(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return absl::NotFoundError(path);
    return ErrnoError("read", path);
  }
  struct stat info;
  if (fstat(fd.get(), &info) != 0) return ErrnoError("inspect", path);
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a regular file"));
  }
  std::string contents;
  char buffer[8192];
  for (;;) {
    ssize_t got = read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError("read", path);
    if (got == 0) break;
    contents.append(buffer, static_cast<size_t>(got));
  }
  return contents;
}

// Unique among concurrent saves, in this process (threads) and others.
std::string TempName(absl::string_view request_id) {
  std::random_device device;
  return absl::StrCat(".", request_id, ".", getpid(), ".",
                      absl::Hex(static_cast<uint64_t>(device()) << 32 | device()), ".tmp");
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
  CPC_ASSIGN_OR_RETURN(std::string path, PathFor(write.request_id));
  if (absl::Status made = MakeDirectory(directory_); !made.ok()) return made;
  CPC_ASSIGN_OR_RETURN(int dir_fd, OpenPrivateDirectory(directory_));
  const Fd dir(dir_fd);

  // Written in full under a temp name, then linked to its final name: link()
  // never replaces an existing entry (rename() would), so two cpc runs with
  // the same --request-id cannot lose one another's pending write.
  const std::string temp = TempName(write.request_id);
  const std::string temp_path = absl::StrCat(directory_, "/", temp);
  absl::Status status;
  {
    Fd fd(openat(dir.get(), temp.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return ErrnoError("create", temp_path);
    status = WriteAll(fd.get(), Encode(write), temp_path);
    // The entry must survive a crash of the machine as well as of cpc.
    if (status.ok() && fsync(fd.get()) != 0) status = ErrnoError("flush", temp_path);
  }
  bool exists = false;
  if (status.ok() && linkat(dir.get(), temp.c_str(), dir.get(), write.request_id.c_str(), 0) != 0) {
    if (errno == EEXIST) {
      exists = true;
    } else {
      status = ErrnoError("link into place", path);
    }
  }
  unlinkat(dir.get(), temp.c_str(), 0);
  if (!status.ok()) return status;
  fsync(dir.get());  // the new name itself

  if (exists) {
    // The same write again (e.g. re-run as typed with the same --request-id)
    // may share the entry; anything else must wait until that one is finished.
    absl::StatusOr<PendingWrite> earlier = Load(write.request_id);
    if (earlier.ok() && earlier->method == write.method && earlier->request == write.request) {
      return absl::OkStatus();
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "a different write is already pending under request ID ", write.request_id,
        ": finish it with `cpc retry ", write.request_id, "` first",
        earlier.ok() ? "" : absl::StrCat(" (", earlier.status().message(), ")")));
  }
  return absl::OkStatus();
}

absl::StatusOr<PendingWrite> PendingWriteJournal::Load(absl::string_view request_id) const {
  CPC_ASSIGN_OR_RETURN(std::string path, PathFor(request_id));
  auto not_found = [&] {
    return absl::NotFoundError(absl::StrCat("no pending write with request ID ", request_id));
  };
  absl::StatusOr<int> dir_fd = OpenPrivateDirectory(directory_);
  if (absl::IsNotFound(dir_fd.status())) return not_found();
  if (!dir_fd.ok()) return dir_fd.status();
  const Fd dir(*dir_fd);
  absl::StatusOr<std::string> contents = ReadFile(dir.get(), std::string(request_id), path);
  if (absl::IsNotFound(contents.status())) return not_found();
  if (!contents.ok()) return contents.status();
  return Decode(*contents, path);
}

absl::Status PendingWriteJournal::Remove(absl::string_view request_id) const {
  CPC_ASSIGN_OR_RETURN(std::string path, PathFor(request_id));
  absl::StatusOr<int> dir_fd = OpenPrivateDirectory(directory_);
  if (absl::IsNotFound(dir_fd.status())) return absl::OkStatus();
  if (!dir_fd.ok()) return dir_fd.status();
  const Fd dir(*dir_fd);
  if (unlinkat(dir.get(), std::string(request_id).c_str(), 0) != 0 && errno != ENOENT) {
    return ErrnoError("remove", path);
  }
  fsync(dir.get());
  return absl::OkStatus();
}

absl::StatusOr<PendingWriteJournal::Listing> PendingWriteJournal::List() const {
  Listing listing;
  if (directory_.empty()) return listing;
  absl::StatusOr<int> dir_fd = OpenPrivateDirectory(directory_);
  if (absl::IsNotFound(dir_fd.status())) return listing;
  if (!dir_fd.ok()) return dir_fd.status();
  DIR* dir = fdopendir(*dir_fd);  // owns the descriptor from here
  if (dir == nullptr) {
    close(*dir_fd);
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
