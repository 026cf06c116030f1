// cpcd: the cpctrack gRPC server.
#include <csignal>
#include <cstdio>
#include <pthread.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "server/audit_integrity.h"
#include "server/server.h"
#include "store/store.h"

ABSL_FLAG(std::string, db, "cpctrack.db", "SQLite database file (created if missing)");
ABSL_FLAG(std::string, listen, "127.0.0.1", "address to listen on");
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

namespace {

// `cpcd --acknowledge_audit_break=REASON --acknowledged_by=NAME`: run on the
// server by an administrator, never over the API.
int AcknowledgeAuditBreaks(const std::string& db_path) {
  auto store = cpctrack::store::Store::Open(db_path);
  if (!store.ok()) {
    std::fprintf(stderr, "cpcd: %s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  auto acknowledged = cpctrack::server::AcknowledgeAuditBreaks(
      **store, absl::GetFlag(FLAGS_acknowledged_by), absl::GetFlag(FLAGS_acknowledge_audit_break));
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
      "cpctrack server. Example: cpcd --db /var/lib/cpctrack/cpctrack.db --port 50051");
  absl::ParseCommandLine(argc, argv);
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
  std::printf("cpcd: plain-text gRPC (no TLS yet): for loopback and development only\n");
  const auto& audit = (*server)->audit_check();
  std::printf("cpcd: audit trail: %lld entries, head %s, verified in %s\n",
              static_cast<long long>(audit.verification.entries),
              cpctrack::domain::FormatHead(audit.verification.head).c_str(),
              absl::FormatDuration(audit.took).c_str());
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
