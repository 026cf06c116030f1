#!/usr/bin/env bash
# One command from a fresh Debian machine to a running cpcd: installs the
# packages, builds, and starts cpcd in the background on 127.0.0.1:50051
# with the SQLite file data/cpctrack.db, and cpc-web (the board in a
# browser) beside it on http://127.0.0.1:8080. Stop both with scripts/stop.sh.
#   CPCD_PORT, CPCD_DB, CPCD_FACILITY, CPCD_TIME_ZONE, CPC_WEB_PORT override
#   the defaults.
# DEVELOPMENT ONLY: on a new database it makes a demo administrator,
# demo.admin, with a random password kept in data/demo-admin-password (0600),
# and serves plain text on loopback. A production cpcd gets its first
# administrator from `cpcd bootstrap-admin` typed by a person, and TLS.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh cpcd cpc cpc-lab cpc-web

port="${CPCD_PORT:-50051}"
db="${CPCD_DB:-data/cpctrack.db}"
mkdir -p "$(dirname "$db")"

if [[ -f data/cpcd.pid ]] && kill -0 "$(cat data/cpcd.pid)" 2>/dev/null; then
  echo "cpcd is already running (pid $(cat data/cpcd.pid)); scripts/stop.sh stops it"
  exit 0
fi

if [[ ! -f "$db" ]]; then
  # A random password, never a fixed one; the file is readable only by you.
  (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' >data/demo-admin-password)
  build/bin/cpcd bootstrap-admin --db "$db" --admin_user demo.admin \
    --admin_full_name "Demo Administrator" <data/demo-admin-password
fi

nohup build/bin/cpcd --db "$db" --port "$port" \
  --facility "${CPCD_FACILITY:-A9999}" --time_zone "${CPCD_TIME_ZONE:-localtime}" \
  >data/cpcd.log 2>&1 &
echo $! >data/cpcd.pid

# cpc-web, a gRPC client of this cpcd, on loopback (plain HTTP is refused
# anywhere else); its log is data/cpc-web.log.
start_web() {
  local web_port="${CPC_WEB_PORT:-8080}"
  if [[ -f data/cpc-web.pid ]] && kill -0 "$(cat data/cpc-web.pid)" 2>/dev/null; then return; fi
  nohup build/bin/cpc-web --cpcd "127.0.0.1:$port" --port "$web_port" \
    --time_zone "${CPCD_TIME_ZONE:-localtime}" >data/cpc-web.log 2>&1 &
  echo $! >data/cpc-web.pid
  for _ in $(seq 50); do
    if grep -q "listening on" data/cpc-web.log; then
      echo "cpc-web is running (pid $(cat data/cpc-web.pid)): open http://127.0.0.1:$web_port/board"
      return
    fi
    sleep 0.1
  done
  echo "cpc-web did not start (cpcd runs without it); its log: data/cpc-web.log" >&2
}

for _ in $(seq 50); do
  if build/bin/cpc --server "localhost:$port" status >/dev/null 2>&1; then
    head -n 1 data/cpcd.log
    echo "cpcd is running (pid $(cat data/cpcd.pid)); log: data/cpcd.log; stop: scripts/stop.sh"
    start_web
    echo "Next: export PATH=\"$PWD/build/bin:\$PATH\""
    if [[ -f data/demo-admin-password ]]; then
      echo "      cpc login demo.admin --password-stdin <data/demo-admin-password   # development only"
    fi
    echo "      cpc --help"
    exit 0
  fi
  if ! kill -0 "$(cat data/cpcd.pid)" 2>/dev/null; then break; fi
  sleep 0.2
done
echo "cpcd did not start; its log:" >&2
cat data/cpcd.log >&2
exit 1
