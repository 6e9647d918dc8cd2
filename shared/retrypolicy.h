#pragma once

#include "shared/backoff.h"
#include "shared/result.h"

#include <QList>
#include <QString>

#include <optional>

class QRandomGenerator;

namespace ferry {

// "250ms", "15s", "5m", "2h", "1d" (a bare number is seconds) → milliseconds.
std::optional<qint64> parseDurationMs(const QString &text);

// When to try a delivery again. Either an explicit schedule, where entry n is the wait before
// attempt n (the first entry, usually 0s, is the first attempt: Standard Webhooks' 0s, 5s, 5m,
// 30m, 2h, 5h, 10h, 10h), or exponential backoff with full jitter.
struct RetryPolicy
{
    // The attempts of an exponential policy without max_attempts. Defined here only: the SQL
    // that ends deliveries outside the dispatcher (DeliveryStore::rescueExpired) receives it as
    // a parameter rather than spelling the number again.
    static constexpr int kExponentialAttemptLimit = 10;

    QList<qint64> scheduleMs; // empty: exponential
    BackoffPolicy backoff;
    int maxAttempts = 0; // 0: the schedule's length (exponential: kExponentialAttemptLimit)
    qint64 maxAgeMs = 0; // 0: no limit

    // "0s,5s,5m" or "exponential".
    static Result<RetryPolicy> parse(const QString &schedule, const BackoffPolicy &backoff);

    int attemptLimit() const;
    // The wait after attempt `attempt` (1-based) failed, before attempt + 1.
    qint64 delayAfter(int attempt, QRandomGenerator &rng) const;
};

} // namespace ferry
