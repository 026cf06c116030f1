#!/usr/bin/env bash
# Configures and builds cpctrack in build/ (binaries in build/bin/).
# Usage: scripts/build.sh [TARGET...]   (no target: everything, tests included)
# CPCTRACK_BUILD_TYPE picks the CMake build type of a new build/ (default
# RelWithDebInfo; .ci/run uses Release, the same code without debug info).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${CPCTRACK_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
jobs=$(nproc 2>/dev/null || echo 2)
if (($# == 0)); then
  cmake --build build -j "$jobs"
else
  cmake --build build -j "$jobs" --target "$@"
fi
