// cpcd: the cpctrack gRPC server.
//   cpcd [flags]                  serve
//   cpcd bootstrap-admin [flags]  create the first administrator and exit
//   cpcd audit-checkpoint [flags] sign a checkpoint of the audit head now
//   cpcd backup OUT | verify-backup FILE | verify-audit [flags]
//                                 the database file's offline tools
#include <pthread.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/audit_integrity.h"
#include "server/auth_service.h"
#include "server/credentials.h"
#include "server/offline_commands.h"
#include "server/server.h"
#include "store/store.h"

ABSL_FLAG(std::string, db, "cpctrack.db", "SQLite database file (created if missing)");
ABSL_FLAG(std::string, listen, "127.0.0.1",
          "address to listen on; plain text (no TLS) only on loopback");
ABSL_FLAG(int, port, 50051, "port to listen on; 0 picks a free port and prints it");
ABSL_FLAG(std::string, facility, "A9999",
          "ISBT 128 facility identification code used in new batch IDs");
ABSL_FLAG(std::string, acknowledge_audit_break, "",
          "administrator action: record in the audit trail, with this reason, that its "
          "broken entries were found and looked into, then exit (without serving); "
          "needs --acknowledged_by");
ABSL_FLAG(std::string, acknowledged_by, "",
          "the administrator's user name, recorded with --acknowledge_audit_break");
ABSL_FLAG(std::string, time_zone, "localtime",
          "IANA time zone of the facility (lot expiry days, DIN year), e.g. Asia/Tokyo");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of this server: serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA: require client certificates signed by it (mutual TLS)");
ABSL_FLAG(std::string, password_hashing, "interactive",
          "Argon2id cost of new passwords: interactive (64 MiB, the default), moderate "
          "(256 MiB), or fast-for-tests (never for real passwords)");
ABSL_FLAG(std::vector<std::string>, follow_up_deadline_days, std::vector<std::string>({"7", "15"}),
          "deadlines of a follow-up case (a positive after release), in days from its opening, "
          "comma-separated; shown as due dates and flagged when passed");
ABSL_FLAG(absl::Duration, session_lifetime, absl::Hours(12),
          "how long a `cpc login` session lasts, e.g. 12h");
ABSL_FLAG(double, sign_in_attempts_per_second, 20,
          "sign-in attempts (logins, signature and reset passwords) the whole server checks "
          "per second; a burst of twice as many");
ABSL_FLAG(absl::Duration, sign_in_report_window, absl::Minutes(1),
          "failed sign-ins from one address are audited as one entry per window");
ABSL_FLAG(std::string, audit_checkpoint_dir, "",
          "write signed checkpoints of the audit head here (another disk, ideally) and to "
          "syslog: at start-up, every --audit_checkpoint_interval, and on demand "
          "(`cpcd audit-checkpoint`); start-up then verifies from the last one");
ABSL_FLAG(std::string, audit_checkpoint_key, "",
          "Ed25519 key that signs checkpoints; created (0600, public half in KEY.pub) if "
          "missing; never inside the database (default: cpcd-checkpoint.key beside DIR)");
ABSL_FLAG(absl::Duration, audit_checkpoint_interval, absl::Hours(1),
          "how often cpcd writes a checkpoint");
ABSL_FLAG(std::string, log_format, "text",
          "request log on stderr: text (one line per request) or json (one object per line)");
ABSL_FLAG(int, metrics_port, 0,
          "serve Prometheus metrics at http://127.0.0.1:PORT/metrics (0: off; -1: any free "
          "port, printed; loopback only)");
ABSL_FLAG(std::string, expect_head, "",
          "verify-audit: a head printed earlier by `cpc audit head` or an export (N:HASH); the "
          "trail must still hold its first N entries unchanged");
ABSL_FLAG(std::vector<std::string>, checkpoint, {},
          "verify-audit: checkpoint files cpcd signed (--audit_checkpoint_dir), comma-separated; "
          "the trail must still hold the head each vouches for");
ABSL_FLAG(std::string, checkpoint_key, "",
          "verify-audit: the public key checkpoints must be signed with (64 hex digits, or "
          "cpcd's KEY.pub)");
ABSL_FLAG(std::string, admin_user, "", "bootstrap-admin: the administrator's user name");
ABSL_FLAG(std::string, admin_full_name, "",
          "bootstrap-admin: the administrator's full name");

