#!/usr/bin/env bash
# graphile-worker no-op throughput benchmark, the peer of Ferry's dispatch benchmark.
#
#   scripts/bench/graphile/run.sh DATABASE_URL JOBS [CONCURRENCY]
#
# Installs the pinned graphile-worker (package.json / package-lock.json here) with `npm ci` into
# build/graphile-worker/ (skipped when the installed lock file is already the same), drops and
# reinstalls the graphile_worker schema in DATABASE_URL, adds JOBS no-op jobs with one
# graphile_worker.add_jobs statement, then times one worker process working until the queue is
# empty (runOnce). Prints one line of JSON on stdout:
#   {"peer":"graphile-worker","version":"…","jobs":N,"seconds":S,"jobs_per_second":R,"settings":{…}}
# Everything else goes to stderr. The database user must be able to create a schema.
#
# Settings (defaults are graphile-worker's documented throughput configuration, see
# https://worker.graphile.org/docs/performance: concurrentJobs 24, maxPoolSize 25,
# localQueue.size 500, completeJobBatchDelay 0, failJobBatchDelay 0), overridable for
# experiments through the environment:
#   CONCURRENCY (3rd argument)     concurrentJobs                       default 24
#   GW_MAX_POOL_SIZE               maxPoolSize                          default CONCURRENCY + 1
#   GW_LOCAL_QUEUE_SIZE            localQueue.size                      default 500
#   GW_COMPLETE_JOB_BATCH_DELAY    completeJobBatchDelay (ms, -1 = off) default 0
#   GW_FAIL_JOB_BATCH_DELAY        failJobBatchDelay (ms, -1 = off)     default 0
#   GW_POLL_INTERVAL               pollInterval (ms)                    default 2000
#   GW_REFETCH_DELAY_MS            localQueue.refetchDelay.durationMs   default none
#   GW_LOG_LEVEL                   error|warning|info|debug             default warning
#
# Concurrency, measured on the 2-core Debian 12 machine (PostgreSQL 15 on the same machine,
# 200000 jobs, local queue 500, batch delays 0; jobs/s, best of 3):
#   CONCURRENCY_RESULTS_PLACEHOLDER
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 DATABASE_URL JOBS [CONCURRENCY]" >&2
    exit 2
fi
url=$1
jobs=$2
concurrency=${3:-24}
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ && "$concurrency" =~ ^[1-9][0-9]*$ ]]; then
    echo "graphile-bench: JOBS and CONCURRENCY must be positive integers" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
dest="$root/build/graphile-worker"

command -v node >/dev/null && command -v npm >/dev/null || {
    echo "graphile-bench: node and npm are required" >&2
    exit 1
}
# graphile-worker 0.18 is pure ESM and declares engines node >= 22.18 (its .ts task loading uses
# Node's type stripping); this benchmark loads no .ts files and runs on Node 20 as well.
node_version=$(node -p 'process.versions.node')
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'; then
    echo "graphile-bench: note: Node $node_version is below graphile-worker 0.18's declared minimum (22.18)" >&2
fi

# Install: npm ci only when the lock file differs from the one last installed successfully
# (recorded as $dest/installed.lock, written after npm ci succeeded).
mkdir -p "$dest"
if ! cmp -s "$here/package-lock.json" "$dest/installed.lock" \
        || ! cmp -s "$here/package.json" "$dest/package.json" \
        || [[ ! -f "$dest/node_modules/graphile-worker/package.json" ]]; then
    echo "graphile-bench: installing graphile-worker into $dest (npm ci)" >&2
    rm -f "$dest/installed.lock"
    cp "$here/package.json" "$here/package-lock.json" "$dest/"
    (cd "$dest" && npm ci --no-audit --no-fund --engine-strict=false --loglevel=error >&2) || {
        echo "graphile-bench: npm ci failed" >&2
        exit 1
    }
    cp "$here/package-lock.json" "$dest/installed.lock"
fi
cp "$here/bench.mjs" "$dest/bench.mjs"

result=$(mktemp)
trap 'rm -f "$result"' EXIT
# NO_LOG_SUCCESS: graphile-worker otherwise logs one line per completed job (its perf tests set it).
(cd "$dest" && env NO_LOG_SUCCESS=1 \
    GW_DATABASE_URL="$url" GW_JOBS="$jobs" GW_CONCURRENCY="$concurrency" GW_RESULT_FILE="$result" \
    node bench.mjs >&2)
if [[ ! -s "$result" ]]; then
    echo "graphile-bench: no result" >&2
    exit 1
fi
cat "$result"
