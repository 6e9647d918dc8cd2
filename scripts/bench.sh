#!/usr/bin/env bash
# The dispatch benchmark in one command (docs/performance.md, "Dispatch"):
#
#   scripts/bench.sh           full run: ~50 min (a 10-million-row fill, a 30-minute soak)
#   scripts/bench.sh --quick   short durations, no 10 million backlog, a 1-minute soak: for
#                              trying it out; its numbers are not results to quote
#
# Builds the `release` preset, starts a private PostgreSQL (scripts/pg-embedded.sh) in
# build/release/benchdb and stops it again on exit, runs graphile-worker's no-op benchmark
# (scripts/bench/graphile/run.sh, 200,000 jobs) and then bench_dispatch against that same server
# (its no-op scenario first, right after graphile-worker), and writes the results with the date,
# commit and machine into docs/performance.md between the markers
# <!-- bench:dispatch:begin --> and <!-- bench:dispatch:end --> (added, in a new section
# "Dispatch" at the end, when missing). Nothing is written there when the benchmark fails.
#
# Options: --quick; --no-docs (leave docs/performance.md alone; the report stays in
# build/release/bench-dispatch.md). The FERRY_BENCH_* variables of bench_dispatch (see the head of
# tests/bench/bench_dispatch.cpp) override the durations; FERRY_DISPATCH_* and
# FERRY_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT pass through to the agent.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

quick=0
docs=1
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --no-docs) docs=0 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option '$arg' (--quick, --no-docs)" >&2; exit 2 ;;
    esac
done

# Always a private server of our own, never one from the environment.
unset FERRY_DATABASE_URL
build="$root/build/release"
dbdir="$build/benchdb"
doc="$root/docs/performance.md"
begin='<!-- bench:dispatch:begin -->'
end='<!-- bench:dispatch:end -->'
jobs=200000

log() { printf '\n== %s\n' "$*"; }

build_release() {
    export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
    log "building the release preset"
    cmake --preset release >/dev/null
    cmake --build --preset release
}

