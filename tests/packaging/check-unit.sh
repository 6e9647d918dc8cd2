#!/usr/bin/env bash
# The systemd unit: `systemd-analyze verify` finds nothing to say (unknown keys and invalid
# values are only warnings there, so any output fails), and the resource limits and /proc
# hiding are set. ExecStart points at the installed binary, which a build tree does not have:
# the copy that is verified runs /bin/true instead. The man pages its Documentation= names are
# found among the given ones (the build's), as systemd-analyze looks them up with man.
# check-unit.sh UNIT [MAN_PAGE]...
set -euo pipefail
unit=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for page in "$@"; do
    section=${page##*.}
    mkdir -p "$tmp/man/man$section"
    cp "$page" "$tmp/man/man$section/"
done
export MANPATH=$tmp/man
status=0
for directive in 'MemoryMax=[0-9]+[KMGT]?$' 'TasksMax=[0-9]+$' 'ProtectProc=invisible$' \
    'ProcSubset=pid$' 'User=ferry$' 'NoNewPrivileges=yes$' 'Type=notify$' 'WatchdogSec=[0-9]+s$' \
    'LoadCredential=ferry-master-key:' 'CapabilityBoundingSet=$' 'SystemCallFilter=@system-service$' \
    'ProtectSystem=strict$' 'PrivateTmp=yes$' 'PrivateDevices=yes$' 'LogsDirectory=ferry$' \
    'StateDirectory=ferry$'; do
    if ! grep -Eq "^$directive" "$unit"; then
        echo "missing in $unit: $directive" >&2
        status=1
    fi
done
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing: install systemd" >&2; exit 1; }
sed 's#^ExecStart=/usr/bin/ferry-agent#ExecStart=/bin/true#' "$unit" >"$tmp/ferry-agent.service"
if ! out=$(cd "$tmp" && systemd-analyze verify ./ferry-agent.service 2>&1) || [[ -n $out ]]; then
    echo "systemd-analyze verify $unit:" >&2
    echo "$out" >&2
    status=1
fi
exit $status
