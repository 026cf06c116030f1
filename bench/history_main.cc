// cpc-bench-history: does a write cost the same on a batch's first day and
// on its last? One cpcd, two groups of clients writing observations at the
// same time: "young" clients to batches holding --young to --young + 10
// records (each starts a new batch after that), "old" clients to batches
// they first filled to --old records. The groups take turns on the same
// server, so both meet the same disk and the same noise from the machine,
// and their latencies compare as a ratio.
// Example: cpc-bench-history --old 1000 --duration 10s
#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/proc_stats.h"
#include "bench/workload.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

ABSL_FLAG(int, clients, 4, "clients in each group (young and old), each its own connection");
ABSL_FLAG(int, young, 10, "records a young batch holds before its measured writes");
ABSL_FLAG(int, old, 1000, "records an old batch holds before its measured writes");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "how long the measured writes run, both groups' turns together");
ABSL_FLAG(int, rounds, 5, "turns each group takes, alternating, within --duration");
ABSL_FLAG(std::string, cpcd, CPCD_PATH, "the cpcd binary to measure");
ABSL_FLAG(std::string, baseline_cpcd, "",
          "another cpcd binary (e.g. before a change) measured the same way, first");
ABSL_FLAG(std::string, dir, "",
          "where to make the run's scratch directory (default: $TMPDIR or /tmp)");

namespace cpctrack::bench {
namespace {

// Young batches start over after this many measured writes each.
constexpr int kYoungWindow = 10;

struct Group {
  std::vector<int64_t> latencies_us;
  int64_t errors = 0;
  std::string first_error;
  int min_history = 1 << 30;
  int max_history = 0;
  int64_t calls = 0;  // every successful call while measuring, new batches' included
};

std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

double Percentile(std::vector<int64_t>& v, int percent) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, v.size() * percent / 100)] / 1000.0;
}

struct Result {
  std::string target;
  Group young;
  Group old;
  double cpu_seconds = 0;
};

// Whose turn it is to write: the groups take turns, so each write has the
// server to its group alone (they would otherwise share each commit, and a
// young write would wait for the old ones in its group).
enum Turn : int { kNone = 0, kYoung = 1, kOld = 2, kDone = 3 };

// One client: fills its batch to `history` records (unmeasured), then,
// whenever it is its group's turn, writes and times each write made while
// its batch holds at least `history` records.
void RunClient(const std::string& address, const std::string& token, int client, int history,
               int records_per_batch, Turn mine, std::atomic<int>& ready,
               const std::atomic<int>& turn, Group& out) {
  auto stub = v1::BatchService::NewStub(OwnChannel(address));
  const Workload workload{Mix{100, 0, 0}, records_per_batch, absl::Seconds(10)};
  BatchLife life(*stub, token, client, workload);
  auto note_error = [&](const absl::Status& s) {
    if (out.errors++ == 0) out.first_error = s.ToString();
  };
  while (life.records() < history && out.errors < 100) {
    if (absl::Status s = life.Next(); !s.ok()) note_error(s);
  }
  ready.fetch_add(1);
  for (int now = turn.load(); now != kDone; now = turn.load()) {
    if (now != mine) {
      absl::SleepFor(absl::Milliseconds(1));
      continue;
    }
    const int before = life.records();
    const absl::Time start = absl::Now();
    const absl::Status s = life.Next();
    if (!s.ok()) {
      note_error(s);
      continue;
    }
    ++out.calls;
    if (before < history) continue;  // a young client's new batch filling up
    out.latencies_us.push_back(absl::ToInt64Microseconds(absl::Now() - start));
    out.min_history = std::min(out.min_history, before);
    out.max_history = std::max(out.max_history, before);
  }
}

void Merge(const Group& from, Group& into) {
  into.latencies_us.insert(into.latencies_us.end(), from.latencies_us.begin(),
                           from.latencies_us.end());
  into.errors += from.errors;
  into.calls += from.calls;
  if (into.first_error.empty()) into.first_error = from.first_error;
  into.min_history = std::min(into.min_history, from.min_history);
  into.max_history = std::max(into.max_history, from.max_history);
}

