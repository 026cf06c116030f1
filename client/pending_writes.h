#ifndef CPCTRACK_CLIENT_PENDING_WRITES_H_
#define CPCTRACK_CLIENT_PENDING_WRITES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpc {

// A write as it was sent: re-sending these exact bytes under the same request
// ID is the only safe way to finish a write whose fate is unknown (running
// the command again would re-read "now" and `--at -1h`, so the server would
// see a different request under a used ID).
struct PendingWrite {
  std::string request_id;
  // Full gRPC method name: "/cpctrack.v1.BatchService/RecordPassage".
  std::string method;
  // The serialized request message, byte for byte.
  std::string request;
  absl::Time saved_time;
  // Where and as whom it was first sent: a retry goes to that server only
  // (another could record it a second time) and only by that user (the
  // record names who did the work).
  std::string server;
  std::string user;
};

// Whether `id` can name a journal file: letters, digits, '-', '_', '.', not
// starting with '.', at most 128 characters (the server's own limit).
bool IsJournalSafeRequestId(absl::string_view id);

// Where pending writes are kept, from the environment values given (null or
// empty means unset): $CPC_STATE_DIR, else $XDG_STATE_HOME/cpc/pending, else
// $HOME/.local/state/cpc/pending, else "" (no place known).
std::string PendingWriteDirectory(const char* cpc_state_dir, const char* xdg_state_home,
                                  const char* home);
// As above, from this process's environment (and the password file for the
// home directory when $HOME is unset).
std::string PendingWriteDirectoryFromEnvironment();

// One file per pending write, named by its request ID, in a directory only
// the user can read (0700; files 0600): the requests hold patient data.
// Every operation refuses a directory that is not the user's own or that
// others may write to, and never follows a symbolic link to an entry: a
// planted entry would be sent by `cpc retry` in the user's name.
class PendingWriteJournal {
 public:
  // `directory` may be "": every operation then fails with a message saying
  // to set CPC_STATE_DIR.
  explicit PendingWriteJournal(std::string directory) : directory_(std::move(directory)) {}

  const std::string& directory() const { return directory_; }

  // Saves `write` atomically (temp file + link), creating the directory.
  // Never replaces an entry, even when another cpc saves under the same
  // request ID at the same moment: the same write again shares the entry, a
  // different one is refused (FAILED_PRECONDITION) so that neither is lost.
  absl::Status Save(const PendingWrite& write) const;
  // NOT_FOUND when no write is pending under `request_id`.
  absl::StatusOr<PendingWrite> Load(absl::string_view request_id) const;
  // Forgets a write whose outcome is known. Absent is fine.
  absl::Status Remove(absl::string_view request_id) const;

  struct Listing {
    std::vector<PendingWrite> writes;  // oldest first
    std::vector<std::string> unreadable_files;
  };
  // Every pending write; an absent directory is an empty listing.
  absl::StatusOr<Listing> List() const;

 private:
  absl::StatusOr<std::string> PathFor(absl::string_view request_id) const;

  std::string directory_;
};

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_PENDING_WRITES_H_
