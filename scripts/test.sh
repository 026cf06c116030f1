#!/usr/bin/env bash
# One command that installs what is needed, builds everything and runs every
# test (unit, storage, CLI and end-to-end), then each fuzz target for 10 s.
# .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 300
scripts/fuzz.sh 10
