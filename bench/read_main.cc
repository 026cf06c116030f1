// cpc-bench-read: read latency of cpcd on a small and a big database with the
// same recent weeks (cpc-bench-fill's history), reported as ratios big/small
// from one run on one machine; and cpcd's memory during the sterility export.
// Example: cpc-bench-read --sizes 100,10000
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/fill_schedule.h"
#include "bench/fill_writer.h"
#include "bench/read_probe.h"
#include "domain/status_macros.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

ABSL_FLAG(std::string, sizes, "100,10000", "batches in each database; the first is the baseline");
ABSL_FLAG(std::string, cpcd, CPCD_PATH, "the cpcd binary to measure");
ABSL_FLAG(std::string, dir, "", "where to make the run's scratch directory (default: $TMPDIR or /tmp)");
ABSL_FLAG(std::string, fill_dir, "",
          "keep the filled databases here and reuse them on later runs (readbench-N.db); "
          "default: fill new ones in the scratch directory. A kept database ages: its "
          "'now' is when it was filled");
ABSL_FLAG(int, calls, 200, "timed batch show and readiness calls per database");
ABSL_FLAG(int, board_calls, 40, "timed board calls per database");
ABSL_FLAG(int, exports, 3, "timed one-year sterility exports per database");

namespace cpctrack::bench {
namespace {

struct SizeRun {
  int batches = 0;
  ReadFigures figures;
  double start_seconds = 0;  // cpcd's start-up, audit chain verification included
};

// The filled database for `batches`, reused from --fill_dir when there.
absl::StatusOr<std::string> FilledDatabase(int batches, const std::string& scratch) {
  const std::string dir = absl::GetFlag(FLAGS_fill_dir).empty() ? scratch
                                                                : absl::GetFlag(FLAGS_fill_dir);
  const std::string path = absl::StrFormat("%s/readbench-%d.db", dir, batches);
  if (std::filesystem::exists(path)) {
    std::cout << absl::StrFormat("reusing %s\n", path);
    return path;
  }
  FillOptions options;
  options.batches = batches;
  options.now = absl::Now();
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(const FillCounts c, FillDatabase(path, options));
  std::cout << absl::StrFormat(
      "filled %s in %s: %d batches, %d batch records, %d QC tests, %d units, %d audit entries\n",
      path, absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Seconds(1))), c.batches,
      c.records, c.qc_tests, c.units, c.audit_entries);
  return path;
}

absl::StatusOr<SizeRun> Measure(int batches, const std::string& scratch) {
  ASSIGN_OR_RETURN(std::string filled, FilledDatabase(batches, scratch));
  // cpcd writes (users, sessions): work on a copy so a kept one stays as filled.
  const std::string db = absl::StrFormat("%s/run-%d.db", scratch, batches);
  std::filesystem::copy_file(filled, db, std::filesystem::copy_options::overwrite_existing);
  testing::ProcessOptions options;
  options.cpcd_path = absl::GetFlag(FLAGS_cpcd);
  options.start_timeout_seconds = 300;  // verifying a big audit chain takes a while
  SizeRun run;
  run.batches = batches;
  const absl::Time start = absl::Now();
  testing::ServerProcess server(db, options);
  run.start_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  const std::string token = testing::LoginToken(channel, "auditor.ito");
  ReadCounts counts;
  counts.show_calls = counts.readiness_calls = absl::GetFlag(FLAGS_calls);
  counts.board_calls = absl::GetFlag(FLAGS_board_calls);
  counts.exports = absl::GetFlag(FLAGS_exports);
  ASSIGN_OR_RETURN(run.figures, ProbeReads(server.address(), token, server.pid(), counts));
  server.Stop();
  std::filesystem::remove(db);
  return run;
}

std::string Cell(const Percentiles& p) { return absl::StrFormat("%.2f / %.2f", p.p50_ms, p.p99_ms); }

std::string Ratio(const Percentiles& big, const Percentiles& small) {
  auto r = [](double a, double b) { return b > 0 ? a / b : 0; };
  return absl::StrFormat("**%.2f** / %.2f", r(big.p50_ms, small.p50_ms), r(big.p99_ms, small.p99_ms));
}

void Print(const std::vector<SizeRun>& runs) {
  const SizeRun& base = runs.front();
  std::cout << "| read (p50 / p99 ms) |";
  for (const SizeRun& r : runs) std::cout << absl::StrFormat(" %d batches |", r.batches);
  for (size_t i = 1; i < runs.size(); ++i) {
    std::cout << absl::StrFormat(" %d / %d |", runs[i].batches, base.batches);
  }
  std::cout << "\n|---|";
  for (size_t i = 0; i < 2 * runs.size() - 1; ++i) std::cout << "---:|";
  std::cout << "\n";
  const std::pair<const char*, Percentiles ReadFigures::*> rows[] = {
      {"batch show (GetBatch, full view)", &ReadFigures::show},
      {"readiness of one batch", &ReadFigures::readiness},
      {"board, 14 days", &ReadFigures::board},
      {"sterility export, 1 year, every page", &ReadFigures::sterility_export},
  };
  for (const auto& [name, field] : rows) {
    std::cout << "| " << name << " |";
    for (const SizeRun& r : runs) std::cout << " " << Cell(r.figures.*field) << " |";
    for (size_t i = 1; i < runs.size(); ++i) {
      std::cout << " " << Ratio(runs[i].figures.*field, base.figures.*field) << " |";
    }
    std::cout << "\n";
  }
  std::cout << "\n";
  for (const SizeRun& r : runs) {
    const ReadFigures& f = r.figures;
    std::cout << absl::StrFormat(
        "%d batches: cpcd started in %.1f s; board %d entries; export %d rows in %d pages "
        "(%.1f µs per row); cpcd RSS %.1f MiB before the exports, peak %.1f MiB during them\n",
        r.batches, r.start_seconds, f.board_entries, f.export_rows, f.export_pages,
        f.export_rows > 0 ? 1000 * f.sterility_export.p50_ms / f.export_rows : 0,
        f.rss_before_export_mib, f.peak_rss_export_mib);
  }
}

int Main() {
  std::vector<int> sizes;
  for (absl::string_view s : absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(s, &n) || n < 1) {
      std::cerr << "cpc-bench-read: --sizes: \"" << s << "\" is not a number of batches\n";
      return 2;
    }
    sizes.push_back(n);
  }
  if (!absl::GetFlag(FLAGS_dir).empty()) setenv("TMPDIR", absl::GetFlag(FLAGS_dir).c_str(), 1);
  const testing::TempDir scratch;
  std::vector<SizeRun> runs;
  for (int n : sizes) {
    absl::StatusOr<SizeRun> run = Measure(n, scratch.path());
    if (!run.ok()) {
      std::cerr << "cpc-bench-read: " << n << " batches: " << run.status().message() << "\n";
      return 1;
    }
    runs.push_back(*std::move(run));
  }
  std::cout << absl::StrFormat(
      "\none client, one call at a time, over the %d newest batches (alike in every database); "
      "%d show and readiness calls, %d boards, %d exports each\n\n",
      ReadCounts{}.batches, absl::GetFlag(FLAGS_calls), absl::GetFlag(FLAGS_board_calls),
      absl::GetFlag(FLAGS_exports));
  Print(runs);
  return 0;
}

}  // namespace
}  // namespace cpctrack::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "cpcd read latency on databases of different sizes (filled by the generator).\n"
      "Example: cpc-bench-read --sizes 100,10000 --fill_dir build/bench-data");
  absl::ParseCommandLine(argc, argv);
  return cpctrack::bench::Main();
}
