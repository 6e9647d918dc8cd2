#!/usr/bin/env bash
# A private PostgreSQL cluster for the demo and the tests.
#
#   scripts/pg-embedded.sh start DIR   start (or reuse) a cluster in DIR; prints its URL
#   scripts/pg-embedded.sh stop DIR    stop it
#   scripts/pg-embedded.sh destroy DIR stop it and delete its data
#   scripts/pg-embedded.sh restart DIR restart it at once, as after a crash (pg_ctl -m immediate)
#   scripts/pg-embedded.sh pause DIR   freeze the server (SIGSTOP), resume DIR thaws it
#   scripts/pg-embedded.sh url DIR     print the URL of a running cluster
#   scripts/pg-embedded.sh standby DIR PRIMARY_URL
#                                      start (or reuse) a streaming hot standby of the running
#                                      cluster at PRIMARY_URL in DIR; prints its URL
#
# With FERRY_DATABASE_URL set, start and url print that URL and nothing is started or stopped.
# FERRY_PG_LISTEN_ALSO=ADDRESS makes start listen there too, and FERRY_PG_TRUST_NETWORK=CIDR
# lets clients from that network in (the agent hosts of scripts/netns-hosts.sh).
# PostgreSQL refuses to run as root: as root the cluster runs as the 'postgres' user.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
fi

if [[ -n "${FERRY_DATABASE_URL:-}" ]]; then
    case "$cmd" in
        start|url) echo "$FERRY_DATABASE_URL"; exit 0 ;;
        stop) exit 0 ;;
    esac
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pgbin" || ! -x "$pgbin/initdb" ]]; then
    echo "pg-embedded: PostgreSQL server binaries not found under /usr/lib/postgresql;" \
         "install the 'postgresql' package or set FERRY_DATABASE_URL" >&2
    exit 1
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"
runas=()
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
    owner=postgres
    runas=(runuser -u postgres --)
    # The postgres user must be able to reach the folder; when the checkout lives somewhere
    # it cannot enter (a 0700 home), keep the cluster in /tmp under a name tied to DIR.
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
        data="/tmp/ferry-pg-$(echo -n "$dir" | sha1sum | cut -c1-12)"
    fi
