#pragma once

#include "console/models/highlight.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QIcon>
#include <QList>
#include <optional>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// A circuit breaker and limiter as the live snapshot's `guards` array reports it: a route
// (scope "endpoint", id the endpoint) or a provider account (scope "account"; channel is the
// provider, name the account's name).
struct GuardHealth
{
    Q_DECLARE_TR_FUNCTIONS(GuardHealth)

public:
    QString scope;
    qint64 id = 0;
    QString name;
    QString tenant;
    QString channel;
    QString breaker; // closed | open | half_open
    QDateTime retryAt;
    qint64 openedCount = 0;
    QString lastError;
    std::optional<double> ratePerSecond; // none: no rate limit
    std::optional<double> rateLimitUse;  // share of the limit used over the last interval
    qint64 inFlight = 0;
    std::optional<qint64> maxConcurrency; // none: no cap

    static GuardHealth fromJson(const QJsonObject &o);
    // The entries of `guards` with this scope.
    static QList<GuardHealth> listFromJson(const QJsonArray &guards, const QString &scope);

    // A breaker state for people ("closed", "open", "half open", translated; "—" if none).
    static QString breakerLabel(const QString &state);
    // Open: a problem; half open: a warning.
    static Severity breakerSeverity(const QString &state);
    // A dot in the state's colour (green, red, amber); none without a state.
    static QIcon breakerIcon(const QString &state);
    // A share of a limit as a percentage ("80 %"), "—" without one.
    static QString percent(const std::optional<double> &share);

    // What the breaker does now, when it tries again, how often it opened, its last error.
    QString breakerToolTip() const;
};

} // namespace ferry::console
