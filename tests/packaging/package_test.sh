#!/usr/bin/env bash
# The Debian package builds from this build tree, holds the binaries, the
# units and the backup script, and its systemd units pass
# `systemd-analyze verify` against the package's own files.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || {
  cat "$tmp/cpack.log" >&2
  exit 1
}
deb="$(ls "$tmp"/out/*.deb)"
dpkg-deb --info "$deb" >"$tmp/info"
grep -q "Package: cpctrack" "$tmp/info"
grep -q "Depends:.*libsodium" "$tmp/info" || { echo "no shared-library dependencies" >&2; cat "$tmp/info" >&2; exit 1; }
dpkg-deb --extract "$deb" "$tmp/root"
for f in usr/bin/cpcd usr/bin/cpc usr/bin/cpc-lab usr/bin/cpc-web usr/lib/cpctrack/cpcd-backup; do
  test -x "$tmp/root/$f" || { echo "missing $f" >&2; exit 1; }
done
test -f "$tmp/root/etc/default/cpcd"
# Listed to a file first: `grep -q` stops reading at its match, and with
# pipefail the writer's SIGPIPE (exit 141) failed the test now and then.
dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$tmp/control"
grep -q postinst "$tmp/control"

units="$tmp/root/usr/lib/systemd/system"  # merged /usr (bookworm)
# verify checks every ExecStart binary exists: run it against the package's
# files, as they will be installed.
mkdir -p "$tmp/check"
for unit in cpcd.service cpcd-backup.service cpcd-backup.timer; do
  sed -e "s|/usr/bin/|$tmp/root/usr/bin/|g" -e "s|/usr/lib/cpctrack/|$tmp/root/usr/lib/cpctrack/|g" \
    "$units/$unit" >"$tmp/check/$unit"
done
# A unit that does not verify prints why; warnings about the host (no
# systemd running in a container) are not the unit's fault.
if ! systemd-analyze verify --man=no "$tmp/check/cpcd.service" "$tmp/check/cpcd-backup.service" \
    "$tmp/check/cpcd-backup.timer" >"$tmp/verify.log" 2>&1; then
  cat "$tmp/verify.log" >&2
  exit 1
fi
if grep -E "cpcd(-backup)?\.(service|timer):[0-9]+:" "$tmp/verify.log"; then
  echo "the units have problems (above)" >&2
  exit 1
fi
echo "package $(basename "$deb"): binaries, units and backup script present; units verify"
