#!/usr/bin/env bash
# Builds and runs the benchmarks: the fsync rate of the disk, then the same
# write load against a no-op gRPC server and against cpcd (durable writes on a
# real file, synchronous=FULL), each for 10 s with 32 clients unless flags say
# otherwise. Prints the figures with the machine, the command and the date;
# with --record first, also appends them to bench/RESULTS.md.
# Usage: scripts/bench.sh [--record] [cpc-bench-load flags]   e.g. --duration 20s
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
if [[ "${1:-}" == "--record" ]]; then record=1; shift; fi
scripts/build.sh cpcd cpc-bench-load cpc-bench-noopd >/dev/null

out=$(mktemp)
{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
       "$(free -g | awk '/Mem:/{print $2}') GiB RAM, $(df -T build | awk 'NR==2{print $2}') on" \
       "$(df build | awk 'NR==2{print $1}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`$(echo scripts/bench.sh "$@")\`"
  echo
  build/bin/cpc-bench-load --dir build "$@"
} | tee "$out"
if ((record)); then
  { echo; cat "$out"; } >> bench/RESULTS.md
fi
rm -f "$out"
