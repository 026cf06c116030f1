// cpc-bench-load: write throughput and latency of cpcd against the same
// generator driving a no-op gRPC server, in one run on this machine.
// Example: cpc-bench-load --concurrency 32 --duration 10s
#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/proc_stats.h"
#include "bench/read_beside.h"
#include "bench/workload.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

ABSL_FLAG(int, concurrency, 32, "clients writing at once, each with its own connection");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long each server is driven");
ABSL_FLAG(std::string, mix, "observation=70,medium_change=20,passage=10",
          "relative weights of the steps written after seeding");
ABSL_FLAG(int, readers, 2,
          "clients reading (GetBatch, basic view) beside the writers, each its own connection");
ABSL_FLAG(absl::Duration, read_interval, absl::Milliseconds(10),
          "each reader's mean gap between reads (random, Poisson)");
ABSL_FLAG(int, records_per_batch, 30, "steps after seeding before a client starts a new batch");
ABSL_FLAG(std::string, targets, "noop,cpcd", "servers to drive, in order: noop, cpcd");
ABSL_FLAG(std::string, cpcd, CPCD_PATH, "the cpcd binary to measure");
ABSL_FLAG(std::string, baseline_cpcd, "",
          "another cpcd binary (e.g. before a change) to measure in the same run, as target "
          "\"baseline\" (added before cpcd when --targets is left as it is)");
ABSL_FLAG(std::string, noopd, NOOPD_PATH, "the no-op server binary");
ABSL_FLAG(std::string, dir, "",
          "where to make the run's scratch directory (database, fsync probe): on the "
          "disk to measure (default: $TMPDIR or /tmp)");
ABSL_FLAG(absl::Duration, fsync_probe, absl::Seconds(3), "how long to measure the fsync rate");

namespace cpctrack::bench {
namespace {

struct Run {
  std::string target;
  Summary summary;
  Summary reads;  // the readers' GetBatch calls
  double peak_rss_mib = 0;
  double cpu_seconds = 0;  // the server's, user + system
};

absl::StatusOr<Run> Drive(const std::string& target, const std::string& dir,
                          const Workload& workload) {
  const std::string db = absl::StrCat(dir, "/", target, ".db");
  testing::ProcessOptions options;
  if (target == "noop") {
    options.program = absl::GetFlag(FLAGS_noopd);
  } else if (target == "cpcd") {
    // With the test users (cpcd bootstrap-admin, then created by the admin).
    options.cpcd_path = absl::GetFlag(FLAGS_cpcd);
  } else if (target == "baseline" && !absl::GetFlag(FLAGS_baseline_cpcd).empty()) {
    options.cpcd_path = absl::GetFlag(FLAGS_baseline_cpcd);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--targets: unknown server \"", target, "\" (noop, cpcd; baseline with --baseline_cpcd)"));
  }
  auto server = std::make_unique<testing::ServerProcess>(db, options);
  Tokens tokens;
  if (target != "noop") {
    auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
    tokens.administrator = testing::LoginToken(channel, testing::kAdmin);
    tokens.technician = testing::LoginToken(channel, "tech.sato");
    tokens.reviewer = testing::LoginToken(channel, "qa.mori");
    tokens.reviewer_password = testing::TestPassword("qa.mori");
    if (absl::Status s = RegisterReferenceData(server->address(), tokens); !s.ok()) return s;
  }
  const int clients = absl::GetFlag(FLAGS_concurrency);
  std::vector<ClientResult> results(clients);
  std::vector<std::thread> threads;
  const double cpu_before = CpuSeconds(server->pid());
  const absl::Time start = absl::Now();
  const absl::Time until = start + absl::GetFlag(FLAGS_duration);
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back(
        [&, c] { results[c] = RunClient(server->address(), tokens, c, workload, until); });
  }
  std::vector<ClientResult> reads(absl::GetFlag(FLAGS_readers));
  for (ClientResult& r : reads) {
    threads.emplace_back(
        [&] {
          r = RunReader(server->address(), tokens.technician, absl::GetFlag(FLAGS_read_interval),
                        until);
        });
  }
  for (std::thread& t : threads) t.join();
  Run run{target, Summarize(results, absl::Now() - start), Summarize(reads, absl::Now() - start),
          PeakRssMib(server->pid()), 0};
  run.cpu_seconds = CpuSeconds(server->pid()) - cpu_before;
  server->Stop();
  return run;
}

