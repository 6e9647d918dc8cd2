// graphile-worker no-op throughput benchmark; run through run.sh, which copies this file next to
// the installed node_modules (build/graphile-worker/) and passes the settings in the environment.
//
//   node bench.mjs            (settings from the environment, see run.sh)
//
// Steps: drop and reinstall the graphile_worker schema; add GW_JOBS no-op jobs with one SQL
// statement (graphile_worker.add_jobs); ANALYZE, CHECKPOINT if allowed; then, timed, run the
// worker in "once" mode
// (runOnce: the documented way to work until no runnable job is left, as `graphile-worker --once`
// does; its promise resolves after the last completion batch is committed and the pool released).
// Afterwards the queue is checked to be empty. The result, one line of JSON, goes to the file
// named by GW_RESULT_FILE; everything else goes to stderr.
//
// GW_PROCESSES > 1 runs that many worker processes at once (as graphile-worker's own perfTest
// does); each is started and has loaded graphile-worker before the timer starts, and the time
// ends when the last one is done.
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import pg from "pg";
import { Logger, runOnce } from "graphile-worker";

// (0.18 exports only its entry point, so its package.json is read from the file.)
const version = JSON.parse(
  readFileSync(new URL("./node_modules/graphile-worker/package.json", import.meta.url), "utf8"),
).version;

