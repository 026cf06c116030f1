// gRPC 1.51 runs callback-API handlers on Clamp(cores / 2, 2, 16) threads
// (CallbackAlternativeCQ's "nexting" threads), sized by gpr_cpu_num_cores().
// A write handler waits there until the group commit holding its write is
// durable, so on a 2-core machine at most two writes could wait for, and
// share, one fsync; every other client queued behind them in gRPC. cpcd
// defines the function itself (the executable's definition takes precedence
// over libgpr's) and reports at least 32 cores, so 16 handlers can wait at
// once and one fsync serves up to 16 writes. Measured in bench/RESULTS.md.
#include <unistd.h>

#include <algorithm>

extern "C" unsigned gpr_cpu_num_cores(void) {
  // Once: gRPC asks on every call, and sysconf reads /sys each time.
  static const unsigned cores =
      static_cast<unsigned>(std::max(sysconf(_SC_NPROCESSORS_ONLN), 32L));
  return cores;
}