int Main() {
  absl::StatusOr<Mix> mix = ParseMix(absl::GetFlag(FLAGS_mix));
  if (!mix.ok()) {
    std::cerr << "cpc-bench-load: " << mix.status().message() << "\n";
    return 2;
  }
  const Workload workload{*mix, absl::GetFlag(FLAGS_records_per_batch)};
  // A fresh directory each run (removed at the end), under --dir if given.
  if (!absl::GetFlag(FLAGS_dir).empty()) setenv("TMPDIR", absl::GetFlag(FLAGS_dir).c_str(), 1);
  const testing::TempDir scratch;
  const std::string& dir = scratch.path();

  absl::StatusOr<double> fsync_rate = MeasureFsyncRate(dir, absl::GetFlag(FLAGS_fsync_probe));
  if (!fsync_rate.ok()) {
    std::cerr << "cpc-bench-load: " << fsync_rate.status().message() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat(
      "fsync rate: %.0f/s (4 KiB append + fdatasync, one at a time, in %s)\n", *fsync_rate, dir);
  std::cout << absl::StrFormat("clients %d, %s each, mix %s, %d steps per batch\n\n",
                               absl::GetFlag(FLAGS_concurrency),
                               absl::FormatDuration(absl::GetFlag(FLAGS_duration)),
                               absl::GetFlag(FLAGS_mix), workload.records_per_batch);
  std::cout << absl::StrFormat(
      "%d more clients read beside the writers (GetBatch, basic view), each one read per %s on "
      "average; server CPU counts writes and reads\n\n",
      absl::GetFlag(FLAGS_readers), absl::FormatDuration(absl::GetFlag(FLAGS_read_interval)));
  std::cout << "| server | requests/s | p50 ms | p99 ms | requests | errors | server CPU µs/request "
               "| peak RSS MiB | reads p50 ms | reads p99 ms |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  std::vector<Run> runs;
  std::string targets = absl::GetFlag(FLAGS_targets);
  if (!absl::GetFlag(FLAGS_baseline_cpcd).empty() && targets == "noop,cpcd") {
    targets = "noop,baseline,cpcd";
  }
  for (absl::string_view target : absl::StrSplit(targets, ',')) {
    absl::StatusOr<Run> run = Drive(std::string(target), dir, workload);
    if (!run.ok()) {
      std::cerr << "cpc-bench-load: " << run.status().message() << "\n";
      return 1;
    }
    const Summary& s = run->summary;
    // Requests and CPU count the writes and the reads.
    const int64_t requests = s.requests + run->reads.requests;
    const double cpu_us = requests > 0 ? 1e6 * run->cpu_seconds / requests : 0;
    std::cout << absl::StrFormat("| %s | %.0f | %.2f | %.2f | %d | %d | %.0f | %.1f | %.2f | %.2f |\n",
                                 run->target, s.requests_per_second, s.p50_ms, s.p99_ms,
                                 s.requests, s.errors + run->reads.errors, cpu_us,
                                 run->peak_rss_mib, run->reads.p50_ms, run->reads.p99_ms)
              << std::flush;
    if (!s.first_error.empty()) std::cerr << run->target << " first error: " << s.first_error << "\n";
    if (!run->reads.first_error.empty()) {
      std::cerr << run->target << " first read error: " << run->reads.first_error << "\n";
    }
    runs.push_back(*std::move(run));
  }
  std::cout << "\n";
  const Run* noop = nullptr;
  for (const Run& r : runs) {
    if (r.target == "noop") noop = &r;
  }
  for (const Run& r : runs) {
    if (r.target == "noop") continue;
    std::cout << absl::StrFormat("%s writes per fsync: %.1f\n", r.target,
                                 r.summary.requests_per_second / *fsync_rate);
    if (noop != nullptr && noop->summary.requests_per_second > 0) {
      std::cout << absl::StrFormat(
          "%s / no-op: %.1f %%\n", r.target,
          100 * r.summary.requests_per_second / noop->summary.requests_per_second);
    }
  }
  return 0;
}

}  // namespace
}  // namespace cpctrack::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "cpcd write throughput against a no-op gRPC server.\n"
      "Example: cpc-bench-load --concurrency 32 --duration 10s");
  absl::ParseCommandLine(argc, argv);
  return cpctrack::bench::Main();
}
