#include "server/metrics.h"

#include <httplib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "domain/audit_chain.h"
#include "domain/network.h"
#include "server/sign_in.h"

namespace cpctrack::server {
namespace {

std::vector<double> LatencyBounds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string Label(absl::string_view value) {
  // Prometheus label values: backslash, quote and newline escaped.
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

int64_t FileSize(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<int64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  ++counts_[i];
  ++count_;
  sum_micro_ += static_cast<int64_t>(value * 1e6);
}

std::string Histogram::Render(absl::string_view name, absl::string_view labels) const {
  std::string out;
  const std::string sep = labels.empty() ? "" : ",";
  int64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    absl::StrAppendFormat(&out, "%s_bucket{%s%sle=\"%g\"} %d\n", name, labels, sep, bounds_[i],
                          cumulative);
  }
  cumulative += counts_[bounds_.size()];
  absl::StrAppendFormat(&out, "%s_bucket{%s%sle=\"+Inf\"} %d\n", name, labels, sep, cumulative);
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppendFormat(&out, "%s_sum%s %g\n%s_count%s %d\n", name, braces,
                        static_cast<double>(sum_micro_.load()) / 1e6, name, braces,
                        count_.load());
  return out;
}

Metrics::Metrics()
    : group_size_({1, 2, 4, 8, 16, 32, 64, 128}),
      commit_seconds_({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}) {}

void Metrics::RecordRequest(absl::string_view method, absl::string_view code,
                            absl::Duration took) {
  absl::MutexLock lock(&mu_);
  ++requests_[absl::StrCat(method, "\n", code)];
  std::unique_ptr<Histogram>& h = latency_[method];
  if (h == nullptr) h = std::make_unique<Histogram>(LatencyBounds());
  h->Observe(absl::ToDoubleSeconds(took));
}

void Metrics::RecordCommit(int writes, absl::Duration commit) {
  group_size_.Observe(writes);
  commit_seconds_.Observe(absl::ToDoubleSeconds(commit));
}

void Metrics::RecordCheckpoint(int64_t entries, absl::Time at) {
  checkpoint_entries_ = entries;
  checkpoint_unix_ = absl::ToUnixSeconds(at);
}

std::string Metrics::Render(store::Store& store, const std::string& db_path) const {
  std::string out;
  out += "# HELP cpcd_requests_total RPCs answered, by method and status code.\n"
         "# TYPE cpcd_requests_total counter\n";
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, count] : requests_) {
      std::pair<std::string, std::string> mc = absl::StrSplit(key, '\n');
      absl::StrAppend(&out, "cpcd_requests_total{method=\"", Label(mc.first), "\",code=\"",
                      mc.second, "\"} ", count, "\n");
    }
    out += "# HELP cpcd_request_duration_seconds Time to answer an RPC, by method.\n"
           "# TYPE cpcd_request_duration_seconds histogram\n";
    for (const auto& [method, histogram] : latency_) {
      out += histogram->Render("cpcd_request_duration_seconds",
                               absl::StrCat("method=\"", Label(method), "\""));
    }
  }
  out += "# HELP cpcd_commit_group_size Writes sharing one commit.\n"
         "# TYPE cpcd_commit_group_size histogram\n";
  out += group_size_.Render("cpcd_commit_group_size", "");
  out += "# HELP cpcd_commit_seconds Time of a group's COMMIT, its fsync included.\n"
         "# TYPE cpcd_commit_seconds histogram\n";
  out += commit_seconds_.Render("cpcd_commit_seconds", "");
  absl::StrAppend(&out,
                  "# HELP cpcd_sign_in_failures_total Sign-ins checked and refused.\n"
                  "# TYPE cpcd_sign_in_failures_total counter\n"
                  "cpcd_sign_in_failures_total ",
                  SignInFailures(), "\n",
                  "# HELP cpcd_sign_in_refused_total Sign-ins refused by a limit, unchecked.\n"
                  "# TYPE cpcd_sign_in_refused_total counter\n"
                  "cpcd_sign_in_refused_total ",
                  SignInRefusals(), "\n");
  int64_t sessions = -1;
  domain::AuditHead head;
  (void)store.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<int64_t> open = tx.CountOpenSessions(absl::Now());
    if (open.ok()) sessions = *open;
    absl::StatusOr<domain::AuditHead> h = tx.AuditHead();
    if (h.ok()) head = *h;
    return absl::OkStatus();
  });
  absl::StrAppend(&out,
                  "# HELP cpcd_open_sessions Sessions neither ended nor expired.\n"
                  "# TYPE cpcd_open_sessions gauge\ncpcd_open_sessions ",
                  sessions, "\n",
                  "# HELP cpcd_audit_entries Entries in the audit hash chain.\n"
                  "# TYPE cpcd_audit_entries gauge\ncpcd_audit_entries ",
                  head.entries, "\n");
  if (checkpoint_entries_ >= 0) {
    absl::StrAppend(&out,
                    "# HELP cpcd_audit_checkpoint_entries Entries the last signed checkpoint "
                    "vouches for.\n# TYPE cpcd_audit_checkpoint_entries gauge\n"
                    "cpcd_audit_checkpoint_entries ",
                    checkpoint_entries_.load(), "\n",
                    "# HELP cpcd_audit_checkpoint_timestamp_seconds When it was signed.\n"
                    "# TYPE cpcd_audit_checkpoint_timestamp_seconds gauge\n"
                    "cpcd_audit_checkpoint_timestamp_seconds ",
                    checkpoint_unix_.load(), "\n");
  }
  absl::StrAppend(&out,
                  "# HELP cpcd_database_bytes The database file and its WAL.\n"
                  "# TYPE cpcd_database_bytes gauge\ncpcd_database_bytes ",
                  FileSize(db_path) + FileSize(db_path + "-wal"), "\n");
  return out;
}

Metrics& ProcessMetrics() {
  static auto* metrics = new Metrics;
  return *metrics;
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& host,
                                                                    int port,
                                                                    store::Store& store,
                                                                    std::string db_path) {
  if (!domain::IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_listen: ", host, " is not a loopback address; metrics stay on this machine"));
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->http_ = std::make_unique<httplib::Server>();
  server->http_->Get("/metrics", [&store, db_path](const httplib::Request&,
                                                   httplib::Response& response) {
    response.set_content(ProcessMetrics().Render(store, db_path),
                         "text/plain; version=0.0.4; charset=utf-8");
  });
  const std::string bind_host = host == "localhost" ? "127.0.0.1" : host;
  server->port_ = port < 0 ? server->http_->bind_to_any_port(bind_host)
                            : (server->http_->bind_to_port(bind_host, port) ? port : -1);
  if (server->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("metrics: cannot listen on ", host, ":", port));
  }
  server->thread_ = std::thread([s = server.get()] { s->http_->listen_after_bind(); });
  return server;
}

MetricsServer::~MetricsServer() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cpctrack::server
