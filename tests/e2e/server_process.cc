#include "tests/e2e/server_process.h"

#include "tests/e2e/test_users.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cpctrack::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Spawns argv with stdout/stderr redirected to files and `env` as the
// environment; returns the child's pid. The child is killed if the test
// process dies first (a crashed test must not leave a cpcd behind).
pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const std::vector<std::string>& env,
            int64_t file_size_limit_bytes = 0, const std::string& in_path = "/dev/null") {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // Opened (and emptied) before the fork, so the caller never reads what an
  // earlier run of the same program left in them.
  const int in = open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in < 0 || out < 0 || err < 0) throw std::runtime_error("cannot open output files");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot fork to start " + argv[0]);
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    // No controlling terminal: a password prompt fails as it does in CI,
    // instead of waiting on the developer's terminal.
    setsid();
    if (file_size_limit_bytes > 0) {
      // Both survive exec: writes past the limit fail with EFBIG instead of
      // killing the child.
      signal(SIGXFSZ, SIG_IGN);
      const struct rlimit limit = {static_cast<rlim_t>(file_size_limit_bytes),
                                   static_cast<rlim_t>(file_size_limit_bytes)};
      if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(126);
    }
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in);
  close(out);
  close(err);
  return pid;
}

std::vector<std::string> BaseEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("CPC_", 0) == 0) continue;  // tests decide these
    env.push_back(entry);
  }
  return env;
}

int WaitExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::trunc);
  out << contents;
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cpctrack-e2e-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

ServerProcess::ServerProcess(std::string db_path, ProcessOptions options)
    : db_path_(std::move(db_path)), options_(std::move(options)) {
  log_path_ = db_path_ + ".log";
  if (!options_.program.empty()) {  // not cpcd: nobody to log in
    Launch();
    return;
  }
  // The first administrator, as an operator makes it: `cpcd bootstrap-admin`.
  const std::string password_path = db_path_ + ".admin-password";
  WriteFile(password_path, TestPassword(kAdmin) + "\n");
  const std::string out_path = db_path_ + ".bootstrap";
  const int code = WaitExit(Spawn({Cpcd(), "bootstrap-admin", "--db", db_path_,
                                   "--admin_user", kAdmin, "--admin_full_name", "Kato Ren",
                                   "--password_hashing", "fast-for-tests"},
                                  out_path, out_path, BaseEnvironment(), 0, password_path));
  std::filesystem::remove(password_path);
  if (code != 0) throw std::runtime_error("cpcd bootstrap-admin failed: " + ReadFile(out_path));
  Launch();
  bool tls = false;
  for (const std::string& flag : options_.extra_flags) {
    tls = tls || flag.rfind("--tls_cert", 0) == 0;
  }
  if (!tls) {
    // The channel is dropped at once: an idle one would delay cpcd's shutdown.
    CreateTestUsers(grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  }
}

std::string ServerProcess::Cpcd() const {
  return options_.cpcd_path.empty() ? CPCD_PATH : options_.cpcd_path;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

std::string ServerProcess::address() const { return "127.0.0.1:" + std::to_string(port_); }

void ServerProcess::Launch() {
  const std::string out_path = db_path_ + ".out";
  // A restart keeps the port, as a real restart does: clients keep their address.
  std::vector<std::string> argv;
  if (options_.program.empty()) {
    // The server-wide sign-in rate (20 a second in production) is the
    // domain's to test (sign_in_throttle_test); a fixture signing in a
    // dozen users and then signing a release at once would otherwise be
    // refused now and then. The per-name and per-address limits stay.
    argv = {Cpcd(), "--db", db_path_, "--port", std::to_string(port_),
            "--time_zone", "UTC", "--facility", "W1234",
            "--password_hashing", "fast-for-tests", "--sign_in_attempts_per_second=1000"};
  } else {
    argv = {options_.program, "--port", std::to_string(port_)};
  }
  argv.insert(argv.end(), options_.extra_flags.begin(), options_.extra_flags.end());
  pid_ = Spawn(argv, out_path, log_path_, BaseEnvironment(), options_.file_size_limit_bytes);
  // cpcd prints "... listening on 127.0.0.1:PORT ..." once it serves.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options_.start_timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = ReadFile(out_path);
    const size_t at = out.find("listening on 127.0.0.1:");
    if (at != std::string::npos) {
      port_ = std::atoi(out.c_str() + at + sizeof("listening on 127.0.0.1:") - 1);
      if (port_ > 0) return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("cpcd exited at start: " + ReadFile(log_path_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("cpcd did not report its port within " +
                           std::to_string(options_.start_timeout_seconds) + " s");
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  WaitExit(pid_);
  pid_ = -1;
}

void ServerProcess::Restart() {
  if (pid_ > 0) Stop();
  Launch();
}

void ServerProcess::Restart(ProcessOptions options) {
  if (pid_ > 0) Stop();
  options_ = std::move(options);
  Launch();
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

std::string ServerProcess::Output() const { return ReadFile(db_path_ + ".out"); }

CliResult RunProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     const std::string& stdin_text) {
  TempDir dir;
  const std::string out_path = dir.path() + "/out";
  const std::string err_path = dir.path() + "/err";
  const std::string in_path = dir.path() + "/in";
  WriteFile(in_path, stdin_text);
  CliResult result;
  result.exit_code = WaitExit(Spawn(argv, out_path, err_path, env, 0, in_path));
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

std::vector<std::string> CpcEnvironment(const std::string& server, const std::string& config_home,
                                        const std::string& state_dir) {
  std::vector<std::string> env = BaseEnvironment();
  std::erase_if(env, [](const std::string& e) { return e.rfind("XDG_CONFIG_HOME=", 0) == 0; });
  env.push_back("CPC_SERVER=" + server);
  env.push_back("XDG_CONFIG_HOME=" + config_home);
  env.push_back("TZ=UTC");
  env.push_back("CPC_STATE_DIR=" + state_dir);
  return env;
}

CliResult RunCpc(const std::string& server, const std::string& user,
                 const std::vector<std::string>& args, const std::string& state_dir,
                 const std::string& more_stdin) {
  TempDir scratch;
  const std::string state = state_dir.empty() ? scratch.path() + "/state" : state_dir;
  // Each user has a config directory of their own, as on separate accounts;
  // beside the journal, which holds only pending writes.
  const std::string config_home = state + ".config-" + (user.empty() ? "nobody" : user);
  const std::vector<std::string> env = CpcEnvironment(server, config_home, state);
  if (!user.empty() && !std::filesystem::exists(config_home + "/cpctrack")) {
    const CliResult login = RunProgram({CPC_PATH, "login", user, "--password-stdin"}, env,
                                       TestPassword(user) + "\n");
    if (login.exit_code != 0) return login;
  }
  std::vector<std::string> argv = {CPC_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  // A signing command given --password-stdin reads the user's password here.
  return RunProgram(argv, env, (user.empty() ? "" : TestPassword(user) + "\n") + more_stdin);
}

}  // namespace cpctrack::testing
