#include "tests/bench/dispatchmeasure.h"

#include "tests/bench/dispatchfill.h"
#include "tests/bench/progresswatch.h"
#include "tests/bench/ticker.h"

#include <thread>

using namespace Qt::StringLiterals;
using ferry::agent::store::PgResult;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace ferry::bench {

Result<void> waitDrained(Db &db, const Agent &agent)
{
    ProgressWatch watch(seconds(60));
    Ticker ticker;
    for (;;) {
        auto open = openDeliveries(db);
        if (!open)
            return open.error();
        if (*open == 0)
            return {};
        ticker.report("deliveries still open", *open);
        if (!agent.isRunning())
            return makeError(
                u"the agent exited with %1 deliveries open:\n%2"_s.arg(*open).arg(agent.log()));
        if (watch.stalled(*open))
            return makeError(u"no progress for 60 s with %1 deliveries open"_s.arg(*open));
        std::this_thread::sleep_for(milliseconds(200));
    }
}

Result<Drain> measureDrain(Db &db, const Agent &agent, qint64 postmaster, qint64 target,
                           milliseconds interval)
{
    CpuSnapshot start = cpuSnapshot(agent.pid(), postmaster);
    qint64 startDone = 0;
    ProgressWatch watch(seconds(60));
    Ticker ticker;
    for (;;) {
        std::this_thread::sleep_for(interval);
        auto done = attemptsSoFar(db);
        if (!done)
            return done.error();
        // /proc is walked only at the two ends of the window.
        const bool ends = (startDone == 0 && *done > 0) || *done >= target;
        const CpuSnapshot now = ends ? cpuSnapshot(agent.pid(), postmaster) : CpuSnapshot{};
        if (*done >= target) {
            const double s = std::chrono::duration<double>(now.at - start.at).count();
            return Drain{*done - startDone, s, double(*done - startDone) / s, cpuSplit(start, now)};
        }
        ticker.report("deliveries finished", *done);
        if (startDone == 0 && *done > 0) {
            start = now;
            startDone = *done;
        }
        if (!agent.isRunning() || watch.stalled(*done))
            return makeError(
                u"the dispatcher stopped at %1 of %2 deliveries:\n%3"_s.arg(*done).arg(target).arg(
                    agent.log()));
    }
}

std::vector<double> latenciesMs(const PgResult &rows, const QHash<QByteArray, qint64> &arrivals,
                                qint64 fromMicros, qint64 *missing)
{
    std::vector<double> out;
    out.reserve(size_t(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) {
        const qint64 t = rows.int64(i, 1);
        const auto it = arrivals.constFind(rows.bytes(i, 0));
        if (it == arrivals.cend())
            ++*missing;
        else if (t >= fromMicros)
            out.push_back(double(*it - t) / 1000.0);
    }
    return out;
}

Result<void> waitSucceeded(Db &db, const Agent &agent, qint64 endpoint, qint64 count)
{
    ProgressWatch watch(seconds(60));
    for (;;) {
        auto done = db.int64("SELECT count(*) FROM deliveries WHERE endpoint_id = $1 "
                             "AND state = 'succeeded'",
                             {num(endpoint)});
        if (!done)
            return done.error();
        if (*done >= count)
            return {};
        if (!agent.isRunning() || watch.stalled(*done))
            return makeError(
                u"only %1 of %2 cold deliveries finished:\n%3"_s.arg(*done).arg(count).arg(
                    agent.log()));
        std::this_thread::sleep_for(milliseconds(50));
    }
}

Result<ColdWindow> coldWindow(Db &db, const Agent &agent, qint64 postmaster, qint64 tenant,
                              qint64 endpoint, int cold)
{
    ColdWindow w;
    w.a = cpuSnapshot(agent.pid(), postmaster);
    auto before = attemptsSoFar(db);
    if (!before)
        return before.error();
    for (int i = 0; i < cold; ++i) {
        std::this_thread::sleep_until(w.a.at + milliseconds(20) * i);
        if (auto r = insertCold(db, tenant, endpoint, i); !r)
            return r.error();
    }
    w.b = cpuSnapshot(agent.pid(), postmaster);
    auto after = attemptsSoFar(db);
    if (!after)
        return after.error();
    w.doneBefore = *before;
    w.doneAfter = *after;
    return w;
}

} // namespace ferry::bench
