#pragma once

#include "agent/store/hotpath/guardstore.h"
#include "agent/store/pgconnection.h"
#include "agent/store/readmodels/metricsstore.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace ferry::agent::metrics {

class AgentMetrics;

// Refreshes the gauges that come from PostgreSQL (deliveries by state, queue lag, DLQ size,
// breaker state per endpoint) and the tenant names used as labels, over a connection of its
// own to each database (database.url, and every database.partitions entry; a tenant kept in two
// while it moves between them has its figures added up). Runs on the metrics server's thread; a
// refresh is one read-only transaction per database whose counts grow with the open deliveries
// and a day of history.
class MetricsCollector
{
public:
    MetricsCollector(AgentMetrics &metrics, const QStringList &databaseUrls,
                     int connectTimeoutSeconds);
    ~MetricsCollector();

    // Refreshes every database gauge; a database that fails keeps its series at their last
    // values and ferry_metrics_collector_up turns 0.
    void refresh();
    // refresh() on the metrics.refresh_interval tick, unless the last refresh took more than a
    // twentieth of the time since: with a backlog of millions one refresh counts for seconds,
    // and the gauges then refresh less often instead of taking PostgreSQL's time from delivery.
    void refreshWhenDue(qint64 intervalMs);
    // Before a scrape: reloads tenant names if a counter carries a tenant the directory does
    // not know yet (at most once a second).
    void resolveTenantsIfNeeded();

private:
    // One database and what was last read from it.
    struct Source
    {
        QString url;
        store::PgConnection db;
        store::MetricsStore::Snapshot snapshot;
        QList<store::MetricsStore::Snapshot::Sla> sla;
        QList<store::GuardStatus> guards;
        QString lastError;
        int readsSinceSla = -1; // -1: its SLA figures were never read
    };

    bool ensureConnected(Source &source);
    bool refreshTenants(Source &source, int partition);
    // Reads one database; false (and the source keeps what it had) when it fails.
    bool gather(Source &source, int partition);
    void publishQueue();
    // Breaker states and limiter use of every route and provider account.
    void publishGuards();
    void publishSla();
    void failed(Source &source, const QString &message, bool connectionLost);

    AgentMetrics &m_metrics;
    int m_connectTimeoutSeconds;
    std::vector<std::unique_ptr<Source>> m_sources; // index: partition
    QElapsedTimer m_sinceTenantRefresh;
    QElapsedTimer m_sinceRefresh;
    qint64 m_refreshAgainAfterMs = 0;
};

} // namespace ferry::agent::metrics
