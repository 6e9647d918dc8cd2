#!/usr/bin/env bash
# The Debian packages, built with cpack from this build tree into BUILD_DIR/packages:
# - lintian finds nothing (no error, no warning) in ferry-agent and ferry-console;
# - each holds what it should (binaries, unit, man pages, conffile; .desktop file and icon), and
#   the .desktop file passes desktop-file-validate;
# - ferry-agent's postinst, run in a scratch root as dpkg runs it there (DPKG_ROOT), makes the
#   ferry user, /etc/ferry root:ferry 0750, agent.conf root:ferry 0640 and the master key
#   root 0600; and changes nothing of this machine.
# It also writes BUILD_DIR/packages/upgrade/: the same agent package with a higher version, for
# tst_packageinstall's upgrade (the CTest fixture "debs").
# check-package.sh BUILD_DIR
set -euo pipefail
build=$1
if [[ $(id -u) -ne 0 ]]; then
    echo "needs root (chown to the ferry group in the scratch root): skipped" >&2
    exit 77
fi
out=$build/packages
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
cpack --config "$build/CPackConfig.cmake" -B "$out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; exit 1; }
rm -rf "$out/_CPack_Packages"
agent=$(ls "$out"/ferry-agent_*_amd64.deb)
console=$(ls "$out"/ferry-console_*_amd64.deb)
status=0
fail() { echo "$*" >&2; status=1; }

lint=$(lintian --tag-display-limit 0 "$agent" "$console" 2>&1 | grep -v 'running with root privileges') || true
[[ -z $lint ]] || fail "lintian:"$'\n'"$lint"

contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's#^\./#/#'; }
for path in /usr/bin/ferry-agent /usr/bin/ferryctl /lib/systemd/system/ferry-agent.service \
    /usr/lib/sysusers.d/ferry.conf /usr/lib/tmpfiles.d/ferry.conf /etc/ferry/agent.conf \
    /usr/share/man/man8/ferry-agent.8.gz /usr/share/man/man1/ferryctl.1.gz \
    /usr/share/doc/ferry-agent/operations.md /usr/share/doc/ferry-agent/copyright; do
    contents "$agent" | grep -qx "$path" || fail "ferry-agent lacks $path"
done
for path in /usr/bin/ferry-console /usr/share/applications/ferry-console.desktop \
    /usr/share/icons/hicolor/scalable/apps/ferry-console.svg /usr/share/man/man1/ferry-console.1.gz; do
    contents "$console" | grep -qx "$path" || fail "ferry-console lacks $path"
done
contents "$agent" | grep -q ferry-console && fail "ferry-agent carries the console (Qt Widgets on a server)"
dpkg-deb -f "$console" Recommends | grep -q qt6-translations-l10n ||
    fail "ferry-console does not recommend qt6-translations-l10n (Qt's own German)"

dpkg-deb -x "$console" "$tmp/console"
desktop-file-validate "$tmp/console/usr/share/applications/ferry-console.desktop" ||
    fail "desktop-file-validate failed"

root=$tmp/root
dpkg-deb -x "$agent" "$root"
dpkg-deb -e "$agent" "$root/DEBIAN"
grep -qx /etc/ferry/agent.conf "$root/DEBIAN/conffiles" || fail "agent.conf is not a conffile"
# A postinst that ignores DPKG_ROOT would change this machine's users and /etc: not run.
grep -q DPKG_ROOT "$root/DEBIAN/postinst" || { fail "postinst ignores DPKG_ROOT"; exit 1; }
DPKG_ROOT=$root sh "$root/DEBIAN/postinst" configure >"$tmp/postinst.log"
gid=$(awk -F: '$1 == "ferry" { print $3 }' "$root/etc/group")
[[ -n $gid ]] || fail "postinst created no ferry group"
check() { # PATH OWNER:GROUP MODE
    local seen
    seen=$(stat -c '%u:%g %a' "$root$1")
    [[ $seen == "$2 $3" ]] || fail "$1: $seen, expected $2 $3 (root:ferry = 0:$gid)"
}
check /etc/ferry "0:$gid" 750
check /etc/ferry/agent.conf "0:$gid" 640
check /etc/credstore 0:0 700
check /etc/credstore/ferry-master-key 0:0 600

# The upgrade: the same files under a higher version.
mkdir -p "$tmp/upgrade" "$out/upgrade"
dpkg-deb -R "$agent" "$tmp/upgrade"
sed -i -E 's/^Version: (.*)$/Version: \1+upgrade1/' "$tmp/upgrade/DEBIAN/control"
dpkg-deb --root-owner-group -b "$tmp/upgrade" "$out/upgrade" >/dev/null
exit $status
