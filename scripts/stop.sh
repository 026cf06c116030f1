#!/usr/bin/env bash
# Stops the cpcd started by scripts/start.sh (gracefully: SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f data/cpcd.pid ]] && kill -0 "$(cat data/cpcd.pid)" 2>/dev/null; then
  pid=$(cat data/cpcd.pid)
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f data/cpcd.pid
  echo "cpcd stopped"
else
  echo "cpcd is not running"
fi