absl::StatusOr<Result> Drive(const std::string& target, const std::string& cpcd,
                             const std::string& dir) {
  testing::ProcessOptions options;
  options.cpcd_path = cpcd;
  testing::ServerProcess server(absl::StrCat(dir, "/", target, ".db"), options);
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  Tokens tokens;
  tokens.administrator = testing::LoginToken(channel, testing::kAdmin);
  tokens.technician = testing::LoginToken(channel, "tech.sato");
  tokens.reviewer = testing::LoginToken(channel, "qa.mori");
  tokens.reviewer_password = testing::TestPassword("qa.mori");
  if (absl::Status s = RegisterReferenceData(server.address(), tokens); !s.ok()) return s;

  const int clients = absl::GetFlag(FLAGS_clients);
  const int young = absl::GetFlag(FLAGS_young);
  const int old = absl::GetFlag(FLAGS_old);
  std::vector<Group> groups(2 * clients);
  std::atomic<int> ready{0};
  std::atomic<int> turn{kNone};
  std::vector<std::thread> threads;
  for (int c = 0; c < 2 * clients; ++c) {
    const bool is_old = c >= clients;
    // An old batch never starts over; a young one after its window.
    const int per_batch = is_old ? 1 << 20 : young - 2 + kYoungWindow;
    threads.emplace_back([&, c, is_old, per_batch] {
      RunClient(server.address(), tokens.technician, c, is_old ? old : young, per_batch,
                is_old ? kOld : kYoung, ready, turn, groups[c]);
    });
  }
  while (ready.load() < 2 * clients) absl::SleepFor(absl::Milliseconds(10));
  const double cpu_before = CpuSeconds(server.pid());
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const absl::Duration slice = absl::GetFlag(FLAGS_duration) / (2 * rounds);
  for (int r = 0; r < 2 * rounds; ++r) {
    turn.store(r % 2 == 0 ? kYoung : kOld);
    absl::SleepFor(slice);
  }
  turn.store(kDone);
  for (std::thread& t : threads) t.join();
  Result result{target, {}, {}, CpuSeconds(server.pid()) - cpu_before};
  for (int c = 0; c < 2 * clients; ++c) Merge(groups[c], c >= clients ? result.old : result.young);
  return result;
}

void Print(Result& r) {
  for (auto [name, group] : {std::pair{"young", &r.young}, std::pair{"old", &r.old}}) {
    const double p50 = Percentile(group->latencies_us, 50);
    const double p99 = Percentile(group->latencies_us, 99);
    std::cout << absl::StrFormat("| %s | %s | %d-%d | %d | %d | %.2f | %.2f |\n", r.target, name,
                                 group->min_history, group->max_history,
                                 group->latencies_us.size(), group->errors, p50, p99);
    if (!group->first_error.empty()) {
      std::cerr << r.target << " " << name << " first error: " << group->first_error << "\n";
    }
  }
}

int Main() {
  if (!absl::GetFlag(FLAGS_dir).empty()) setenv("TMPDIR", absl::GetFlag(FLAGS_dir).c_str(), 1);
  const testing::TempDir scratch;
  std::vector<std::pair<std::string, std::string>> targets;
  if (!absl::GetFlag(FLAGS_baseline_cpcd).empty()) {
    targets.emplace_back("baseline", absl::GetFlag(FLAGS_baseline_cpcd));
  }
  targets.emplace_back("cpcd", absl::GetFlag(FLAGS_cpcd));
  std::cout << absl::StrFormat(
      "%d clients per group write observations for %s in %d turns each: young batches hold "
      "%d-%d records, old ones at least %d (filled first, unmeasured)\n\n",
      absl::GetFlag(FLAGS_clients), absl::FormatDuration(absl::GetFlag(FLAGS_duration)),
      absl::GetFlag(FLAGS_rounds),
      absl::GetFlag(FLAGS_young), absl::GetFlag(FLAGS_young) + kYoungWindow - 1,
      absl::GetFlag(FLAGS_old));
  std::cout << "| server | batches | records before the write | writes | errors | p50 ms | "
               "p99 ms |\n|---|---|---:|---:|---:|---:|---:|\n";
  std::vector<Result> results;
  for (const auto& [target, binary] : targets) {
    absl::StatusOr<Result> r = Drive(target, binary, scratch.path());
    if (!r.ok()) {
      std::cerr << "cpc-bench-history: " << r.status().message() << "\n";
      return 1;
    }
    Print(*r);
    results.push_back(*std::move(r));
  }
  std::cout << "\n";
  for (Result& r : results) {
    const double young = Percentile(r.young.latencies_us, 50);
    const double old = Percentile(r.old.latencies_us, 50);
    const int64_t calls = r.young.calls + r.old.calls;
    std::cout << absl::StrFormat(
        "%s: old / young p50 %.2fx (p99 %.2fx); server CPU %.0f µs per call while measuring\n",
        r.target, young > 0 ? old / young : 0,
        Percentile(r.young.latencies_us, 99) > 0
            ? Percentile(r.old.latencies_us, 99) / Percentile(r.young.latencies_us, 99)
            : 0,
        calls > 0 ? 1e6 * r.cpu_seconds / calls : 0);
  }
  return 0;
}

}  // namespace
}  // namespace cpctrack::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Write latency on old batches against young ones, on one cpcd.\n"
      "Example: cpc-bench-history --old 1000 --duration 10s");
  absl::ParseCommandLine(argc, argv);
  return cpctrack::bench::Main();
}
