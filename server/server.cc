#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/din.h"
#include "domain/network.h"
#include "domain/status_macros.h"
#include "server/audit_service.h"
#include "server/report_service.h"
#include "absl/strings/match.h"
#include "server/access_control.h"
#include "server/auth_service.h"
#include "server/batch_service.h"
#include "server/deviation_service.h"
#include "server/followup_service.h"
#include "server/qc_service.h"
#include "server/treatment_service.h"
#include "server/unit_service.h"
#include "server/bootstrap.h"
#include "server/inventory_service.h"
#include "server/patient_service.h"
#include "server/request_log.h"
#include "server/sign_in.h"
#include "server/server_info_service.h"

namespace cpctrack::server {
namespace {

// Argon2id runs on this many threads: two sign-ins or signatures at a time,
// 128 MiB at the interactive cost; more queue (see password_pool.h).
constexpr int kPasswordThreads = 2;

// "localtime" names no zone. Name the one it is for clients to compare with
// theirs: an IANA name from TZ or /etc/timezone when that zone agrees with
// the one actually loaded, else the zone's abbreviation.
std::string DescribeZone(const std::string& flag, absl::TimeZone loaded) {
  if (flag != "localtime") return flag;
  std::vector<std::string> candidates;
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
    candidates.emplace_back(tz[0] == ':' ? tz + 1 : tz);
  }
  std::ifstream file("/etc/timezone");
  if (std::string name; std::getline(file, name) && !name.empty()) candidates.push_back(name);
  const absl::Time now = absl::Now();
  const absl::TimeZone::CivilInfo actual = loaded.At(now);
  for (const std::string& name : candidates) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(name, &zone)) continue;
    const absl::TimeZone::CivilInfo info = zone.At(now);
    if (info.offset == actual.offset && std::string(info.zone_abbr) == actual.zone_abbr) {
      return name;
    }
  }
  return absl::StrCat("localtime (", actual.zone_abbr, ")");
}

absl::StatusOr<std::string> ReadPem(absl::string_view flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot open ", path));
  std::string contents((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (contents.find("-----BEGIN") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " is not a PEM file"));
  }
  return contents;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerOptions& options) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (!tls) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
    }
    if (!IsLoopback(options.listen_host)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plain-text gRPC is allowed only on loopback; to listen on ", options.listen_host,
          " give --tls_cert and --tls_key"));
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("TLS needs both --tls_cert and --tls_key");
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.private_key, ReadPem("--tls_key", options.tls_key_file));
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPem("--tls_cert", options.tls_cert_file));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem("--tls_client_ca", options.tls_client_ca_file));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

bool IsLoopback(absl::string_view host) { return domain::IsLoopbackHost(host); }

