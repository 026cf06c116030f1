#!/usr/bin/env bash
# Installs the Debian bookworm packages cpctrack builds and runs with.
# Run as root (or with sudo). Safe to run again: installed packages are kept.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev sqlite3 tzdata libsodium-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libzint-dev libzbar-dev libdmtx-dev
  openssl
  libcpp-httplib-dev nlohmann-json3-dev  # cpc-web: HTTP server, JSON
  libssl-dev  # cpc-web: HTTPS (--tls_cert); cpp-httplib is built with OpenSSL
  libcairo2-dev libpango1.0-dev fonts-noto-cjk  # PDF batch record (Japanese text)
  chromium chromium-driver python3-selenium poppler-utils  # tests: real browser, pdftotext
  clang libclang-rt-14-dev  # libFuzzer targets (scripts/fuzz.sh)
  systemd dpkg-dev  # the Debian package: systemd-analyze verify of its units, dpkg-shlibdeps
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install-deps: done"
