#pragma once

#include "agent/store/hotpath/guardstore.h"
#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace ferry::agent::store {

// The numbers behind one snapshot of the live feed (GET /v1/live), for every tenant at once:
// the API computes one sample per second whatever the number of listeners, and each listener
// gets the part its token may see.
struct LiveSample
{
    QDateTime at; // the database's clock
    struct Tenant
    {
        qint64 id = 0;
        QString name;
        double slaTarget = 0.99;
        qint64 slaLatencyMs = 60000;
        // Cumulative counts.
        qint64 events = 0;
        qint64 deliveriesSucceeded = 0;
        qint64 attemptsFailed = 0;
        qint64 dead = 0;
        // SLA over the last 24 hours.
        std::optional<double> slaAttainment;
        qint64 atRisk = 0;
    };
    QList<Tenant> tenants; // by name
    struct Lag
    {
        qint64 tenantId = 0;
        QString channel;
        qint64 ready = 0;
        qint64 inFlight = 0;
        double oldestDueAgeS = 0;
    };
    QList<Lag> lag;
    struct RecentError
    {
        QDateTime at;
        std::optional<qint64> status;
        QString error;
    };
    struct Channel
    {
        qint64 endpointId = 0;
        qint64 tenantId = 0;
        QString channel;
        qint64 inFlight = 0;
        std::optional<double> latencyP50Ms; // attempts of the last minute
        std::optional<double> latencyP99Ms;
        qint64 successes = 0; // attempts finished since the previous sample
        qint64 failures = 0;
        QList<RecentError> recentErrors; // the last five failed attempts of the last 5 minutes
    };
    QList<Channel> channels;
    QList<GuardStatus> guards; // breakers and limits of routes and provider accounts
};

class LiveStore
{
public:
    explicit LiveStore(PgConnection &db);
    // `since`: the previous sample's time (attempts finished after it are this interval's);
    // invalid: the last second.
    Result<LiveSample> sample(const QDateTime &since);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