namespace {

// One line from stdin, without echo when stdin is a terminal.
std::string ReadPasswordLine(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios saved{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  return line;
}

int BootstrapAdmin(cpctrack::server::PasswordHashing hashing) {
  namespace server = cpctrack::server;
  cpctrack::domain::User admin;
  admin.name = absl::GetFlag(FLAGS_admin_user);
  admin.full_name = absl::GetFlag(FLAGS_admin_full_name);
  admin.roles = {cpctrack::domain::Role::kAdministrator};
  admin.created_at = absl::Now();
  admin.created_by = "cpcd bootstrap-admin";
  if (admin.name.empty() || admin.full_name.empty()) {
    std::fprintf(stderr, "cpcd bootstrap-admin: give --admin_user and --admin_full_name\n");
    return 2;
  }
  const std::string password = ReadPasswordLine("Password for the new administrator: ");
  absl::Status status = server::InitCrypto();
  auto store = cpctrack::store::Store::Open(absl::GetFlag(FLAGS_db));
  if (status.ok()) status = store.status();
  if (status.ok()) status = server::BootstrapAdministrator(**store, admin, password, hashing);
  if (!status.ok()) {
    std::fprintf(stderr, "cpcd bootstrap-admin: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  std::printf("cpcd: administrator %s created in %s; log in with `cpc login %s`\n",
              admin.name.c_str(), absl::GetFlag(FLAGS_db).c_str(), admin.name.c_str());
  return 0;
}

}  // namespace

namespace {

cpctrack::server::CheckpointOptions CheckpointOptionsFromFlags() {
  cpctrack::server::CheckpointOptions checkpoints;
  checkpoints.directory = absl::GetFlag(FLAGS_audit_checkpoint_dir);
  checkpoints.key_file = absl::GetFlag(FLAGS_audit_checkpoint_key);
  if (checkpoints.key_file.empty() && !checkpoints.directory.empty()) {
    // Beside the directory, not in it: whoever reads checkpoints never gets the key.
    checkpoints.key_file =
        (std::filesystem::absolute(checkpoints.directory).parent_path() / "cpcd-checkpoint.key")
            .string();
  }
  checkpoints.interval = absl::GetFlag(FLAGS_audit_checkpoint_interval);
  return checkpoints;
}

// `cpcd audit-checkpoint --db DB --audit_checkpoint_dir DIR`: a checkpoint on
// demand, e.g. before handing a copy of the trail to an inspector.
int WriteCheckpointNow() {
  const cpctrack::server::CheckpointOptions options = CheckpointOptionsFromFlags();
  if (options.directory.empty()) {
    std::fprintf(stderr, "cpcd audit-checkpoint: give --audit_checkpoint_dir\n");
    return 2;
  }
  auto key = cpctrack::server::LoadOrCreateCheckpointKey(options.key_file);
  auto store = cpctrack::store::Store::Open(absl::GetFlag(FLAGS_db));
  absl::Status status = key.ok() ? store.status() : key.status();
  if (status.ok()) {
    auto cp = cpctrack::server::WriteAuditCheckpoint(**store, *key, options.directory,
                                                     absl::Now());
    if (cp.ok()) {
      std::printf("%s", cpctrack::domain::FormatCheckpoint(*cp).c_str());
      return 0;
    }
    status = cp.status();
  }
  std::fprintf(stderr, "cpcd audit-checkpoint: %s\n", std::string(status.message()).c_str());
  return 1;
}

// `cpcd backup OUT`, `cpcd verify-backup FILE`, `cpcd verify-audit`: on the
// database file, while cpcd may keep serving it.
int RunOfflineCommand(const std::vector<char*>& positional) {
  const std::string command = positional[1];
  const std::string db = absl::GetFlag(FLAGS_db);
  absl::Status status;
  if (command == "backup" && positional.size() == 3) {
    status = cpctrack::server::RunBackup(db, positional[2], std::cout);
  } else if (command == "verify-backup" && positional.size() == 3) {
    status = cpctrack::server::RunVerifyBackup(positional[2], std::cout);
  } else if (command == "verify-audit" && positional.size() == 2) {
    cpctrack::server::VerifyAuditOptions options;
    if (!absl::GetFlag(FLAGS_expect_head).empty()) {
      options.expect_head = absl::GetFlag(FLAGS_expect_head);
    }
    options.checkpoints = absl::GetFlag(FLAGS_checkpoint);
    options.checkpoint_key = absl::GetFlag(FLAGS_checkpoint_key);
    status = cpctrack::server::RunVerifyAudit(db, options, std::cout);
  } else if (command == "backup" || command == "verify-backup" || command == "verify-audit") {
    std::fprintf(stderr,
                 "cpcd %s: usage: cpcd backup OUT --db DB; cpcd verify-backup FILE; "
                 "cpcd verify-audit --db DB [--expect_head N:HASH] [--checkpoint FILE,...]\n",
                 command.c_str());
    return 2;
  } else {
    std::fprintf(stderr,
                 "cpcd: unknown command \"%s\"; commands: bootstrap-admin, audit-checkpoint, "
                 "backup OUT, verify-backup FILE, verify-audit (see cpcd --help)\n",
                 command.c_str());
    return 2;
  }
  std::cout.flush();
  if (!status.ok()) {
    std::fprintf(stderr, "cpcd %s: %s\n", command.c_str(), std::string(status.message()).c_str());
  }
  return cpctrack::server::ExitCode(status);
}

// `cpcd --acknowledge_audit_break=REASON --acknowledged_by=NAME`: run on the
// server by an administrator, never over the API.
int AcknowledgeAuditBreaks(const std::string& db_path) {
  auto store = cpctrack::store::Store::Open(db_path);
  if (!store.ok()) {
    std::fprintf(stderr, "cpcd: %s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  (void)cpctrack::server::InitCrypto();
  const std::string by = absl::GetFlag(FLAGS_acknowledged_by);
  const std::string password = ReadPasswordLine(("Password of " + by + ": ").c_str());
  auto acknowledged = cpctrack::server::AcknowledgeAuditBreaks(
      **store, by, password, absl::GetFlag(FLAGS_acknowledge_audit_break));
  if (!acknowledged.ok()) {
    std::fprintf(stderr, "cpcd: %s\n", std::string(acknowledged.status().message()).c_str());
    return 1;
  }
  if (acknowledged->empty()) {
    std::printf("cpcd: the audit trail holds; nothing to acknowledge\n");
  }
  for (const auto& b : *acknowledged) {
    std::printf("cpcd: acknowledged: %s\n  expected %s\n  found    %s\n", b.Describe().c_str(),
                b.expected.c_str(), b.found.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "cpctrack server.\n"
      "  cpcd --db /var/lib/cpctrack/cpctrack.db --tls_cert server.pem --tls_key server.key\n"
      "  cpcd bootstrap-admin --db ... --admin_user admin.kato --admin_full_name \"Kato Ren\"\n"
      "    (reads the password from stdin; only while no administrator exists)\n"
      "  cpcd backup /backup/cpctrack-2026-11-25.db --db ...   a consistent copy, while serving\n"
      "  cpcd verify-backup /backup/cpctrack-2026-11-25.db     the checks a restore needs\n"
      "  cpcd verify-audit --db ... [--expect_head N:HASH] [--checkpoint FILE,...]\n"
      "    [--checkpoint_key KEY.pub]   the audit hash chain, offline");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with absl::Mutex's deadlock detection on: a
  // global graph of every lock order, updated on each lock. Profiled under
  // the 32-client write load it was ~3 % of cpcd's CPU (bench/RESULTS.md);
  // unit tests of the same locks keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  auto hashing = cpctrack::server::ParsePasswordHashing(absl::GetFlag(FLAGS_password_hashing));
  if (!hashing.ok()) {
    std::fprintf(stderr, "cpcd: %s\n", std::string(hashing.status().message()).c_str());
    return 2;
  }
  if (positional.size() == 2 && std::string(positional[1]) == "bootstrap-admin") {
    return BootstrapAdmin(*hashing);
  }
  if (positional.size() == 2 && std::string(positional[1]) == "audit-checkpoint") {
    return WriteCheckpointNow();
  }
  if (positional.size() > 1) return RunOfflineCommand(positional);
  if (!absl::GetFlag(FLAGS_acknowledge_audit_break).empty() ||
      !absl::GetFlag(FLAGS_acknowledged_by).empty()) {
    return AcknowledgeAuditBreaks(absl::GetFlag(FLAGS_db));
  }

  // Block the stop signals before gRPC starts its threads, so only sigwait
  // below sees them and shutdown runs on this thread, not in a handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  cpctrack::server::ServerOptions options;
  options.db_path = absl::GetFlag(FLAGS_db);
  options.listen_host = absl::GetFlag(FLAGS_listen);
  options.port = absl::GetFlag(FLAGS_port);
  options.facility_code = absl::GetFlag(FLAGS_facility);
  options.time_zone = absl::GetFlag(FLAGS_time_zone);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.password_hashing = *hashing;
  options.session_lifetime = absl::GetFlag(FLAGS_session_lifetime);
  options.checkpoints = CheckpointOptionsFromFlags();
  options.metrics_port = absl::GetFlag(FLAGS_metrics_port);
  const std::string log_format = absl::GetFlag(FLAGS_log_format);
  if (log_format != "text" && log_format != "json") {
    std::fprintf(stderr, "cpcd: --log_format: \"%s\" is not text or json\n", log_format.c_str());
    return 2;
  }
  options.log_format = log_format == "json" ? cpctrack::server::LogFormat::kJson
                                            : cpctrack::server::LogFormat::kText;
  options.sign_in.attempts_per_second = absl::GetFlag(FLAGS_sign_in_attempts_per_second);
  options.sign_in.burst = std::max(1, static_cast<int>(2 * options.sign_in.attempts_per_second));
  options.sign_in.report_window = absl::GetFlag(FLAGS_sign_in_report_window);
  if (!(options.sign_in.attempts_per_second > 0) ||
      options.sign_in.report_window <= absl::ZeroDuration()) {
    std::fprintf(stderr, "cpcd: --sign_in_attempts_per_second and --sign_in_report_window "
                         "must be positive\n");
    return 2;
  }
  options.follow_up_deadlines.clear();
  for (const std::string& days : absl::GetFlag(FLAGS_follow_up_deadline_days)) {
    double d = 0;
    if (!absl::SimpleAtod(days, &d) || !(d > 0)) {
      std::cerr << "cpcd: --follow_up_deadline_days: \"" << days
                << "\" is not a positive number of days\n";
      return 2;
    }
    options.follow_up_deadlines.push_back(absl::Hours(24 * d));
  }

  auto server = cpctrack::server::CpcServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "cpcd: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  // Tests and scripts read this line to learn the port.
  std::printf("cpcd %s listening on %s:%d (database %s, facility %s, time zone %s)\n",
              CPCTRACK_VERSION, options.listen_host.c_str(), (*server)->port(),
              options.db_path.c_str(), options.facility_code.c_str(),
              (*server)->config().time_zone_name.c_str());
  if ((*server)->metrics_port() != 0) {
    std::printf("cpcd: metrics at http://127.0.0.1:%d/metrics\n", (*server)->metrics_port());
  }
  if (!(*server)->tls()) {
    std::printf("cpcd: WARNING: plain-text gRPC (no TLS) on loopback: for development only; "
                "give --tls_cert and --tls_key in production\n");
  } else {
    std::printf("cpcd: TLS%s\n", options.tls_client_ca_file.empty()
                                     ? ""
                                     : ", client certificates required (mutual TLS)");
  }
  if (*hashing == cpctrack::server::PasswordHashing::kFastForTests) {
    std::printf("cpcd: WARNING: --password_hashing=fast-for-tests: new passwords are weakly "
                "hashed; for test suites only\n");
  }
  const auto& audit = (*server)->audit_check();
  std::printf("cpcd: audit trail: %lld entries, head %s, verified in %s%s\n",
              static_cast<long long>(audit.verification.entries),
              cpctrack::domain::FormatHead(audit.verification.head).c_str(),
              absl::FormatDuration(audit.took).c_str(),
              audit.from_checkpoint.has_value()
                  ? absl::StrCat(" from the signed checkpoint of entry ",
                                 audit.from_checkpoint->entries,
                                 " (the whole trail is being verified in the background)")
                        .c_str()
                  : "");
  if (!audit.write_refusal.ok()) {
    std::printf("cpcd: WRITES REFUSED: %s\n", std::string(audit.write_refusal.message()).c_str());
  }
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::printf("cpcd: %s received, finishing in-flight requests\n",
              signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  (*server)->Shutdown(absl::Now() + absl::Seconds(10));
  std::printf("cpcd: stopped, database closed\n");
  return 0;
}
