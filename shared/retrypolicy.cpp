#include "shared/retrypolicy.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtNumeric>

using namespace Qt::StringLiterals;

namespace ferry {

std::optional<qint64> parseDurationMs(const QString &text)
{
    static const QRegularExpression re(u"^\\s*(\\d+)\\s*(ms|s|m|h|d)?\\s*$"_s);
    const auto match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 n = match.captured(1).toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const QString unit = match.captured(2);
    const qint64 unitMs = unit == "ms"_L1                    ? 1
                          : unit.isEmpty() || unit == "s"_L1 ? 1000
                          : unit == "m"_L1                   ? 60'000
                          : unit == "h"_L1                   ? 3'600'000
                                                             : 86'400'000;
    // A count of units beyond what milliseconds in a qint64 hold is no duration (it used to wrap
    // around, and could land inside a key's range).
    qint64 ms = 0;
    if (qMulOverflow(n, unitMs, &ms))
        return std::nullopt;
    return ms;
}

Result<RetryPolicy> RetryPolicy::parse(const QString &schedule, const BackoffPolicy &backoff)
{
    RetryPolicy p;
    p.backoff = backoff;
    const QString s = schedule.trimmed();
    if (s.isEmpty() || s == "exponential"_L1)
        return p;
    for (const QString &part : s.split(u',')) {
        const auto ms = parseDurationMs(part);
        if (!ms)
            return makeError(
                u"'%1' in the retry schedule '%2' is not a duration; write the "
                "waits before each attempt, such as 0s,5s,5m,30m,2h"_s.arg(part.trimmed(), s));
        p.scheduleMs.append(*ms);
    }
    return p;
}

int RetryPolicy::attemptLimit() const
{
    if (maxAttempts > 0)
        return maxAttempts;
    return scheduleMs.isEmpty() ? kExponentialAttemptLimit : int(scheduleMs.size());
}

qint64 RetryPolicy::delayAfter(int attempt, QRandomGenerator &rng) const
{
    if (scheduleMs.isEmpty())
        return backoff.delay(attempt, rng).count();
    // Past the end of the schedule (a larger max_attempts), keep its last wait.
    const qsizetype next = std::min<qsizetype>(attempt, scheduleMs.size() - 1);
    return scheduleMs[next];
}

} // namespace ferry
