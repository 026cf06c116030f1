// cpcd's metrics in the Prometheus text format, served on a loopback port of
// their own (never the API's): requests by method and status, latency
// histograms, group-commit sizes and commit (fsync) time, open sessions,
// sign-in failures, the audit chain's length and last checkpoint, and the
// database's size. Counters are kept as calls happen; the rest is read when
// scraped.
#ifndef CPCTRACK_SERVER_METRICS_H_
#define CPCTRACK_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace cpctrack::server {

// A fixed-bucket histogram; thread-safe.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);
  // Prometheus lines for `name` with `labels` ("" or `method="..."`).
  std::string Render(absl::string_view name, absl::string_view labels) const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<int64_t>[]> counts_;  // one per bound, and +Inf
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> sum_micro_{0};  // sum * 1e6
};

class Metrics {
 public:
  Metrics();
  // One finished RPC.
  void RecordRequest(absl::string_view method, absl::string_view code, absl::Duration took);
  // One group commit (see Store::SetCommitObserver).
  void RecordCommit(int writes, absl::Duration commit);
  void RecordCheckpoint(int64_t entries, absl::Time at);

  // The whole exposition: the counters above and what `store` and the files
  // of `db_path` say now.
  std::string Render(store::Store& store, const std::string& db_path) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int64_t> requests_ ABSL_GUARDED_BY(mu_);  // "method\ncode"
  absl::flat_hash_map<std::string, std::unique_ptr<Histogram>> latency_ ABSL_GUARDED_BY(mu_);
  Histogram group_size_;
  Histogram commit_seconds_;
  std::atomic<int64_t> checkpoint_entries_{-1};
  std::atomic<int64_t> checkpoint_unix_{0};
};

// The process's metrics (the request log and the store report here).
Metrics& ProcessMetrics();

// Serves GET /metrics on `host:port` (-1: any free port; a loopback address
// only: InvalidArgument otherwise) until destroyed.
class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& host, int port,
                                                              store::Store& store,
                                                              std::string db_path);
  ~MetricsServer();
  int port() const { return port_; }

 private:
  MetricsServer() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_METRICS_H_
