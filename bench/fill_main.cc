// cpc-bench-fill: fills a new database with a realistic history of N batches
// through the application layer (the domain decides every step; the real
// schema, triggers and audit chain), for the read benchmark. Example: cpc-bench-fill --batches 10000 --db big.db
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/fill_schedule.h"
#include "bench/fill_writer.h"
#include "domain/status_macros.h"
#include "store/store.h"

ABSL_FLAG(int, batches, 100, "batches to write, the newest started just now");
ABSL_FLAG(std::string, db, "", "the database file to create (must not exist)");
ABSL_FLAG(double, batches_per_day, 2.5, "how many batches the facility starts per day");
ABSL_FLAG(uint64_t, seed, 1, "seeds the random choices (which batches have trouble)");
ABSL_FLAG(double, trouble, 1,
          "multiplies the chances of trouble (late processing, positive sterility, "
          "invalidated tests, corrections): 20 makes a small history hold every kind");
ABSL_FLAG(int, events_per_transaction, 2000,
          "events written per commit: big enough that the fill is not bound by fsync");

namespace cpctrack::bench {
namespace {

absl::Status Fill(const std::string& path, const FillOptions& options) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(absl::StrCat("--db: ", path, " exists; give a new file"));
  }
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(const FillCounts c,
                   FillDatabase(path, options, absl::GetFlag(FLAGS_events_per_transaction),
                                &std::cerr));
  const int64_t total = c.records + c.qc_samples + c.qc_tests + c.qc_results + c.deviations +
                        c.units + c.plans + c.releases + c.infusions + c.audit_entries;
  stat(path.c_str(), &st);
  std::cout << absl::StrFormat(
      "%s: %d batches (%d patients) over %.0f days, %d events in %s\n"
      "  records %d, QC samples %d, tests %d, results %d, deviations %d, units %d, plans %d, "
      "releases %d, infusions %d, audit entries %d\n"
      "  %d records and audit entries in all, %.0f per batch; file %.0f MiB\n",
      path, c.batches, c.patients, options.batches / options.batches_per_day, c.events,
      absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(100))), c.records,
      c.qc_samples, c.qc_tests, c.qc_results, c.deviations, c.units, c.plans, c.releases,
      c.infusions, c.audit_entries, total,
      static_cast<double>(total) / std::max<int64_t>(1, c.batches), st.st_size / 1048576.0);
  return absl::OkStatus();
}

}  // namespace
}  // namespace cpctrack::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Fills a new cpctrack database with N batches' realistic history.\n"
      "Example: cpc-bench-fill --batches 10000 --db build/bench-10000.db");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_db).empty() || absl::GetFlag(FLAGS_batches) < 1 ||
      absl::GetFlag(FLAGS_batches_per_day) <= 0) {
    std::cerr << "cpc-bench-fill: give --db FILE and --batches N (>= 1); see --help\n";
    return 2;
  }
  cpctrack::bench::FillOptions options;
  options.batches = absl::GetFlag(FLAGS_batches);
  options.batches_per_day = absl::GetFlag(FLAGS_batches_per_day);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.trouble = absl::GetFlag(FLAGS_trouble);
  options.now = absl::Now();
  const absl::Status status = cpctrack::bench::Fill(absl::GetFlag(FLAGS_db), options);
  if (!status.ok()) {
    std::cerr << "cpc-bench-fill: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
