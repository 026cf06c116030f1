// The one place that builds cpcd's gRPC server: services, the access check,
// health checking, reflection and the request log, on one listening address,
// with TLS (or plain text on loopback only).
#ifndef CPCTRACK_SERVER_SERVER_H_
#define CPCTRACK_SERVER_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "domain/sign_in_throttle.h"
#include "server/audit_checkpoints.h"
#include "server/audit_integrity.h"
#include "server/call_support.h"
#include "server/metrics.h"
#include "server/request_log.h"
#include "server/password_pool.h"
#include "store/store.h"

namespace cpctrack::server {

struct ServerOptions {
  std::string db_path = "cpctrack.db";
  std::string listen_host = "127.0.0.1";
  int port = 50051;  // 0: any free port
  std::string facility_code = "A9999";
  std::string time_zone = "localtime";
  // TLS: PEM files. Without a certificate and key cpcd speaks plain text,
  // and only on a loopback address. With a client CA, every client must
  // present a certificate it signed (mTLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  PasswordHashing password_hashing = PasswordHashing::kInteractive;
  absl::Duration session_lifetime = absl::Hours(12);
  domain::SignInLimits sign_in;  // see domain/sign_in_throttle.h
  CheckpointOptions checkpoints;  // signed audit heads; see audit_checkpoints.h
  LogFormat log_format = LogFormat::kText;
  // Prometheus metrics on their own port; 0: none. Loopback only.
  std::string metrics_listen = "127.0.0.1";
  int metrics_port = 0;
  // Follow-up deadlines from the opening of a case; each > 0.
  std::vector<absl::Duration> follow_up_deadlines = {absl::Hours(7 * 24), absl::Hours(15 * 24)};
};

// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopback(absl::string_view host);

class CpcServer {
 public:
  // Opens (and migrates) the database, seeds defaults and starts serving.
  static absl::StatusOr<std::unique_ptr<CpcServer>> Start(const ServerOptions& options);
  ~CpcServer();

  int port() const { return port_; }
  const ServerConfig& config() const { return config_; }
  // What the start-up check of the audit chain found; while its
  // write_refusal is set, every write is refused.
  const StartUpAuditCheck& audit_check() const { return audit_check_; }
  bool tls() const { return tls_; }
  // The metrics port (0: not served).
  int metrics_port() const { return metrics_ ? metrics_->port() : 0; }
  store::Store& store() { return *store_; }

  // Stops accepting calls, lets in-flight ones finish until `deadline` (a
  // write already queued is still committed and answered after it), then
  // stops the password pool and closes the database.
  void Shutdown(absl::Time deadline);

 private:
  CpcServer() = default;

  ServerConfig config_;
  StartUpAuditCheck audit_check_;
  std::unique_ptr<store::Store> store_;
  // After the store: its jobs queue writes, so it goes first.
  std::unique_ptr<PasswordPool> password_pool_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  // In the background: the full audit verification after a start from a
  // checkpoint, sign-in failure reports of windows that ended while no one
  // tried again, and scheduled checkpoints; stopped by `stopping_`.
  void Maintain(const ServerOptions& options);
  std::optional<domain::CheckpointKey> checkpoint_key_;
  std::unique_ptr<MetricsServer> metrics_;
  std::thread reporter_;
  absl::Notification stopping_;
  int port_ = 0;
  bool tls_ = false;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_SERVER_H_
