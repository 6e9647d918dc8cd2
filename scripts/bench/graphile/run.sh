#!/usr/bin/env bash
# graphile-worker no-op throughput benchmark, the peer of Ferry's dispatch benchmark.
#
#   scripts/bench/graphile/run.sh DATABASE_URL JOBS [CONCURRENCY]
#
# Installs the pinned graphile-worker (package.json / package-lock.json here) with `npm ci` into
# build/graphile-worker/ (skipped when that lock file is already installed), drops and reinstalls
# the graphile_worker schema in DATABASE_URL (so runs are independent; the user must be allowed
# to create a schema), adds JOBS no-op jobs with one graphile_worker.add_jobs statement, ANALYZEs
# and CHECKPOINTs (the latter only if allowed), and then times one worker process from its start
# until it has found no runnable job left and has committed its last completions (runOnce, i.e.
# `graphile-worker --once`); the queue is then checked to be empty. Prints one line of JSON:
#   {"peer":"graphile-worker","version":"…","jobs":N,"seconds":S,"jobs_per_second":R,
#    "settings":{…},"env":{…}}
# "env" holds the conditions of the run: Node and server versions, synchronous_commit, the load
# average before, the share of the machine's CPUs busy during the timed part (machine_cpu_busy)
# and the CPU seconds of the worker and (local server only) of the server backends. Everything
# else goes to stderr. Use 200000 jobs or more: below ~50000 the fixed costs weigh.
#
# Settings: graphile-worker's documented throughput configuration
# (https://worker.graphile.org/docs/performance: concurrentJobs 24, maxPoolSize 25,
# localQueue.size 500, completeJobBatchDelay 0, failJobBatchDelay 0), with NO_LOG_SUCCESS=1 as
# its own perf test sets (otherwise it logs a line per job). pollInterval keeps its default 2000:
# in runOnce mode it is not used (the local queue refetches at once while jobs remain and the
# worker exits when none are left). Overridable for experiments through the environment:
#   CONCURRENCY (3rd argument)     concurrentJobs                       default 24
#   GW_MAX_POOL_SIZE               maxPoolSize                          default CONCURRENCY + 1
#   GW_LOCAL_QUEUE_SIZE            localQueue.size (-1 = off)           default 500
#   GW_COMPLETE_JOB_BATCH_DELAY    completeJobBatchDelay (ms, -1 = off) default 0
#   GW_FAIL_JOB_BATCH_DELAY        failJobBatchDelay (ms, -1 = off)     default 0
#   GW_POLL_INTERVAL               pollInterval (ms)                    default 2000
#   GW_REFETCH_DELAY_MS            localQueue.refetchDelay.durationMs   default none
#   GW_PROCESSES                   worker processes (each CONCURRENCY)  default 1
#   GW_LOG_LEVEL                   error|warning|info|debug             default warning
# (With GW_COMPLETE_JOB_BATCH_DELAY=-1, runOnce can return before its last completions are
# written; the run then fails with "queue not empty", those jobs staying locked.)
#
# Measured on the 2-core Debian 12 machine, Node 20.20, PostgreSQL 15 on the same machine
# (fsync and synchronous_commit on), 200000 jobs, only when nothing else used the CPUs; jobs/s:
#   concurrentJobs (local queue 500, batch delays 0), 3 runs each:
#     4: 38.9k 39.9k 39.4k   8: 38.1k 38.5k 39.3k   16: 37.8k 37.1k 39.7k   24: 38.9k 38.4k 39.2k
#     32: 34.3k 39.7k 39.7k  48: 34.2k 36.7k 38.6k  64: 36.4k 38.2k 39.4k
#   -> no difference beyond the noise: a no-op task returns at once, so the limit is the local
#   queue's cycle (fetch and lock 500 jobs, drain them, fetch again) and the completion batches,
#   not the number of jobs in flight; the documented 24 is kept. Worker and server each use
#   about 0.65 of a CPU.
#   At concurrency 24: localQueue.size 100: 26k; 1000: 41k; 2000: 42-44k.
#   completeJobBatchDelay 5 ms: 36k, 20 ms: 39k; both batch delays -1 (unbatched): ~7k.
#   localQueue off (-1): ~4k (synchronous_commit off). refetchDelay 10 ms: 37k. maxPoolSize 10: 40k.
#   synchronous_commit off: 38k (the same: with batching, commit flushes are not the limit).
#   GW_PROCESSES=2 (x24 or x12), =3 (x8): 35-47k, both CPUs saturated, no reliable gain.
#   While other work shared the CPUs (compiles, another benchmark), the same default run gave
#   11-22k: compare only runs where machine_cpu_busy is not much above the worker's and the
#   server's own CPU seconds (about 0.7 here when alone).
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
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
               process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)'; then
    echo "graphile-bench: note: Node $node_version is below graphile-worker 0.18's" \
         "declared minimum (22.18)" >&2
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
