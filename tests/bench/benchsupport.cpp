#include "tests/bench/benchsupport.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <QStringList>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace ferry::bench {

qint64 envInt(const char *name, qint64 fallback)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    return ok && v > 0 ? v : fallback;
}

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

qint64 wallMicros()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

QString fmtInt(double v)
{
    QString digits = QString::number(qint64(std::llround(v)));
    const qsizetype first = digits.startsWith(u'-') ? 1 : 0;
    for (qsizetype i = digits.size() - 3; i > first; i -= 3)
        digits.insert(i, u',');
    return digits;
}

QString fmtMs(double ms)
{
    return QString::number(ms, 'f', ms < 10 ? 2 : ms < 100 ? 1 : 0) + u" ms"_s;
}

QString okOrBelow(bool met)
{
    return met ? u"OK"_s : u"BELOW"_s;
}

QString verdict(double value, double target)
{
    return target <= 0 ? u"—"_s : okOrBelow(value >= target);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = size_t(std::ceil(p / 100.0 * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double slope(const std::vector<std::pair<double, double>> &points)
{
    if (points.size() < 2)
        return 0;
    double mx = 0, my = 0;
    for (const auto &[x, y] : points) {
        mx += x;
        my += y;
    }
    mx /= double(points.size());
    my /= double(points.size());
    double num = 0, den = 0;
    for (const auto &[x, y] : points) {
        num += (x - mx) * (y - my);
        den += (x - mx) * (x - mx);
    }
    return den > 0 ? num / den : 0;
}

Result<QString> writeReport(const QString &markdown, const QString &defaultPath)
{
    std::printf("\n%s\n", qPrintable(markdown));
    std::fflush(stdout);
    const QString path = qEnvironmentVariableIsEmpty("FERRY_BENCH_REPORT")
                             ? defaultPath
                             : qEnvironmentVariable("FERRY_BENCH_REPORT");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(path);
    file.write(markdown.toUtf8());
    std::printf("written to %s\n", qPrintable(path));
    return path;
}

double ticksToSeconds(qint64 ticks)
{
    static const long hz = sysconf(_SC_CLK_TCK);
    return double(ticks) / double(hz > 0 ? hz : 100);
}

ProcStat procStat(qint64 pid)
{
    ProcStat s;
    QFile f(u"/proc/%1/stat"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return s;
    const QByteArray line = f.readAll();
    const qsizetype open = line.indexOf('(');
    const qsizetype close = line.lastIndexOf(')');
    if (open < 0 || close < open)
        return s;
    s.comm = line.mid(open + 1, close - open - 1);
    // Fields after the command: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
    const QList<QByteArray> f3 = line.mid(close + 2).split(' ');
    if (f3.size() < 15)
        return s;
    s.ppid = f3[1].toLongLong();
    s.own = f3[11].toLongLong() + f3[12].toLongLong();
    s.children = f3[13].toLongLong() + f3[14].toLongLong();
    s.ok = true;
    return s;
}

qint64 postmasterOf(qint64 backendPid)
{
    const ProcStat backend = procStat(backendPid);
    return backend.ok && backend.comm == "postgres" ? backend.ppid : 0;
}

qint64 postgresTicks(qint64 postmaster)
{
    if (postmaster <= 0)
        return 0;
    const ProcStat pm = procStat(postmaster);
    qint64 total = pm.own + pm.children;
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &p : pids) {
        bool isPid = false;
        const qint64 pid = p.toLongLong(&isPid);
        if (!isPid)
            continue;
        const ProcStat s = procStat(pid);
        if (s.ok && s.ppid == postmaster)
            total += s.own;
    }
    return total;
}

MachineTicks machineBusyTicks()
{
    QFile f(u"/proc/stat"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> v = f.readLine().simplified().split(' ');
    if (v.size() < 9 || v[0] != "cpu")
        return {};
    // user nice system idle iowait irq softirq steal
    return {v[1].toLongLong() + v[2].toLongLong() + v[3].toLongLong() + v[8].toLongLong(),
            v[6].toLongLong() + v[7].toLongLong()};
}

namespace {

double cpuSeconds(int who)
{
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

double selfCpuSeconds()
{
    return cpuSeconds(RUSAGE_SELF);
}

double childrenCpuSeconds()
{
    return cpuSeconds(RUSAGE_CHILDREN);
}

CpuSnapshot cpuSnapshot(qint64 agentPid, qint64 postmaster)
{
    CpuSnapshot s;
    s.at = Clock::now();
    s.agent = agentPid > 0 ? ticksToSeconds(procStat(agentPid).own) : 0;
    s.postgres = ticksToSeconds(postgresTicks(postmaster));
    s.self = selfCpuSeconds();
    s.children = childrenCpuSeconds();
    const MachineTicks m = machineBusyTicks();
    s.machine = ticksToSeconds(m.processes);
    s.interrupts = ticksToSeconds(m.interrupts);
    return s;
}

CpuSplit cpuSplit(const CpuSnapshot &a, const CpuSnapshot &b, bool externalLoadGenerator)
{
    const double wall = std::chrono::duration<double>(b.at - a.at).count();
    if (wall <= 0)
        return {};
    CpuSplit s;
    s.agent = (b.agent - a.agent) / wall;
    s.postgres = (b.postgres - a.postgres) / wall;
    // pgbench is a child process: its CPU shows up in RUSAGE_CHILDREN once it has exited.
    s.loadGenerator =
        ((b.self - a.self) + (externalLoadGenerator ? b.children - a.children : 0.0)) / wall;
    s.interrupts = (b.interrupts - a.interrupts) / wall;
    // Everything else that ran: other processes on the machine, kernel threads.
    s.other =
        std::max(0.0, (b.machine - a.machine) / wall - s.agent - s.postgres - s.loadGenerator);
    return s;
}

QString fmtCpu(const CpuSplit &c)
{
    return u"%1 / %2 / %3 / %4 / %5"_s.arg(
        QString::number(c.agent, 'f', 2), QString::number(c.postgres, 'f', 2),
        QString::number(c.loadGenerator, 'f', 2), QString::number(c.interrupts, 'f', 2),
        QString::number(c.other, 'f', 2));
}

qint64 statusKb(qint64 pid, QByteArrayView field)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

QByteArray eventId(QByteArrayView tag, quint64 n)
{
    static const QByteArray pid = QByteArray::number(getpid());
    QByteArray id;
    id.reserve(tag.size() + pid.size() + 12);
    id += tag;
    id += '-';
    id += pid;
    id += '-';
    id += QByteArray::number(n).rightJustified(10, '0');
    return id;
}

QByteArray makeEvent(QByteArrayView tag, QByteArrayView source, quint64 n)
{
    QByteArray e;
    e.reserve(320);
    e += "{\"specversion\":\"1.0\",\"id\":\"";
    e += eventId(tag, n);
    e += "\",\"source\":\"";
    e += source;
    e += "\",\"type\":\"order.created\","
         "\"time\":\"2026-11-27T09:30:00Z\",\"datacontenttype\":\"application/json\","
         "\"data\":{\"order\":";
    e += QByteArray::number(n);
    e += ",\"customer\":\"c-";
    e += QByteArray::number(n % 1000);
    e += "\",\"currency\":\"EUR\",\"total\":\"129.90\",\"items\":[{\"sku\":\"SKU-1042\",\"qty\":2},"
         "{\"sku\":\"SKU-2210\",\"qty\":1}],\"note\":\"";
    const qsizetype tail = 3; // the closing "}}
    e += QByteArray(std::max<qsizetype>(1, 300 - e.size() - tail), 'x');
    e += "\"}}";
    return e;
}

} // namespace ferry::bench
