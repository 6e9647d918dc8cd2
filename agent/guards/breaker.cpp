#include "agent/guards/breaker.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::guards {

void BreakerDelta::add(bool failed, const QString &error)
{
    ++requests;
    if (failed) {
        ++failures;
        ++trailingFailures;
        lastError = error;
    } else {
        anySuccess = true;
        trailingFailures = 0;
    }
}

QString BreakerState::name(State s)
{
    switch (s) {
    case State::Closed:
        return u"closed"_s;
    case State::Open:
        return u"open"_s;
    case State::HalfOpen:
        return u"half_open"_s;
    }
    return u"closed"_s;
}

BreakerState::State BreakerState::parse(const QString &name)
{
    if (name == "open"_L1)
        return State::Open;
    if (name == "half_open"_L1)
        return State::HalfOpen;
    return State::Closed;
}

namespace {

BreakerState opened(BreakerState s, const BreakerSettings &settings, const QDateTime &now)
{
    s.state = BreakerState::State::Open;
    s.retryAt = now.addMSecs(settings.cooldownMs);
    s.probeInFlight = false;
    s.probeSuccesses = 0;
    ++s.openedCount;
    return s;
}

BreakerState closed(BreakerState s, const QDateTime &now)
{
    s.state = BreakerState::State::Closed;
    s.consecutiveFailures = 0;
    s.windowStartedAt = now;
    s.windowRequests = 0;
    s.windowFailures = 0;
    s.retryAt = {};
    s.probeInFlight = false;
    s.probeSuccesses = 0;
    return s;
}

bool tripped(const BreakerState &s, const BreakerSettings &settings)
{
    if (s.consecutiveFailures >= settings.consecutiveFailures)
        return true;
    return s.windowRequests >= settings.minRequests && s.windowRequests > 0 &&
           double(s.windowFailures) / s.windowRequests >= settings.failureRatio;
}

// Half-open: the outcomes are probes. A failure opens it again; enough successes close it.
BreakerState probed(BreakerState s, const BreakerDelta &d, const BreakerSettings &settings,
                    const QDateTime &now)
{
    s.probeInFlight = false;
    if (d.failures > 0)
        return opened(s, settings, now);
    s.probeSuccesses += d.requests;
    return s.probeSuccesses >= settings.closeAfter ? closed(s, now) : s;
}

} // namespace

BreakerState applyOutcomes(BreakerState s, const BreakerDelta &d, const BreakerSettings &settings,
                           const QDateTime &now)
{
    if (!d.lastError.isEmpty())
        s.lastError = d.lastError;
    switch (s.state) {
    case BreakerState::State::Open:
        return s; // late outcomes of requests sent before it opened change nothing
    case BreakerState::State::HalfOpen:
        return probed(s, d, settings, now);
    case BreakerState::State::Closed:
        break;
    }
    if (!s.windowStartedAt.isValid() || s.windowStartedAt.msecsTo(now) > settings.windowMs) {
        s.windowStartedAt = now;
        s.windowRequests = 0;
        s.windowFailures = 0;
    }
    s.windowRequests += d.requests;
    s.windowFailures += d.failures;
    s.consecutiveFailures =
        d.anySuccess ? d.trailingFailures : s.consecutiveFailures + d.trailingFailures;
    return tripped(s, settings) ? opened(s, settings, now) : s;
}

} // namespace ferry::agent::guards
