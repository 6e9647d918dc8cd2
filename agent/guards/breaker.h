#pragma once

#include <QDateTime>
#include <QString>

namespace ferry::agent::guards {

// When a circuit breaker opens and closes (configuration keys breaker.*).
struct BreakerSettings
{
    int consecutiveFailures = 5; // opens after this many failures in a row …
    double failureRatio = 0.5;   // … or when this share of the window's requests failed …
    int minRequests = 20;        // … once the window holds at least this many requests
    qint64 windowMs = 30'000;
    qint64 cooldownMs = 15'000; // open this long before a probe may go
    int closeAfter = 2;         // successful probes in a row that close it again
};

// The outcomes of one route or provider account since the last report, in the order they came.
struct BreakerDelta
{
    int requests = 0;
    int failures = 0;
    int trailingFailures = 0; // failures after the last success of the batch
    bool anySuccess = false;
    QString lastError;

    void add(bool failed, const QString &error);
};

// One breaker's stored state. closed: traffic flows; open: nothing is sent until retryAt;
// half_open: one probe at a time, closed again after closeAfter successes, open on a failure.
struct BreakerState
{
    enum class State { Closed, Open, HalfOpen };
    State state = State::Closed;
    int consecutiveFailures = 0;
    QDateTime windowStartedAt;
    int windowRequests = 0;
    int windowFailures = 0;
    QDateTime retryAt;
    bool probeInFlight = false;
    int probeSuccesses = 0;
    qint64 openedCount = 0;
    QString lastError;

    static QString name(State s);
    static State parse(const QString &name);
};

// The breaker after `delta` at time `now` (pure: unit-tested, and the same on every agent).
BreakerState applyOutcomes(BreakerState s, const BreakerDelta &delta,
                           const BreakerSettings &settings, const QDateTime &now);

} // namespace ferry::agent::guards
