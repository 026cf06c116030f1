// The reads cpc-bench-read times against one running cpcd: `batch show`,
// one batch's readiness, the scheduler's board, QA's where-used of a lot and
// of an incubator, and the one-year sterility export, each as the CLI calls
// it, one call at a time.
#ifndef CPCTRACK_BENCH_READ_PROBE_H_
#define CPCTRACK_BENCH_READ_PROBE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cpctrack::bench {

struct Percentiles {
  int64_t calls = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  // The server's CPU time (user + system) per call: steadier than latency
  // on a machine shared with other work.
  double server_cpu_us = 0;
};
Percentiles Summarize(std::vector<int64_t> latencies_us);

struct ReadFigures {
  Percentiles show;       // BatchService.GetBatch, BATCH_VIEW_FULL
  Percentiles readiness;  // ReadinessService.GetReadiness
  Percentiles board;      // ReadinessService.GetBoard, 14 days
  int board_entries = 0;
  // ReportService.GetLotWhereUsed: the medium lot the newest batch was
  // seeded with (a quarter's lot: every batch seeded that quarter).
  Percentiles lot_where_used;
  int lot_uses = 0;
  int lot_batches = 0;
  // ReportService.GetEquipmentWhereUsed: that seeding's incubator over the
  // week after it.
  Percentiles equipment_where_used;
  int equipment_uses = 0;
  Percentiles sterility_export;  // QcService.ListTests, every page, as `cpc audit sterility`
  int64_t export_rows = 0;
  int64_t export_pages = 0;
  double rss_before_export_mib = 0;
  double peak_rss_export_mib = 0;  // VmHWM, reset just before the exports
};

struct ReadCounts {
  int batches = 20;  // the newest batches, visited in turn
  int show_calls = 200;
  int readiness_calls = 200;
  int board_calls = 40;
  int where_used_calls = 40;  // each of lot and equipment
  int exports = 3;
};

// A running server to probe, and a session on it.
struct ReadTarget {
  std::string address;
  std::string token;
  pid_t pid = 0;  // for its memory
};

// Times the reads on every target, taking turns call by call: the machine's
// noise then falls on all of them alike, and their ratios hold even when the
// absolute figures move. One figure set per target, in order.
absl::StatusOr<std::vector<ReadFigures>> ProbeReads(const std::vector<ReadTarget>& targets,
                                                    const ReadCounts& counts);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_READ_PROBE_H_
