#pragma once

#include "agent/store/pgconnection.h"

#include <QElapsedTimer>
#include <QString>

namespace ferry::agent::metrics {

class AgentMetrics;

// Refreshes the gauges that come from PostgreSQL (deliveries by state, queue lag, DLQ size,
// breaker state per endpoint) and the tenant names used as labels, over a connection of its
// own. Runs on the metrics server's thread; a refresh is one read-only transaction whose counts
// grow with the open deliveries and a day of history.
class MetricsCollector
{
public:
    MetricsCollector(AgentMetrics &metrics, QString databaseUrl, int connectTimeoutSeconds);

    // Refreshes every database gauge; on failure the gauges keep their last values and
    // ferry_metrics_collector_up turns 0.
    void refresh();
    // refresh() on the metrics.refresh_interval tick, unless the last refresh took more than a
    // twentieth of the time since: with a backlog of millions one refresh counts for seconds,
    // and the gauges then refresh less often instead of taking PostgreSQL's time from delivery.
    void refreshWhenDue(qint64 intervalMs);
    // Before a scrape: reloads tenant names if a counter carries a tenant the directory does
    // not know yet (at most once a second).
    void resolveTenantsIfNeeded();

private:
    bool ensureConnected();
    bool refreshTenants();
    // Breaker states and limiter use of every route and provider account.
    void refreshGuards();
    void failed(const QString &message, bool connectionLost);

    AgentMetrics &m_metrics;
    QString m_databaseUrl;
    int m_connectTimeoutSeconds;
    store::PgConnection m_db;
    QElapsedTimer m_sinceTenantRefresh;
    QElapsedTimer m_sinceRefresh;
    int m_refreshesSinceSla = -1; // -1: the SLA gauges were never refreshed
    qint64 m_refreshAgainAfterMs = 0;
    QString m_lastError;
};

} // namespace ferry::agent::metrics
