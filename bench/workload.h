// The load generator's clients: each writes whole batch lives (create,
// receive tissue, seed, then a mix of observations, medium changes and
// passages) through its own gRPC channel, timing every call.
#ifndef CPCTRACK_BENCH_WORKLOAD_H_
#define CPCTRACK_BENCH_WORKLOAD_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cpctrack/v1/batches.grpc.pb.h"

namespace cpctrack::bench {

// Relative weights of the steps written after a batch is seeded.
struct Mix {
  int observation = 70;
  int medium_change = 20;
  int passage = 10;
};

// "observation=70,medium_change=20,passage=10"; InvalidArgument names the
// unknown step or bad weight.
absl::StatusOr<Mix> ParseMix(absl::string_view text);

struct Workload {
  Mix mix;
  // Steps after seeding before the client starts a new batch: a real batch
  // has tens of records, not thousands.
  int records_per_batch = 30;
  // How far apart the steps' times are; a batch's steps start 18 h ago, so
  // records_per_batch steps must fit before now.
  absl::Duration step_spacing = absl::Minutes(1);
};

// One client's batches, one at a time, with times that move forward by
// step_spacing per step so every step is in order.
class BatchLife {
 public:
  BatchLife(cpctrack::v1::BatchService::Stub& stub, std::string token, int client,
            const Workload& workload);

  // Sends the next step (a new batch after records_per_batch steps); OK or
  // the call's error.
  absl::Status Next();

  // Records the current batch holds (0 before its tissue receipt).
  int records() const { return step_ > 0 ? step_ - 1 : 0; }

 private:
  absl::Status Create(const std::string& request_id);
  absl::Status Receive(const std::string& request_id);
  absl::Status Seed(const std::string& request_id);
  absl::Status Advance(absl::Status status);
  absl::Status Step(const std::string& request_id, absl::Time t);

  static constexpr int64_t kCellsSeeded = 2'000'000;
  cpctrack::v1::BatchService::Stub& stub_;
  std::string token_;
  const Workload& workload_;
  std::mt19937_64 rng_;
  int step_ = 0;
  int passages_ = 0;
  std::string batch_id_;
  absl::Time received_at_;
  absl::Time seeded_at_;
};

// What one client saw.
struct ClientResult {
  std::vector<int64_t> latencies_us;  // successful calls
  int64_t errors = 0;
  std::string first_error;
};

// Session tokens the calls carry ("" for the no-op server, which ignores them).
struct Tokens {
  std::string administrator;  // reference data
  std::string technician;     // the patient and every batch step
  std::string reviewer;       // QA: accepts the lots, a signature with...
  std::string reviewer_password;  // ...the reviewer's password
};

// Registers what the workload's steps name: patient P-BENCH, lots MED-1,
// COL-1, TRY-1 (accepted by QA), incubator INC-01, cabinet BSC-01 and cell
// counter NC-01 (calibrated).
absl::Status RegisterReferenceData(const std::string& address, const Tokens& tokens);

// Writes until `until`, then returns what it saw. `client` seeds its random
// choices, so runs are repeatable.
ClientResult RunClient(const std::string& address, const Tokens& tokens, int client,
                       const Workload& workload, absl::Time until);

struct Summary {
  int64_t requests = 0;
  int64_t errors = 0;
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;
};
Summary Summarize(const std::vector<ClientResult>& clients, absl::Duration elapsed);

// Appends 4 KiB and fdatasyncs, repeatedly, in a file in `dir`, for
// `duration`: how many durable commits per second the disk allows one at a
// time. InternalError if the file cannot be written.
absl::StatusOr<double> MeasureFsyncRate(const std::string& dir, absl::Duration duration);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_WORKLOAD_H_