fi
sock="$dir/sock"
if (( ${#sock} > 90 )) || [[ "$data" == /tmp/* ]]; then
    sock="/tmp/ferry-pgsock-$(echo -n "$dir" | sha1sum | cut -c1-12)"
fi

pgctl() { "${runas[@]}" "$pgbin/pg_ctl" -D "$data" "$@"; }

is_running() { [[ -f "$data/postmaster.pid" ]] && pgctl status >/dev/null 2>&1; }

url_of() {
    local port
    port=$(sed -n 's/^port *= *\([0-9]*\).*/\1/p' "$data/postgresql.auto.conf" "$data/postgresql.conf" 2>/dev/null | tail -n 1)
    echo "postgresql://ferry@127.0.0.1:${port}/ferry"
}

# Below the kernel's ephemeral range (32768-60999 here), so an outgoing connection's local port
# cannot take it between the check and the bind.
free_port() {
    local p
    for p in $(seq "${1:-25432}" 25999); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

case "$cmd" in
    start)
        if is_running; then
            url_of | tee "$dir/url"
            exit 0
        fi
        if [[ ! -f "$data/PG_VERSION" ]]; then
            mkdir -p "$data"
            chmod 700 "$data"
            [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
            "${runas[@]}" "$pgbin/initdb" -D "$data" -U ferry -A trust -E UTF8 --no-locale \
                >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        fi
        mkdir -p "$sock"
        [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$sock"
        logfile="$data/server.log"
        first=25432
        # A restarted cluster keeps its port when it can, so URLs handed out stay valid.
        previous=$(sed -n 's/^port *= *\([0-9]*\).*/\1/p' "$data/postgresql.auto.conf" 2>/dev/null | tail -n 1)
        for try in 1 2 3 4 5; do
            if [[ $try -eq 1 && -n "$previous" ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$previous") 2>/dev/null; then
                port=$previous
            else
                port=$(free_port "$first") || { echo "pg-embedded: no free port in 25432-25999" >&2; exit 1; }
            fi
            cat >"$data/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1${FERRY_PG_LISTEN_ALSO:+,$FERRY_PG_LISTEN_ALSO}'
port = $port
unix_socket_directories = '$sock'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
autovacuum_naptime = 10s
log_min_messages = warning
CONF
            if [[ -f "$dir/primary_conninfo" ]]; then
                echo "primary_conninfo = '$(cat "$dir/primary_conninfo")'" >>"$data/postgresql.auto.conf"
            fi
            [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data/postgresql.auto.conf"
            if [[ -n "${FERRY_PG_TRUST_NETWORK:-}" ]] &&
                    ! grep -q "^host all all ${FERRY_PG_TRUST_NETWORK} trust" "$data/pg_hba.conf"; then
                echo "host all all ${FERRY_PG_TRUST_NETWORK} trust" >>"$data/pg_hba.conf"
            fi
            if pgctl -l "$logfile" -w -t 60 start >/dev/null 2>&1; then
                break
            fi
            if [[ $try -eq 5 ]] || ! tail -n 20 "$logfile" | grep -q "could not bind"; then
                echo "pg-embedded: PostgreSQL did not start; its log says:" >&2
                tail -n 20 "$logfile" >&2 || true
                exit 1
            fi
            # The port was taken meanwhile: try the next one (a kept port from outside the
            # range starts the search from its beginning).
            if ((port >= 25432 && port < 25999)); then first=$((port + 1)); else first=25432; fi
        done
        if ! "$pgbin/psql" -h 127.0.0.1 -p "$port" -U ferry -d postgres -tAc \
                "SELECT 1 FROM pg_database WHERE datname = 'ferry'" | grep -q 1; then
            "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U ferry ferry
        fi
        url_of | tee "$dir/url"
        ;;
    stop)
        if is_running; then
            pgctl -m fast -w stop >/dev/null 2>&1 || pgctl -m immediate stop >/dev/null 2>&1 || true
        fi
        ;;
    destroy)
        # Stop it and delete its data: for throwaway clusters.
        if is_running; then
            pgctl -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$data" "$sock"
        ;;
    restart)
        # An immediate restart, as after a crash: in-flight transactions are lost.
        is_running || { echo "pg-embedded: no cluster running in $dir" >&2; exit 1; }
        pgctl -m immediate -w -t 60 restart -l "$data/server.log" >/dev/null 2>&1
        url_of
        ;;
    pause|resume)
        # Freeze (or thaw) the server and all its backends, as a hung database would be.
        is_running || { echo "pg-embedded: no cluster running in $dir" >&2; exit 1; }
        pid=$(head -n 1 "$data/postmaster.pid")
        sig=STOP; [[ "$cmd" == resume ]] && sig=CONT
        kill -s "$sig" "$pid" $(pgrep -P "$pid") 2>/dev/null || true
        ;;
    standby)
        # A copy of the primary by pg_basebackup that replays its WAL as it streams in; the
        # start above keeps it a standby (standby.signal) pointing at the primary.
        primary=${3:?usage: $0 standby DIR PRIMARY_URL}
        if [[ ! -f "$data/PG_VERSION" ]]; then
            mkdir -p "$data"
            chmod 700 "$data"
            [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
            "${runas[@]}" "$pgbin/pg_basebackup" -d "$primary" -D "$data" -X stream -c fast \
                >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
            "${runas[@]}" touch "$data/standby.signal"
            conninfo=${primary#postgresql://}
            user=${conninfo%%@*}
            hostport=${conninfo#*@}
            hostport=${hostport%%/*}
            echo "host=${hostport%:*} port=${hostport##*:} user=$user application_name=standby" \
                >"$dir/primary_conninfo"
        fi
        exec bash "$0" start "$dir"
        ;;
    url)
        is_running || { echo "pg-embedded: no cluster running in $dir" >&2; exit 1; }
        url_of
        ;;
    *)
        echo "usage: $0 start|stop|url DIR" >&2
        exit 2
        ;;
esac
