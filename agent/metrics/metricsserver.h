#pragma once

#include "agent/net/httplimits.h"
#include "shared/result.h"

#include <QString>
#include <QStringList>
#include <QThread>

#include <memory>

namespace ferry::agent::metrics {

class AgentMetrics;
class MetricsCollector;
class MetricsHttpServer;

// The Prometheus endpoint of the agent (config key metrics.listen) on a thread of its own,
// together with the collector that refreshes the database gauges every refresh interval. A
// scrape never waits for the database except to name a tenant created since the last refresh.
class MetricsServer
{
public:
    struct Options
    {
        QString listen = QStringLiteral("127.0.0.1:9464"); // host:port
        QString databaseUrl;
        QStringList partitionUrls; // database.partitions: the other databases' gauges too
        int connectTimeoutSeconds = 5;
        qint64 refreshIntervalMs = 5000;
        net::HttpServerLimits limits = {}; // of the listener (listeners.*; no request body)
    };
    MetricsServer(AgentMetrics &metrics, Options options);
    ~MetricsServer();

    // Binds the listener (on the metrics thread) and starts refreshing; fails with a message
    // naming metrics.listen when the address is malformed or cannot be bound.
    Result<void> start();
    void stop();
    quint16 port() const { return m_port; }

private:
    AgentMetrics &m_metrics;
    Options m_options;
    QThread m_thread;
    // Created, used and destroyed on m_thread.
    QObject *m_anchor = nullptr;
    MetricsHttpServer *m_http = nullptr;
    std::unique_ptr<MetricsCollector> m_collector;
    quint16 m_port = 0;
};

} // namespace ferry::agent::metrics