stop_db() { bash "$root/scripts/pg-embedded.sh" stop "$dbdir" || true; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# graphile-worker's no-op jobs/s on a database of its own on the same server; sets
# graphile_rate (empty when not run) and graphile_note (what ran, or why not).
run_graphile() {
    local url=$1 script="$root/scripts/bench/graphile/run.sh" gurl out version
    graphile_rate=""
    if [[ ! -f "$script" ]]; then
        graphile_note="not run (scripts/bench/graphile/run.sh missing)"
        return 0
    fi
    gurl="${url%/*}/graphile_bench"
    "$(pg_bin)/psql" -q "$url" -c "DROP DATABASE IF EXISTS graphile_bench WITH (FORCE)" \
        -c "CREATE DATABASE graphile_bench" >/dev/null
    log "graphile-worker: $jobs no-op jobs"
    if ! out=$(bash "$script" "$gurl" "$jobs" 2>"$build/graphile.log"); then
        graphile_note="not run (run.sh failed: $(tail -n 1 "$build/graphile.log"))"
        echo "$graphile_note" >&2
        return 0
    fi
    echo "$out"
    graphile_rate=$(sed -n 's/.*"jobs_per_second": *\([0-9.]*\).*/\1/p' <<<"$out" | tail -n 1)
    version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' <<<"$out" | tail -n 1)
    graphile_note="graphile-worker ${version:-?}, $(sed -e :a -e 's/\B[0-9]\{3\}\>/,&/;ta' <<<"$jobs") no-op jobs, scripts/bench/graphile/run.sh"
    [[ -n "$graphile_rate" ]] || graphile_note="not run (run.sh printed no jobs_per_second)"
    "$(pg_bin)/psql" -q "$url" -c "DROP DATABASE IF EXISTS graphile_bench WITH (FORCE)" \
        >/dev/null || true
}

run_bench() {
    local settings=(FERRY_BENCH_SOAK_SECONDS="${FERRY_BENCH_SOAK_SECONDS:-1800}")
    if ((quick)); then
        settings=(
            FERRY_BENCH_E2E_SECONDS="${FERRY_BENCH_E2E_SECONDS:-10}"
            FERRY_BENCH_WARMUP="${FERRY_BENCH_WARMUP:-2}"
            FERRY_BENCH_LATENCY_SECONDS="${FERRY_BENCH_LATENCY_SECONDS:-5}"
            FERRY_BENCH_SERIAL="${FERRY_BENCH_SERIAL:-200}"
            FERRY_BENCH_SOAK_SECONDS="${FERRY_BENCH_SOAK_SECONDS:-60}"
            FERRY_BENCH_SKIP_10M=1
        )
    fi
    log "bench_dispatch$( ((quick)) && echo ' (quick)')"
    env "${settings[@]}" \
        FERRY_TEST_DB_DIR="$dbdir" \
        FERRY_BENCH_REPORT="$build/bench-dispatch.md" \
        FERRY_BENCH_GRAPHILE_RATE="$graphile_rate" \
        FERRY_BENCH_GRAPHILE_NOTE="$graphile_note" \
        "$build/tests/bench/bench_dispatch" 2>&1 | tee "$build/bench-dispatch.log"
}

machine() {
    local cpu mem
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "$(hostname), $(uname -sr), $(nproc) × ${cpu:-unknown CPU}, $mem"
}

commit() {
    local c
    c=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if ! git -C "$root" diff --quiet HEAD 2>/dev/null; then
        c="$c with uncommitted changes"
    fi
    echo "$c"
}

# The generated section: heading, how it was made, then bench_dispatch's report.
section() {
    local kind="full run" date
    ((quick)) && kind="quick run (--quick: short durations, no 10 million backlog, 1-minute soak; not a result to quote)"
    date=$(date -u '+%Y-%m-%d %H:%M UTC')
    cat <<EOF
$begin
<!-- Generated by scripts/bench.sh; edits between these markers are overwritten. -->

Source: \`tests/bench/bench_dispatch.cpp\`, run by \`scripts/bench.sh\` (\`--quick\` for a short
trial). Report: \`build/release/bench-dispatch.md\`.

**Method.** A release build; PostgreSQL is the private cluster of \`scripts/pg-embedded.sh\`
(\`fsync\` and \`synchronous_commit\` on, \`shared_buffers = 256MB\`) in \`build/release/benchdb\`,
and the agent, PostgreSQL and the benchmark share the machine. Every scenario has a fresh,
migrated database and its own \`ferry-agent run\` process with the test environment's settings
(dispatch poll and lease at their defaults). *No-op* and *backlog*: deliveries to one \`null\`-channel
endpoint (no sending; every delivery succeeds at once) are filled by SQL (\`INSERT … SELECT
generate_series\`, events with tiny payloads), then \`VACUUM ANALYZE\` and \`CHECKPOINT\`, then the
agent starts; finished deliveries are read every 100 ms (10 ms for the 10,000 backlog) as the
highest \`delivery_attempts.id\`, and the rate is taken from the first sample that saw any to the
one that saw all (or the first 200,000). *Fairness*: a hot \`null\` endpoint draining while a cold
one gets an event and a delivery by SQL every 20 ms, with the \`NOTIFY\` an ingest commit sends.
*End to end*: closed-loop \`ferry::Producer\`s (CURVE) publish 300-byte events to a tenant with one
webhook endpoint that points at an epoll HTTP/1.1 keep-alive receiver inside the benchmark, which
verifies every Standard Webhooks signature and records each \`webhook-id\`'s arrival; the backlog
(pending + retry_wait + in_flight) is sampled every second. *Latency*: on the end-to-end
scenario's database once its backlog has drained, after \`VACUUM ANALYZE\` and \`CHECKPOINT\`
(the steady state, not the burst's aftermath), events paced at half the end-to-end rate;
\`deliveries.created_at\` (the ingest transaction's start) to the receiver's arrival, both on the wall clock of this machine. *Serial*: one event at a time; publish to
\`delivery_attempts.started_at\` (the adapter's start, millisecond resolution) and to the arrival.
*Soak*: paced at half the end-to-end rate, the agent's VmRSS every 10 s. *graphile-worker*: its
no-op benchmark (\`scripts/bench/graphile/run.sh\`, 200,000 jobs) on the same server, just before
the no-op scenario. CPU columns: cores used during the measured window by the agent, PostgreSQL
(all its processes), the load generator (the benchmark: producers and receiver), interrupts and
everything else. Targets are reported, never enforced: the run fails only on real errors (the
agent does not start, a delivery is lost, dead or badly signed, the dispatcher stalls).

### Results — $date, $kind

Commit \`$(commit)\`; machine: $(machine).

EOF
    cat "$build/bench-dispatch.md"
    echo
    echo "$end"
}

write_docs() {
    local tmp
    if ! grep -qF "$begin" "$doc"; then
        printf '\n## Dispatch: deliveries per second (`bench_dispatch`)\n\n%s\n%s\n' \
            "$begin" "$end" >>"$doc"
    fi
    section >"$build/bench-dispatch-section.md"
    tmp=$(mktemp)
    awk -v file="$build/bench-dispatch-section.md" -v begin="$begin" -v end="$end" '
        $0 == begin { while ((getline line < file) > 0) print line; skipping = 1; next }
        $0 == end { skipping = 0; next }
        !skipping { print }' "$doc" >"$tmp"
    cat "$tmp" >"$doc"
    rm -f "$tmp"
    log "results written to docs/performance.md (section \"Dispatch\")"
}

build_release
trap stop_db EXIT
log "PostgreSQL in $dbdir"
url=$(bash "$root/scripts/pg-embedded.sh" start "$dbdir")
echo "$url"
if [[ ! "$url" =~ ^postgresql://[^/]*:[0-9]+/ ]]; then
    echo "bench.sh: scripts/pg-embedded.sh gave no usable URL ('$url')" >&2
    exit 1
fi
run_graphile "$url"
run_bench
((docs)) && write_docs
exit 0
