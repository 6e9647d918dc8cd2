#pragma once

#include "agent/store/pgconnection.h"

#include <QElapsedTimer>
#include <QString>

namespace ferry::agent::metrics {

class AgentMetrics;

// Refreshes the gauges that come from PostgreSQL (deliveries by state, queue lag, DLQ size,
// breaker state per endpoint) and the tenant names used as labels, over a connection of its
// own. Runs on the metrics server's thread; a refresh is a few index scans in one read-only
// transaction.
class MetricsCollector
{
public:
    MetricsCollector(AgentMetrics &metrics, QString databaseUrl, int connectTimeoutSeconds);

    // Refreshes every database gauge; on failure the gauges keep their last values and
    // ferry_metrics_collector_up turns 0.
    void refresh();
    // Before a scrape: reloads tenant names if a counter carries a tenant the directory does
    // not know yet (at most once a second).
    void resolveTenantsIfNeeded();

private:
    bool ensureConnected();
    bool refreshTenants();
    void failed(const QString &message, bool connectionLost);

    AgentMetrics &m_metrics;
    QString m_databaseUrl;
    int m_connectTimeoutSeconds;
    store::PgConnection m_db;
    QElapsedTimer m_sinceTenantRefresh;
    QString m_lastError;
};

} // namespace ferry::agent::metrics
