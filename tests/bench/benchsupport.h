#pragma once

// Helpers shared by the benchmarks (bench_ingest, bench_dispatch): environment, formatting,
// statistics, CPU accounting from /proc and the 300-byte CloudEvent they publish.

#include "shared/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <chrono>
#include <utility>
#include <vector>

namespace ferry::bench {

using Clock = std::chrono::steady_clock;

// The positive integer in environment variable `name`, else `fallback`.
qint64 envInt(const char *name, qint64 fallback);

double secondsSince(Clock::time_point t);

// Wall clock in µs: the clock PostgreSQL's now() and the agent's QDateTime use.
qint64 wallMicros();

// 12,345 style, as in the docs.
QString fmtInt(double v);
QString fmtMs(double ms);
QString okOrBelow(bool met);
// OK / BELOW against `target`, "—" without one (target <= 0).
QString verdict(double value, double target);

// Nearest-rank percentile of unsorted values.
double percentile(std::vector<double> values, double p);
// Least-squares slope of y over x.
double slope(const std::vector<std::pair<double, double>> &points);

// Prints the Markdown report and writes it to $FERRY_BENCH_REPORT, else to `defaultPath`.
// Returns the path written; the error's message is that path.
Result<QString> writeReport(const QString &markdown, const QString &defaultPath);

// --- CPU and memory, from /proc -------------------------------------------------------------

double ticksToSeconds(qint64 ticks);

struct ProcStat
{
    bool ok = false;
    qint64 ppid = 0;
    qint64 own = 0;      // utime + stime
    qint64 children = 0; // cutime + cstime: children that exited and were waited for
    QByteArray comm;
};

ProcStat procStat(qint64 pid);

// The postmaster of PostgreSQL backend `backendPid` when that runs on this machine, else 0.
qint64 postmasterOf(qint64 backendPid);

// All CPU of a PostgreSQL server: the postmaster, its live children (backends, WAL writer,
// checkpointer…) and the children that already exited.
qint64 postgresTicks(qint64 postmaster);

// Busy ticks of the whole machine (all cores), from /proc/stat: time in processes, and time
// in interrupts and softirqs (loopback TCP is processed there), which no process is charged for.
struct MachineTicks
{
    qint64 processes = 0;
    qint64 interrupts = 0;
};

MachineTicks machineBusyTicks();
double selfCpuSeconds();
double childrenCpuSeconds();

struct CpuSnapshot
{
    Clock::time_point at;
    double agent = 0, postgres = 0, self = 0, children = 0, machine = 0, interrupts = 0;
};

CpuSnapshot cpuSnapshot(qint64 agentPid, qint64 postmaster);

// Cores used between two snapshots, by process group. The load generator is this process
// (producers, receiver) and, with `externalLoadGenerator`, its children that exited (pgbench).
struct CpuSplit
{
    double agent = 0, postgres = 0, loadGenerator = 0, interrupts = 0, other = 0;
};

CpuSplit cpuSplit(const CpuSnapshot &a, const CpuSnapshot &b, bool externalLoadGenerator = false);

// "agent / postgres / load gen. / irq / other" in cores.
QString fmtCpu(const CpuSplit &c);

// A field of /proc/PID/status in kB (VmRSS, VmHWM), 0 when unreadable.
qint64 statusKb(qint64 pid, QByteArrayView field);

// --- Events ---------------------------------------------------------------------------------

// The CloudEvent id of event `n` of a phase: `tag` first, so the events of one phase can be found
// again (events.ce_id LIKE 'tag-%'), the process id, the number last.
QByteArray eventId(QByteArrayView tag, quint64 n);

// A 300-byte CloudEvent with id eventId(tag, n) and `source`.
QByteArray makeEvent(QByteArrayView tag, QByteArrayView source, quint64 n);

} // namespace ferry::bench
