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
  // First, so that `{"--flag"}` is a compile error rather than a program name.
  std::vector<std::string> extra_flags;
  // Empty: cpcd with the test flags (--db, --time_zone UTC, --facility W1234,
  // fast password hashing) and the test users. Otherwise a program that is
  // not cpcd, takes `--port N` and prints "listening on 127.0.0.1:PORT"
  // (bench's no-op server).
  std::string program;
  // Which cpcd binary (empty: this build's); bench compares builds.
  std::string cpcd_path;
  // RLIMIT_FSIZE for the child, with SIGXFSZ ignored: past it every write to
  // a file fails with EFBIG, as a full disk would (root ignores chmod, not
  // this). 0: no limit.
  int64_t file_size_limit_bytes = 0;
  // How long to wait for "listening on": cpcd verifies the whole audit chain
  // first, which takes seconds on a big database (bench).
  int start_timeout_seconds = 20;
};

class ServerProcess {
 public:
  // Starts the server on `db_path` and waits for its "listening on" line.
  // For cpcd (an empty options.program) it first makes the administrator
  // kAdmin (`cpcd bootstrap-admin`), runs cpcd with fast password hashing,
  // and, unless options.extra_flags ask for TLS, creates TestUsers()
  // (test_users.h).
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
  // Everything it wrote to stdout since its last start (start-up lines).
  std::string Output() const;

 private:
  void Launch();
  std::string Cpcd() const;

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

// Runs `cpc ARGS...` with CPC_SERVER set, logged in as `user` (empty: not
// logged in), and waits for it. Each user has a config directory (the
// session) under `state_dir`, logged in with `cpc login USER
// --password-stdin` on first use; cpc keeps its journal of unfinished writes
// there too (empty `state_dir`: a scratch folder for this run only). Its
// stdin holds the user's password, for signing commands given --password-stdin,
// then `more_stdin` (a second signer's password line, e.g. a physician's).
CliResult RunCpc(const std::string& server, const std::string& user,
                 const std::vector<std::string>& args, const std::string& state_dir = "",
                 const std::string& more_stdin = "");

// Runs a program with exactly `env` and `stdin_text` on its stdin.
CliResult RunProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     const std::string& stdin_text);
// cpc's environment: CPC_SERVER, XDG_CONFIG_HOME, CPC_STATE_DIR, TZ=UTC.
std::vector<std::string> CpcEnvironment(const std::string& server, const std::string& config_home,
                                        const std::string& state_dir);

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_SERVER_PROCESS_H_
