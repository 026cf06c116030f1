#!/usr/bin/env bash
# Stops the cpc-web and cpcd started by scripts/start.sh (gracefully: SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f data/cpc-web.pid ]] && kill -0 "$(cat data/cpc-web.pid)" 2>/dev/null; then
  kill -TERM "$(cat data/cpc-web.pid)"
  rm -f data/cpc-web.pid
  echo "cpc-web stopped"
fi
if [[ -f data/cpcd.pid ]] && kill -0 "$(cat data/cpcd.pid)" 2>/dev/null; then
  pid=$(cat data/cpcd.pid)
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f data/cpcd.pid
  echo "cpcd stopped"
else
  echo "cpcd is not running"
fi