absl::StatusOr<std::unique_ptr<CpcServer>> CpcServer::Start(const ServerOptions& options) {
  std::unique_ptr<CpcServer> server(new CpcServer());
  RETURN_IF_ERROR(domain::ValidateFacilityCode(options.facility_code));
  ServerConfig& config = server->config_;
  config.facility_code = options.facility_code;
  if (!absl::LoadTimeZone(options.time_zone, &config.time_zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--time_zone: unknown time zone \"", options.time_zone, "\""));
  }
  config.time_zone_name = DescribeZone(options.time_zone, config.time_zone);
  config.version = CPCTRACK_VERSION;
  config.password_hashing = options.password_hashing;
  config.session_lifetime = options.session_lifetime;
  for (absl::Duration d : options.follow_up_deadlines) {
    if (d <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError("--follow_up_deadline_days: each deadline must be > 0");
    }
  }
  config.follow_up_deadlines = options.follow_up_deadlines;
  server->password_pool_ = std::make_unique<PasswordPool>(kPasswordThreads);
  config.password_pool = server->password_pool_.get();
  RETURN_IF_ERROR(InitCrypto());
  ConfigureSignIn(options.sign_in, options.password_hashing);
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, Credentials(options));
  server->tls_ = options.tls_cert_file.size() > 0;

  ASSIGN_OR_RETURN(server->store_, store::Store::Open(options.db_path));
  server->store_->SetCommitObserver([](int writes, absl::Duration commit) {
    ProcessMetrics().RecordCommit(writes, commit);
  });
  // Start-up verifies from the last checkpoint it can trust; the whole trail
  // is verified in the background (Maintain).
  std::optional<domain::AuditHead> trusted;
  if (!options.checkpoints.directory.empty()) {
    ASSIGN_OR_RETURN(server->checkpoint_key_,
                     LoadOrCreateCheckpointKey(options.checkpoints.key_file));
    if (std::optional<domain::AuditCheckpoint> last =
            LastTrustedCheckpoint(options.checkpoints.directory, *server->checkpoint_key_)) {
      trusted = last->head;
    }
  }
  ASSIGN_OR_RETURN(server->audit_check_,
                   CheckAuditChainAtStartUp(*server->store_, options.db_path, trusted));
  if (server->checkpoint_key_.has_value() && server->audit_check_.write_refusal.ok()) {
    ASSIGN_OR_RETURN(domain::AuditCheckpoint cp,
                     WriteAuditCheckpoint(*server->store_, *server->checkpoint_key_,
                                          options.checkpoints.directory, absl::Now()));
    ProcessMetrics().RecordCheckpoint(cp.head.entries, cp.at);
  }
  // A broken chain refuses writes; a database with a trail is seeded already.
  if (server->audit_check_.write_refusal.ok()) RETURN_IF_ERROR(SeedDefaults(*server->store_));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat(options.listen_host, ":", options.port),
                           credentials, &server->port_);
  // Requests are small; a larger one is a mistake or an attack.
  builder.SetMaxReceiveMessageSize(1 << 20);
  auto& services = server->services_;
  store::Store& store = *server->store_;
  services.push_back(std::make_unique<AuthService>(store, config));
  services.push_back(std::make_unique<UserService>(store, config));
  services.push_back(std::make_unique<PatientService>(store, config));
  services.push_back(std::make_unique<InventoryService>(store, config));
  services.push_back(std::make_unique<BatchService>(store, config));
  services.push_back(std::make_unique<QcService>(store, config));
  services.push_back(std::make_unique<DeviationService>(store, config));
  services.push_back(std::make_unique<FollowUpService>(store, config));
  services.push_back(std::make_unique<UnitService>(store, config));
  services.push_back(std::make_unique<StorageService>(store, config));
  services.push_back(std::make_unique<ReadinessService>(store, config));
  services.push_back(std::make_unique<TreatmentService>(store, config));
  services.push_back(std::make_unique<ServerInfoService>(store, config, store.schema_version()));
  services.push_back(std::make_unique<AuditService>(store));
  services.push_back(std::make_unique<ReportService>(store, config));
  for (auto& service : services) builder.RegisterService(service.get());
  // Every method of every service must have its access declared.
  RETURN_IF_ERROR(CheckEveryMethodHasARule(
      {v1::AuthService::service_full_name(), v1::UserService::service_full_name(),
       v1::PatientService::service_full_name(), v1::InventoryService::service_full_name(),
       v1::BatchService::service_full_name(), v1::QcService::service_full_name(),
       v1::DeviationService::service_full_name(), v1::FollowUpService::service_full_name(),
       v1::UnitService::service_full_name(),
       v1::StorageService::service_full_name(), v1::ReadinessService::service_full_name(),
       v1::TreatmentService::service_full_name(), v1::AuditService::service_full_name(),
       v1::ServerInfoService::service_full_name(), v1::ReportService::service_full_name()}));
  // The method tag first: Respond() checks access by the method's name.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> chain;
  chain.push_back(std::make_unique<MethodTagFactory>());
  chain.push_back(std::make_unique<RequestLogFactory>(options.log_format));
  builder.experimental().SetInterceptorCreators(std::move(chain));

  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_host, ":",
                                               options.port, " (in use, or not an address here)"));
  }
  if (options.metrics_port != 0) {
    ASSIGN_OR_RETURN(server->metrics_, MetricsServer::Start(options.metrics_listen,
                                                            options.metrics_port, store,
                                                            options.db_path));
  }
  server->reporter_ = std::thread([s = server.get(), options] { s->Maintain(options); });
  return server;
}

void CpcServer::Maintain(const ServerOptions& options) {
  if (audit_check_.from_checkpoint.has_value()) {
    absl::StatusOr<domain::AuditVerification> full =
        VerifyWholeAuditTrail(*store_, options.db_path);
    if (full.ok() && !full->ok()) {
      std::fprintf(stderr, "cpcd: WRITES REFUSED: the full audit verification found a break\n");
    }
  }
  const absl::Duration tick =
      std::min(options.sign_in.report_window, options.checkpoints.interval);
  absl::Time next_checkpoint = absl::Now() + options.checkpoints.interval;
  while (!stopping_.WaitForNotificationWithTimeout(tick)) {
    (void)FlushSignInReports(*store_, absl::Now(), false);
    if (checkpoint_key_.has_value() && absl::Now() >= next_checkpoint) {
      absl::StatusOr<domain::AuditCheckpoint> cp = WriteAuditCheckpoint(
          *store_, *checkpoint_key_, options.checkpoints.directory, absl::Now());
      if (cp.ok()) ProcessMetrics().RecordCheckpoint(cp->head.entries, cp->at);
      next_checkpoint = absl::Now() + options.checkpoints.interval;
    }
  }
}

void CpcServer::Shutdown(absl::Time deadline) {
  if (server_ == nullptr) return;
  // Returns once every call is finished: gRPC waits for each reactor, and the
  // committer answers each queued write (the deadline only cancels calls).
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
  server_.reset();
  metrics_.reset();
  if (reporter_.joinable()) {
    stopping_.Notify();
    reporter_.join();
  }
  // Checks still on the pool finish first; then failed sign-ins not yet
  // reported are written before the file closes.
  password_pool_.reset();
  (void)FlushSignInReports(*store_, absl::Now(), true);
  store_.reset();  // closes the database: checkpoints the WAL
}

CpcServer::~CpcServer() { Shutdown(absl::Now() + absl::Seconds(5)); }

}  // namespace cpctrack::server
