#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang, ASan and UBSan) in
# build-fuzz/ and runs each for a bounded time from its seed corpus in
# fuzz/corpus/TARGET/. New inputs go to a scratch folder, crashes to
# build-fuzz/crash-*; exit 1 if any target crashes.
# Usage: scripts/fuzz.sh [SECONDS_EACH]   (default 12; scripts/test.sh runs it with 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-12}
targets=(din_fuzzer request_fuzzer cli_values_fuzzer scan_fuzzer)

if [[ ! -f build-fuzz/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S fuzz -B build-fuzz -G Ninja >/dev/null
fi
cmake --build build-fuzz -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >/dev/null

status=0
for target in "${targets[@]}"; do
  scratch=$(mktemp -d)
  if build-fuzz/"$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
      -max_len=8192 -artifact_prefix="build-fuzz/crash-$target-" \
      "$scratch" "fuzz/corpus/$target" >"build-fuzz/$target.log" 2>&1; then
    echo "fuzz: $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "build-fuzz/$target.log")"
  else
    echo "fuzz: $target FAILED; see build-fuzz/$target.log:" >&2
    grep -A 20 "ERROR\|==ERROR\|deadly signal" "build-fuzz/$target.log" | head -40 >&2
    status=1
  fi
  rm -rf "$scratch"
done
exit $status
