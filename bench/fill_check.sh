#!/usr/bin/env bash
# CTest `bench_fill`: cpc-bench-fill writes a small history with every kind
# of trouble through the application layer (so the domain accepted every
# step of the schedule), and `cpcd verify-audit` finds its audit chain whole.
# Usage: bench/fill_check.sh BIN_DIR
set -euo pipefail
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$("$bin/cpc-bench-fill" --batches 40 --batches_per_day 1 --trouble 25 --seed 3 \
  --db "$dir/fill.db")
echo "$out"
# Every kind of write the schedule makes happened at least once.
for kind in "records" "QC samples" "tests" "results" "deviations" "units" "plans" \
            "releases" "infusions" "audit entries"; do
  if ! grep -Eq "(^|[ ,])$kind [1-9][0-9]*" <<<"$out"; then
    echo "bench_fill: no $kind written" >&2
    exit 1
  fi
done
"$bin/cpcd" verify-audit --db "$dir/fill.db"
