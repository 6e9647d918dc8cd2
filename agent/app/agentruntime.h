#pragma once

#include "agent/app/agentcell.h"
#include "agent/app/agentconfig.h"
#include "agent/app/partitions.h"
#include "agent/jobs/execcommand.h"
#include "agent/store/admin/producerkeystore.h"
#include "shared/masterkey.h"
#include "shared/result.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSet>
#include <QTimer>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

class QSocketNotifier;

namespace ferry::agent {

namespace adapters {
class SsrfGuard;
}
namespace ingest {
class EventSink;
class HttpIngest;
class PartitionRouter;
class ZmqIngest;
} // namespace ingest
namespace metrics {
class MetricsServer;
}
namespace inbound {
class InboundReceiver;
}
class SystemdNotifier;

// The daemon: checks the database and the settings, builds one AgentCell per database (one,
// or one per database.partitions entry), and in front of them the ingest listeners (HTTP and
// ZeroMQ, into the cells' batch writers, through the PartitionRouter when there are several),
// the Prometheus endpoint and the signal handling; stops them in order on SIGTERM/SIGINT.
// Members are declared in the order the stages are built, so whatever start() built is torn
// down in reverse.
class AgentRuntime
{
public:
    explicit AgentRuntime(const AgentConfig &config);
    ~AgentRuntime();
    AgentRuntime(const AgentRuntime &) = delete;
    AgentRuntime &operator=(const AgentRuntime &) = delete;

    // Checks the database and the settings, then starts every stage. The error says what to fix.
    Result<void> start();
    // Runs the event loop until a signal has drained the stages; returns the exit code.
    int exec();

private:
    Result<void> prepareStore();
    Result<void> preparePartition(const Partition &partition);
    void waitForDeferred(const QString &httpListen);
    void startDeferred(int partition, const QString &httpListen);
    void stopWaiter();
    Result<void> parseHttpListen();
    Result<void> createCells();
    void createRouter();
    Result<void> startHttpIngest();
    inbound::InboundReceiver *inboundFor(const QString &tenant);
    QString misplaced(const Partition &self, const QString &tenant) const;
    QStringList unreadyPartitions() const;
    QString unready() const;
    QString degraded() const;
    QString stalled(qint64 stuckMs) const;
    QString listeningText() const;
    Result<void> startZmqIngest();
    Result<void> startApis();
    QStringList partitionUrls() const;
    Result<void> startMetrics();
    Result<void> watchSignals();
    void onSignal();
    void drain();
    void stopStages();
    void stopCells(void (AgentCell::*step)());
    int connectTimeoutSeconds() const;
    int retryAfterSeconds() const;

    const AgentConfig &m_config;
    PartitionMap m_partitions;
    // Partitions whose database was away at the start, and the thread that waits for them.
    QSet<int> m_deferred; // under m_waiterMutex once the waiter runs
    std::mutex m_waiterMutex;
    std::condition_variable m_waiterWake;
    bool m_waiterStop = false;
    std::thread m_waiter;
    std::optional<MasterKey> m_masterKey;
    store::CurveKeyPair m_serverKeys;
    QString m_listen;
    QHostAddress m_address;
    quint16 m_port = 0;
    std::unique_ptr<adapters::SsrfGuard> m_ssrfGuard;
    QByteArray m_agentId;
    qint64 m_graceMs = 0;
    jobs::ExecCommands m_execCommands;
    std::unique_ptr<AgentCell::Shared> m_shared;
    std::vector<std::unique_ptr<AgentCell>> m_cells; // index: partition (0: main)
    std::unique_ptr<ingest::PartitionRouter> m_router;
    std::unique_ptr<ingest::HttpIngest> m_http;
    std::unique_ptr<ingest::ZmqIngest> m_zmq;
    std::unique_ptr<metrics::MetricsServer> m_metricsServer;
    std::unique_ptr<QSocketNotifier> m_signalNotifier;
    QElapsedTimer m_shutdownClock;
    QTimer m_drainTimer;
    std::unique_ptr<SystemdNotifier> m_notifier;
};

} // namespace ferry::agent
