#!/usr/bin/env bash
# A PostgreSQL formation under pg_auto_failover on 127.0.0.1 for the failover tests: a monitor,
# a primary and a secondary, each run by its pg_autoctl keeper in a process group of its own.
#
#   pg-autofailover.sh start DIR MONITOR_PORT PORT1 PORT2 sync|async
#       prints the formation's multi-host URL (target_session_attrs=read-write); sync: every
#       commit waits for the secondary (pg_auto_failover's default for a two-node formation),
#       async: the secondary does not take part in the write quorum
#   pg-autofailover.sh primary DIR          the name of the node that takes writes now
#   pg-autofailover.sh crash DIR NODE       NODE's host dies: its keeper is killed (SIGKILL) and
#                                           its PostgreSQL stopped with pg_ctl -m immediate
#   pg-autofailover.sh wait-primary DIR NODE SECONDS   until the monitor reports NODE primary
#   pg-autofailover.sh destroy DIR          stop everything and delete DIR
#
# The monitor's health checks are tightened (1 s checks, 4 s until a node counts as unhealthy,
# 4 s demote timeout) so a failover takes seconds rather than the defaults' half minute; the
# defaults are what docs/operations.md recommends for production. PostgreSQL refuses to run as
# root: as root everything runs as the 'postgres' user.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || { echo "usage: $0 start|primary|crash|wait-primary|destroy DIR ..." >&2; exit 2; }
command -v pg_autoctl >/dev/null ||
    { echo "pg-autofailover: pg_autoctl missing: install postgresql-15-auto-failover" >&2; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
runas=()
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
    owner=postgres
    runas=(runuser -u postgres --)
fi
as_pg() {
    "${runas[@]}" env PATH="$pgbin:$PATH" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/share" \
        XDG_RUNTIME_DIR="$dir/run" "$@"
}
monitor_url() { echo "postgres://autoctl_node@127.0.0.1:$(cat "$dir/monitor.port")/pg_auto_failover?sslmode=disable"; }
state() { as_pg pg_autoctl show state --pgdata "$dir/monitor" 2>/dev/null; }

# Runs a keeper in its own process group (setsid); its group id is kept for crash.
run_keeper() { # NAME
    as_pg setsid pg_autoctl run --pgdata "$dir/$1" >>"$dir/$1.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do
        pgrep -u "$owner" -f "^pg_autoctl run --pgdata $dir/$1\$" >"$dir/$1.pid" && break
        sleep 0.1
    done
    wait_ready "$1" "$pid"
}

wait_ready() { # NAME PID
    for _ in $(seq 1 300); do
        as_pg "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/$1.port")" && return 0
        sleep 0.1
    done
    echo "pg-autofailover: $1 did not start; see $dir/$1.log" >&2
    exit 1
}

# Until the monitor reports one primary and one secondary, for up to 120 s.
wait_formation() {
    for _ in $(seq 1 240); do
        if [[ $(state | grep -cE '\| +primary \| +primary$|\| +secondary \| +secondary$') -eq 2 ]]; then
            return 0
        fi
        sleep 0.5
    done
    echo "pg-autofailover: the formation did not settle:" >&2
    state >&2
    exit 1
}

case $cmd in
start)
    mon=$3 p1=$4 p2=$5 mode=${6:-sync}
    mkdir -p "$dir/run"
    chown -R "$owner" "$dir"
    echo "$mon" >"$dir/monitor.port"; echo "$p1" >"$dir/node1.port"; echo "$p2" >"$dir/node2.port"
    as_pg pg_autoctl create monitor --pgdata "$dir/monitor" --pgport "$mon" --hostname 127.0.0.1 \
        --auth trust --no-ssl >>"$dir/monitor.log" 2>&1 ||
        { echo "pg-autofailover: the monitor was not created; see $dir/monitor.log" >&2; exit 1; }
    run_keeper monitor
    for setting in health_check_period=1000 health_check_retry_delay=500 health_check_timeout=1000 \
        node_considered_unhealthy_timeout=4000 primary_demote_timeout=4000; do
        as_pg psql -qAt -h 127.0.0.1 -p "$mon" -d pg_auto_failover \
            -c "ALTER SYSTEM SET pgautofailover.${setting%%=*} = ${setting#*=}" >/dev/null
    done
    as_pg psql -qAt -h 127.0.0.1 -p "$mon" -d pg_auto_failover -c 'SELECT pg_reload_conf()' >/dev/null
    for n in 1 2; do
        port=$(cat "$dir/node$n.port")
        as_pg pg_autoctl create postgres --pgdata "$dir/node$n" --pgport "$port" --hostname 127.0.0.1 \
            --name "node$n" --dbname ferry --auth trust --no-ssl --monitor "$(monitor_url)" \
            >>"$dir/node$n.log" 2>&1 ||
            { echo "pg-autofailover: node$n was not created; see $dir/node$n.log" >&2; exit 1; }
        run_keeper "node$n"
    done
    wait_formation
    if [[ $mode == async ]]; then
        as_pg pg_autoctl set node replication-quorum false --pgdata "$dir/node2" >>"$dir/node2.log" 2>&1
        for _ in $(seq 1 100); do
            [[ -z $(as_pg psql -qAt -h 127.0.0.1 -p "$p1" -d ferry -c 'SHOW synchronous_standby_names') ]] && break
            sleep 0.2
        done
    fi
    echo "postgresql://postgres@127.0.0.1:$p1,127.0.0.1:$p2/ferry?target_session_attrs=read-write&connect_timeout=2"
    ;;
primary)
    # wait_primary: a primary whose standby is gone, which takes writes (without a sync standby).
    state | awk -F'|' '$6 ~ /^ *(wait_)?primary *$/ && $7 ~ /^ *(wait_)?primary *$/ { gsub(/ /, "", $1); print $1 }'
    ;;
crash)
    node=$3
    pgid=$(ps -o pgid= -p "$(cat "$dir/$node.pid")" | tr -d ' ')
    pkill -9 -g "$pgid" -f '^pg_autoctl' || true
    as_pg "$pgbin/pg_ctl" -D "$dir/$node" stop -m immediate >/dev/null
    ;;
wait-primary)
    node=$3
    for _ in $(seq 1 $(( ${4:-60} * 4 ))); do
        [[ $("$0" primary "$dir") == "$node" ]] && exit 0
        sleep 0.25
    done
    echo "pg-autofailover: $node did not become primary:" >&2
    state >&2
    exit 1
    ;;
destroy)
    for f in "$dir"/*.pid; do
        [[ -f $f ]] || continue
        pgid=$(ps -o pgid= -p "$(cat "$f")" 2>/dev/null | tr -d ' ') || true
        [[ -n ${pgid:-} ]] && pkill -9 -g "$pgid" -f '^pg_autoctl' || true
    done
    for d in "$dir"/monitor "$dir"/node1 "$dir"/node2; do
        [[ -f $d/postmaster.pid ]] && as_pg "$pgbin/pg_ctl" -D "$d" stop -m immediate >/dev/null 2>&1 || true
    done
    # A server's last processes may still be writing their files for a moment.
    rm -rf "$dir" 2>/dev/null || { sleep 1; rm -rf "$dir"; }
    ;;
*)
    echo "pg-autofailover: unknown command $cmd" >&2
    exit 2
    ;;
esac
