#pragma once

#include "agent/store/pgconnection.h"

#include <QHash>
#include <QList>
#include <QString>

namespace ferry::agent::store {

// The SQL behind the agent's Prometheus gauges: a consistent snapshot of the queue, the DLQ and
// the endpoints, and the names of tenants and producer tokens for metric labels. Read-only.
class MetricsStore
{
public:
    struct DeliveryCount
    {
        QString tenant;
        QString channel;
        QString state;
        qint64 count = 0;
    };
    struct Lag
    {
        QString tenant;
        QString channel;
        double oldestDueAgeSeconds = 0;
    };
    struct Endpoint
    {
        qint64 id = 0;
        QString tenant;
        QString channel;
    };
    struct Snapshot
    {
        QStringList tenants;
        // Unfinished states (queued, pending, in_flight, retry_wait) and dead; only non-zero
        // counts. Finished history (succeeded, discarded) is not counted: it grows without
        // bound and counting it would scan the whole table on every refresh.
        QList<DeliveryCount> deliveries;
        QList<Lag> lag;                  // tenants with a due delivery only
        QHash<QString, qint64> dlqSizes; // tenants with dead deliveries only
        QList<Endpoint> endpoints;       // enabled endpoints
        struct Sla
        {
            QString tenant;
            double target = 0;
            double attainment = -1; // -1: no delivery counted in the window
        };
        QList<Sla> sla;           // over the last 24 hours, as GET /v1/sla?window=24h
        bool slaIncluded = false; // false: not asked for; the gauges keep their values
    };
    struct TenantNames
    {
        QHash<qint64, QString> names;
        QHash<QByteArray, qint64> tokenTenants; // SHA-256 of a producer token → tenant id
    };

    explicit MetricsStore(PgConnection &db);

    // One REPEATABLE READ, read-only transaction, so the figures agree with each other.
    // withSla: also the SLA attainment, which reads a day of deliveries.
    Result<Snapshot> snapshot(bool withSla = true);
    Result<TenantNames> tenantNames();

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
