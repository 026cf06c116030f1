// What the benchmarks read about a server process from /proc.
#ifndef CPCTRACK_BENCH_PROC_STATS_H_
#define CPCTRACK_BENCH_PROC_STATS_H_

#include <sys/types.h>

namespace cpctrack::bench {

// User + system CPU of the whole process so far (exited threads included),
// in 10 ms ticks: for runs of seconds.
double CpuSeconds(pid_t pid);
// Time its live threads have spent on a CPU, to the nanosecond: for calls
// of a few hundred microseconds.
double ThreadCpuSeconds(pid_t pid);
// VmHWM (the most resident memory it has had) and VmRSS, MiB; 0 if unreadable.
double PeakRssMib(pid_t pid);
double RssMib(pid_t pid);
// Makes VmHWM start again from the current RSS.
void ResetPeakRss(pid_t pid);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_PROC_STATS_H_