const env = process.env;
const int = (name, dflt) => {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got '${v}'`);
  return n;
};

const connectionString = env.GW_DATABASE_URL;
const jobs = int("GW_JOBS", 0);
const concurrency = int("GW_CONCURRENCY", 24);
const localQueueSize = int("GW_LOCAL_QUEUE_SIZE", 500);
const completeJobBatchDelay = int("GW_COMPLETE_JOB_BATCH_DELAY", 0);
const failJobBatchDelay = int("GW_FAIL_JOB_BATCH_DELAY", 0);
const maxPoolSize = int("GW_MAX_POOL_SIZE", concurrency + 1);
const pollInterval = int("GW_POLL_INTERVAL", 2000);
const refetchDelayMs = int("GW_REFETCH_DELAY_MS", 0); // 0: no refetchDelay block
const processes = int("GW_PROCESSES", 1);
const logLevel = env.GW_LOG_LEVEL || "warning";
const resultFile = env.GW_RESULT_FILE;
const isChild = process.argv[2] === "--child";
if (!connectionString || (!isChild && (!(jobs > 0) || !(processes > 0) || !resultFile))) {
  throw new Error("GW_DATABASE_URL, GW_JOBS (> 0) and GW_RESULT_FILE are required");
}

const say = (msg) => process.stderr.write(`graphile-bench: ${msg}\n`);

// All of graphile-worker's logging to stderr, filtered by level.
const levels = { error: 0, warning: 1, info: 2, debug: 3 };
const logger = new Logger((scope) => (level, message) => {
  if ((levels[level] ?? 0) <= (levels[logLevel] ?? 1)) {
    process.stderr.write(`graphile-worker ${level} [${scope.label || "-"}]: ${message}\n`);
  }
});

const localQueue = { size: localQueueSize };
if (refetchDelayMs > 0) localQueue.refetchDelay = { durationMs: refetchDelayMs };
const preset = {
  worker: {
    connectionString,
    schema: "graphile_worker",
    concurrentJobs: concurrency,
    maxPoolSize,
    pollInterval,
    localQueue,
    completeJobBatchDelay,
    failJobBatchDelay,
  },
};
// The task list is given in code (runOnce's second argument): no task directory to scan.
const taskList = {
  noop: async () => {},
};

// A child worker process (GW_PROCESSES > 1): wait for "go", work until no runnable job is left,
// report its CPU time.
if (isChild) {
  process.on("message", async (msg) => {
    if (msg !== "go") return;
    const own0 = process.cpuUsage();
    await runOnce({ preset, logger, noHandleSignals: true }, taskList);
    const own = process.cpuUsage(own0);
    process.send({ cpuSeconds: (own.user + own.system) / 1e6 }, () => process.exit(0));
  });
  process.send("ready");
} else {
  await main();
}

async function main() {
  const setup = new pg.Client({ connectionString });
  await setup.connect();
  const q = async (sql, params) => (await setup.query(sql, params)).rows;

  const server = (await q(
    `select current_setting('server_version') v, current_setting('synchronous_commit') sc,
            current_setting('fsync') f`,
  ))[0];
  say(`PostgreSQL ${server.v}, synchronous_commit=${server.sc}, fsync=${server.f}`);

  // A fresh schema, so runs are independent of each other.
  await q("drop schema if exists graphile_worker cascade");
  // Installs the schema (migrations); then an empty start/stop of the worker is timed, as the part
  // of the measured time that does not depend on the number of jobs.
  await runOnce({ preset, logger, noHandleSignals: true }, taskList);
  let t = process.hrtime.bigint();
  await runOnce({ preset, logger, noHandleSignals: true }, taskList);
  const startupSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  say(`schema installed; an empty runOnce takes ${startupSeconds.toFixed(3)}s`);

  // Pre-fill: one statement, the documented bulk path (graphile_worker.add_jobs with a job_spec[]).
  t = process.hrtime.bigint();
  const added = (await q(
    `select count(*)::int as n from graphile_worker.add_jobs(array(
       select row('noop', json_build_object('id', i), null, null, null, null, null, null)
                ::graphile_worker.job_spec
       from generate_series(1, $1::int) as i))`,
    [jobs],
  ))[0].n;
  if (added !== jobs) throw new Error(`add_jobs inserted ${added} jobs, expected ${jobs}`);
  say(`added ${added} jobs in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(3)}s`);
  await q("analyze graphile_worker._private_jobs");
  // Flush the inserts' dirty pages now rather than during the timed run (needs superuser or
  // pg_checkpoint; skipped silently otherwise).
  let checkpoint = true;
  try { await q("checkpoint"); } catch { checkpoint = false; }
  say("running the worker");

  // CPU time of the whole machine (Linux /proc/stat: busy and total jiffies), to tell a run that
  // shared the CPUs with something else, and to see whether the worker or the server is the limit.
  const machineCpu = () => {
    try {
      const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
      const f = line.trim().split(/\s+/).slice(1).map(Number);
      const total = f.reduce((a, b) => a + b, 0);
      return { busy: total - f[3] - (f[4] || 0), total };
    } catch {
      return null;
    }
  };
  // When the server runs on this machine: CPU seconds of its backends, from the postmaster's
  // reaped-children times (the worker's connections end, and are reaped, when runOnce returns).
  const backendPid = (await q("select pg_backend_pid() as p"))[0].p;
  const serverChildCpu = () => {
    try {
      const stat = (pid) =>
        readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
      const postmaster = stat(backendPid)[1]; // ppid
      const f = stat(postmaster);
      return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks (100/s)
    } catch {
      return null;
    }
  };
  // Child processes, started and loaded before the timer starts.
  const children = [];
  if (processes > 1) {
    for (let i = 0; i < processes; i++) {
      const child = fork(new URL(import.meta.url).pathname, ["--child"], {
        stdio: ["ignore", 2, 2, "ipc"],
      });
      const ready = new Promise((resolve, reject) => {
        child.once("message", resolve);
        child.once("exit", (code) => reject(new Error(`worker process exited (${code}) early`)));
      });
      children.push({ child, ready });
    }
    await Promise.all(children.map((c) => c.ready));
  }
  const server0 = serverChildCpu();
  const loadBefore = loadavg()[0];
  const cpu0 = machineCpu();
  const own0 = process.cpuUsage();
  // Timed: from starting the worker until it has found no runnable job and has committed and
  // released everything.
  t = process.hrtime.bigint();
  let workerCpuSeconds;
  if (processes > 1) {
    const done = children.map(({ child }) => new Promise((resolve, reject) => {
      child.once("message", (m) => resolve(m.cpuSeconds));
      child.once("exit", (code) => code === 0 || reject(new Error(`worker exited (${code})`)));
    }));
    children.forEach(({ child }) => child.send("go"));
    workerCpuSeconds = (await Promise.all(done)).reduce((a, b) => a + b, 0);
  } else {
    await runOnce({ preset, logger, noHandleSignals: true }, taskList);
  }
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const own = process.cpuUsage(own0);
  if (processes === 1) workerCpuSeconds = (own.user + own.system) / 1e6;
  const cpu1 = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the postmaster reap them
  const server1 = serverChildCpu();
  const machineBusy = cpu0 && cpu1 ? (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total) : null;

  const left = (await q(
    `select count(*)::int as n, count(*) filter (where locked_at is not null)::int as locked,
            count(*) filter (where attempts > 0)::int as attempted
     from graphile_worker._private_jobs`,
  ))[0];
  await setup.end();
  if (left.n !== 0) {
    throw new Error(`queue not empty after the run: ${left.n} jobs left ` +
      `(${left.locked} locked, ${left.attempted} attempted)`);
  }

  const round = (x, d) => Number(x.toFixed(d));
  const result = {
    peer: "graphile-worker",
    version,
    jobs,
    seconds: round(seconds, 3),
    jobs_per_second: round(jobs / seconds, 1),
    settings: {
      concurrentJobs: concurrency,
      maxPoolSize,
      localQueue,
      completeJobBatchDelay,
      failJobBatchDelay,
      pollInterval,
      mode: "runOnce",
      processes,
      NO_LOG_SUCCESS: !!env.NO_LOG_SUCCESS,
      prefill: "graphile_worker.add_jobs, one statement",
      analyze_before_run: true,
      checkpoint_before_run: checkpoint,
    },
    // Conditions of the run: a high load average means something else shared the CPUs.
    env: {
      node: process.version,
      server_version: server.v,
      synchronous_commit: server.sc,
      fsync: server.f,
      cpus: availableParallelism(),
      loadavg_1m_before: round(loadBefore, 2),
      // Share of all CPUs busy during the timed run (everything on the machine), the CPU seconds
      // of the worker process(es) and of the server's backends.
      machine_cpu_busy: machineBusy === null ? null : round(machineBusy, 3),
      worker_cpu_seconds: round(workerCpuSeconds, 3),
      server_backends_cpu_seconds:
        server0 === null || server1 === null ? null : round(server1 - server0, 2),
      empty_run_seconds: round(startupSeconds, 3),
    },
  };
  say(`${jobs} jobs in ${result.seconds}s = ${result.jobs_per_second} jobs/s`);
  writeFileSync(resultFile, JSON.stringify(result) + "\n");
}
