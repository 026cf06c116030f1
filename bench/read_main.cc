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
ABSL_FLAG(int, where_used_calls, 40, "timed lot and equipment where-used calls per database");
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

// cpcd on a copy of the filled database (cpcd writes users and sessions, and
// a kept database must stay as filled), logged in as an auditor.
struct Server {
  std::unique_ptr<testing::ServerProcess> process;
  ReadTarget target;
};

absl::StatusOr<Server> Start(int batches, const std::string& scratch, SizeRun& run) {
  ASSIGN_OR_RETURN(std::string filled, FilledDatabase(batches, scratch));
  const std::string db = absl::StrFormat("%s/run-%d.db", scratch, batches);
  std::filesystem::copy_file(filled, db, std::filesystem::copy_options::overwrite_existing);
  testing::ProcessOptions options;
  options.cpcd_path = absl::GetFlag(FLAGS_cpcd);
  options.start_timeout_seconds = 300;  // verifying a big audit chain takes a while
  run.batches = batches;
  const absl::Time start = absl::Now();
  Server server{std::make_unique<testing::ServerProcess>(db, options), {}};
  run.start_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  auto channel =
      grpc::CreateChannel(server.process->address(), grpc::InsecureChannelCredentials());
  server.target = {server.process->address(), testing::LoginToken(channel, "auditor.ito"),
                   server.process->pid()};
  return server;
}

void Print(const std::vector<SizeRun>& runs) {
  const SizeRun& base = runs.front();
  std::cout << "| read | figure |";
  for (const SizeRun& r : runs) std::cout << absl::StrFormat(" %d batches |", r.batches);
  for (size_t i = 1; i < runs.size(); ++i) {
    std::cout << absl::StrFormat(" %d / %d |", runs[i].batches, base.batches);
  }
  std::cout << "\n|---|---|";
  for (size_t i = 0; i < 2 * runs.size() - 1; ++i) std::cout << "---:|";
  std::cout << "\n";
  const std::pair<const char*, Percentiles ReadFigures::*> reads[] = {
      {"batch show (GetBatch, full view)", &ReadFigures::show},
      {"readiness of one batch", &ReadFigures::readiness},
      {"board, 14 days", &ReadFigures::board},
      {"lot where-used (a quarter's medium lot)", &ReadFigures::lot_where_used},
      {"incubator where-used, 1 week", &ReadFigures::equipment_where_used},
      {"sterility export, 1 year, every page", &ReadFigures::sterility_export},
  };
  const std::pair<const char*, double Percentiles::*> figures[] = {
      {"p50 ms", &Percentiles::p50_ms},
      {"p99 ms", &Percentiles::p99_ms},
      {"cpcd CPU µs per call", &Percentiles::server_cpu_us},
  };
  for (const auto& [name, read] : reads) {
    for (const auto& [figure, value] : figures) {
      std::cout << "| " << name << " | " << figure << " |";
      for (const SizeRun& r : runs) {
        std::cout << absl::StrFormat(value == &Percentiles::server_cpu_us ? " %.0f |" : " %.2f |",
                                     r.figures.*read.*value);
      }
      const double baseline = base.figures.*read.*value;
      for (size_t i = 1; i < runs.size(); ++i) {
        const double ratio = baseline > 0 ? runs[i].figures.*read.*value / baseline : 0;
        std::cout << absl::StrFormat(figure == figures[0].first ? " **%.2f** |" : " %.2f |", ratio);
      }
      std::cout << "\n";
    }
  }
  std::cout << "\n";
  for (const SizeRun& r : runs) {
    const ReadFigures& f = r.figures;
    std::cout << absl::StrFormat(
        "%d batches: cpcd started in %.1f s; board %d entries; lot where-used %d uses in %d "
        "batches; incubator where-used %d uses; export %d rows in %d pages "
        "(%.1f µs per row); cpcd RSS %.1f MiB before the exports, peak %.1f MiB during them\n",
        r.batches, r.start_seconds, f.board_entries, f.lot_uses, f.lot_batches,
        f.equipment_uses, f.export_rows, f.export_pages,
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
  std::vector<SizeRun> runs(sizes.size());
  std::vector<Server> servers;
  std::vector<ReadTarget> targets;
  for (size_t i = 0; i < sizes.size(); ++i) {
    absl::StatusOr<Server> server = Start(sizes[i], scratch.path(), runs[i]);
    if (!server.ok()) {
      std::cerr << "cpc-bench-read: " << sizes[i] << " batches: " << server.status().message()
                << "\n";
      return 1;
    }
    targets.push_back(server->target);
    servers.push_back(*std::move(server));
  }
  ReadCounts counts;
  counts.show_calls = counts.readiness_calls = absl::GetFlag(FLAGS_calls);
  counts.board_calls = absl::GetFlag(FLAGS_board_calls);
  counts.where_used_calls = absl::GetFlag(FLAGS_where_used_calls);
  counts.exports = absl::GetFlag(FLAGS_exports);
  absl::StatusOr<std::vector<ReadFigures>> figures = ProbeReads(targets, counts);
  for (Server& server : servers) server.process->Stop();
  if (!figures.ok()) {
    std::cerr << "cpc-bench-read: " << figures.status().message() << "\n";
    return 1;
  }
  for (size_t i = 0; i < runs.size(); ++i) runs[i].figures = (*figures)[i];
  std::cout << absl::StrFormat(
      "\none client, one call at a time, taking turns between the servers, over the %d newest "
      "batches (alike in every database); %d show and readiness calls, %d boards, %d of each "
      "where-used, %d exports each\n\n",
      ReadCounts{}.batches, absl::GetFlag(FLAGS_calls), absl::GetFlag(FLAGS_board_calls),
      absl::GetFlag(FLAGS_where_used_calls), absl::GetFlag(FLAGS_exports));
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
