// A client that reads beside cpc-bench-load's writers: it creates one batch,
// then fetches it (BatchService.GetBatch, basic view) again and again. Such
// a read once waited for any commit in progress, fsync included.
#ifndef CPCTRACK_BENCH_READ_BESIDE_H_
#define CPCTRACK_BENCH_READ_BESIDE_H_

#include <string>

#include "absl/time/time.h"
#include "bench/workload.h"

namespace cpctrack::bench {

// Reads until `until` as `token`'s holder ("" for the no-op server), one
// read every `interval` on average (a light load beside the writers, as
// screens and scanners make, that leaves their throughput alone). The gaps
// are random (Poisson arrivals): a fixed pace locks onto the commits' rhythm
// and measures a phase, not a wait.
ClientResult RunReader(const std::string& address, const std::string& token,
                       absl::Duration interval, absl::Time until);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_READ_BESIDE_H_
