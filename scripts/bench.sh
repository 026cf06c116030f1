#!/usr/bin/env bash
# Builds and runs the benchmarks: the fsync rate of the disk, then the same
# write load against a no-op gRPC server and against cpcd (durable writes on a
# real file, synchronous=FULL), each for 10 s with 32 clients unless flags say
# otherwise; then reads on a small and a bigger database (cpc-bench-read:
# 100 and 1,000 batches, or 100 and 10,000 with --big, which takes a few
# minutes more to fill). Prints the figures with the machine, the command and
# the date; with --record, also appends them to bench/RESULTS.md. Between the
# two, cpc-bench-history times writes to batches holding 10 records against
# batches holding 1,000 on one cpcd.
# Usage: scripts/bench.sh [--record] [--big] [--baseline-cpcd BINARY] [cpc-bench-load flags]
#   --baseline-cpcd: also drive that cpcd (e.g. a copy built before a change)
#   in the same run, as "baseline".
set -euo pipefail
cd "$(dirname "$0")/.."
command="scripts/bench.sh $*"
record=0
sizes=100,1000
load_flags=()
history_flags=()
while (($#)); do
  case "$1" in
    --record) record=1; shift ;;
    --big) sizes=100,10000; shift ;;
    --baseline-cpcd) load_flags+=("--baseline_cpcd=$2"); history_flags+=("--baseline_cpcd=$2")
                     shift 2 ;;
    *) break ;;
  esac
done
scripts/build.sh cpcd cpc-bench-load cpc-bench-noopd cpc-bench-read cpc-bench-history >/dev/null

out=$(mktemp)
{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
       "$(free -g | awk '/Mem:/{print $2}') GiB RAM, $(df -T build | awk 'NR==2{print $2}') on" \
       "$(df build | awk 'NR==2{print $1}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`${command% }\`"
  echo
  echo "#### Writes"
  echo
  build/bin/cpc-bench-load --dir build "${load_flags[@]}" "$@"
  echo
  echo "#### A batch's first day and its last"
  echo
  build/bin/cpc-bench-history --dir build "${history_flags[@]}"
  echo
  echo "#### Reads"
  echo
  build/bin/cpc-bench-read --dir build --sizes "$sizes"
} | tee "$out"
if ((record)); then
  { echo; cat "$out"; } >> bench/RESULTS.md
fi
rm -f "$out"
