#!/usr/bin/env bash
# The Debian package: built with cpack from the build tree, unpacked into a scratch root, its
# postinst run there as dpkg runs it (DPKG_ROOT). Afterwards the service user exists and can
# read the configuration: /etc/ferry/agent.conf is root:ferry 0640, /etc/ferry root:ferry 0750,
# and agent.conf is a conffile (an upgrade keeps the operator's edits).
# check-package.sh BUILD_DIR
set -euo pipefail
build=$1
if [[ $(id -u) -ne 0 ]]; then
    echo "needs root (chown to the ferry group in the scratch root): skipped" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; exit 1; }
deb=$(ls "$tmp"/out/*.deb)
root=$tmp/root
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$root/DEBIAN"
status=0
fail() { echo "$*" >&2; status=1; }

grep -qx /etc/ferry/agent.conf "$root/DEBIAN/conffiles" || fail "agent.conf is not a conffile"
# A postinst that ignores DPKG_ROOT would change this machine's users and /etc: not run.
grep -q DPKG_ROOT "$root/DEBIAN/postinst" || { fail "postinst ignores DPKG_ROOT"; exit 1; }
DPKG_ROOT=$root sh "$root/DEBIAN/postinst" configure
gid=$(awk -F: '$1 == "ferry" { print $3 }' "$root/etc/group")
[[ -n $gid ]] || fail "postinst created no ferry group"
check() { # PATH OWNER:GROUP MODE
    local seen
    seen=$(stat -c '%u:%g %a' "$root$1")
    [[ $seen == "$2 $3" ]] || fail "$1: $seen, expected $2 $3 (root:ferry = 0:$gid)"
}
check /etc/ferry "0:$gid" 750
check /etc/ferry/agent.conf "0:$gid" 640
exit $status
