// Runs the real cpcd binary on a loopback ephemeral port with a temporary
// database, and the real cpc binary against it.
#ifndef CPCTRACK_TESTS_E2E_SERVER_PROCESS_H_
#define CPCTRACK_TESTS_E2E_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cpctrack::testing {

// A scratch directory removed (with its contents) when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// How to start the server child.
struct ProcessOptions {
  // Empty: cpcd with the test flags (--db, --time_zone UTC, --facility W1234).
  // Otherwise a program that takes `--port N` and prints "listening on
  // 127.0.0.1:PORT" (bench's no-op server).
  std::string program;
  std::vector<std::string> extra_flags;
  // RLIMIT_FSIZE for the child, with SIGXFSZ ignored: past it every write to
  // a file fails with EFBIG, as a full disk would (root ignores chmod, not
  // this). 0: no limit.
  int64_t file_size_limit_bytes = 0;
};

class ServerProcess {
 public:
  // Starts the server on `db_path` and waits for its "listening on" line.
  explicit ServerProcess(std::string db_path, ProcessOptions options = {});
  ~ServerProcess();  // SIGKILLs a server still running

  int port() const { return port_; }
  std::string address() const;  // "127.0.0.1:PORT"
  pid_t pid() const { return pid_; }

  // SIGTERM and wait; returns the exit status (0 on a clean stop).
  int Stop();
  // SIGKILL and wait: a crash.
  void Kill();
  // Starts again on the same database and port.
  void Restart();
  // Starts again with other options (e.g. without the file-size limit).
  void Restart(ProcessOptions options);
  // Everything cpcd wrote to stderr so far (the request log).
  std::string Log() const;

 private:
  void Launch();

  std::string db_path_;
  ProcessOptions options_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `cpc ARGS...` with CPC_SERVER and CPC_USER set (empty `user`: unset)
// and waits for it. cpc keeps its journal of unfinished writes in
// `state_dir` (empty: a scratch folder for this run only).
CliResult RunCpc(const std::string& server, const std::string& user,
                 const std::vector<std::string>& args, const std::string& state_dir = "");

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_SERVER_PROCESS_H_
