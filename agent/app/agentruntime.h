#pragma once

#include "agent/app/agentconfig.h"
#include "agent/dispatch/concurrencylimiter.h"
#include "agent/dispatch/dispatcher.h"
#include "agent/jobs/execcommand.h"
#include "agent/store/admin/producerkeystore.h"
#include "shared/masterkey.h"
#include "shared/result.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class QSocketNotifier;

namespace ferry::agent {

namespace adapters {
class SsrfGuard;
class SsrfPolicy;
} // namespace adapters
namespace api {
class ApiServer;
}
namespace inbound {
class InboundReceiver;
class InboxWorker;
} // namespace inbound
namespace ingest {
class BatchWriter;
class HttpIngest;
class ZmqIngest;
} // namespace ingest
namespace metrics {
class MetricsServer;
}
namespace reconcile {
class Reconciler;
}
namespace workflow {
class WorkflowWorker;
}
namespace schedule {
class RetentionJob;
class Scheduler;
} // namespace schedule
namespace jobs {
class JobRunner;
}
class AgentHeartbeat;
class SystemdNotifier;

// The daemon: wires the stages that `ferry-agent run` starts (schema check, HTTP and ZeroMQ
// ingest into the batch writer, the dispatch workers, the TLS API, the Prometheus endpoint and
// the retention job) and stops them in order on SIGTERM/SIGINT. Members are declared in the
// order the stages are built, so whatever start() built is torn down in reverse.
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
    Result<void> parseHttpListen();
    Result<dispatch::Dispatcher::Options> dispatchOptions();
    static guards::BreakerSettings breakerSettings(const AgentConfig &config);
    Result<void> createDispatchers();
    Result<void> createJobRunner();
    Result<void> startHttpIngest();
    void createInbound();
    void stopInbound();
    QString unready() const;
    QString stalled(qint64 stuckMs) const;
    QString listeningText() const;
    Result<void> startZmqIngest();
    Result<void> startApi();
    Result<void> startMetrics();
    void createRetention();
    void createReconciler();
    void startHeartbeat();
    Result<void> watchSignals();
    void onSignal();
    void drain();
    void stopStages();
    void stopDispatch();
    int connectTimeoutSeconds() const;
    int retryAfterSeconds() const;

    const AgentConfig &m_config;
    std::optional<MasterKey> m_masterKey;
    store::CurveKeyPair m_serverKeys;
    QString m_listen;
    QHostAddress m_address;
    quint16 m_port = 0;
    std::unique_ptr<adapters::SsrfGuard> m_ssrfGuard;
    std::unique_ptr<adapters::SsrfPolicy> m_ssrfPolicy; // each tenant's guard, for the workers
    dispatch::ConcurrencyLimiter m_limiter;
    QByteArray m_agentId;
    qint64 m_graceMs = 0;
    jobs::ExecCommands m_execCommands;
    std::unique_ptr<jobs::JobRunner> m_jobRunner; // outlives the workers' exec adapters
    std::vector<std::unique_ptr<dispatch::Dispatcher>> m_dispatchers;
    std::unique_ptr<ingest::BatchWriter> m_writer;
    std::unique_ptr<inbound::InboxWorker> m_inboxWorker;
    std::unique_ptr<workflow::WorkflowWorker> m_workflows;
    std::unique_ptr<schedule::Scheduler> m_scheduler;
    std::unique_ptr<inbound::InboundReceiver> m_inbound;
    std::unique_ptr<ingest::HttpIngest> m_http;
    std::unique_ptr<ingest::ZmqIngest> m_zmq;
    std::unique_ptr<api::ApiServer> m_apiServer;
    std::unique_ptr<metrics::MetricsServer> m_metricsServer;
    std::unique_ptr<schedule::RetentionJob> m_retention;
    std::unique_ptr<reconcile::Reconciler> m_reconciler;
    std::unique_ptr<QSocketNotifier> m_signalNotifier;
    QElapsedTimer m_shutdownClock;
    QTimer m_drainTimer;
    std::unique_ptr<AgentHeartbeat> m_heartbeat; // the registry row: last to come, first to go
    std::unique_ptr<SystemdNotifier> m_notifier;
};

} // namespace ferry::agent
