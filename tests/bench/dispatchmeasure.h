#pragma once

// Measuring the dispatcher: drains, waits that fail when it stalls, latencies, the cold window
// of the fairness scenario.

#include "tests/bench/agent.h"
#include "tests/bench/benchsupport.h"
#include "tests/bench/db.h"

#include "shared/result.h"

#include <QByteArray>
#include <QHash>

#include <chrono>
#include <vector>

namespace ferry::bench {

struct Drain
{
    qint64 done = 0;    // completions counted in the window
    double seconds = 0; // length of the window
    double rate = 0;
    CpuSplit cpu;
};

// Waits until the open deliveries are gone; fails when the dispatcher makes no progress for 60 s
// or the agent exits.
Result<void> waitDrained(Db &db, const Agent &agent);

// Polls the finished deliveries every `interval` until `target` are done. The window runs from
// the first sample that saw any (the agent's start-up and first claim are left out) to the first
// that saw `target`; when one sample saw both, from the agent's start.
Result<Drain> measureDrain(Db &db, const Agent &agent, qint64 postmaster, qint64 target,
                           std::chrono::milliseconds interval);

// Latencies in ms of the deliveries in `rows` (id, a time in µs) against `arrivals` (µs).
// Rows with no arrival are counted in `missing`.
std::vector<double> latenciesMs(const agent::store::PgResult &rows,
                                const QHash<QByteArray, qint64> &arrivals, qint64 fromMicros,
                                qint64 *missing);

// Waits until `count` deliveries of `endpoint` succeeded.
Result<void> waitSucceeded(Db &db, const Agent &agent, qint64 endpoint, qint64 count);

struct ColdWindow
{
    CpuSnapshot a, b;
    qint64 doneBefore = 0, doneAfter = 0; // finished deliveries, hot and cold
};

// Inserts `cold` deliveries for `endpoint`, one every 20 ms, and notes the drain around them.
Result<ColdWindow> coldWindow(Db &db, const Agent &agent, qint64 postmaster, qint64 tenant,
                              qint64 endpoint, int cold);

} // namespace ferry::bench
