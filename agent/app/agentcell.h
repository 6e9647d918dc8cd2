#pragma once

#include "agent/app/agentconfig.h"
#include "agent/app/partitions.h"
#include "agent/dispatch/concurrencylimiter.h"
#include "agent/jobs/execcommand.h"
#include "shared/masterkey.h"
#include "shared/result.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ferry::agent {

namespace adapters {
class SsrfGuard;
class SsrfPolicy;
} // namespace adapters
namespace api {
class ApiServer;
}
namespace dispatch {
class Dispatcher;
}
namespace inbound {
class InboundReceiver;
class InboxWorker;
} // namespace inbound
namespace ingest {
class BatchWriter;
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

// The stages of one database: the batch writer and those that publish through it (inbox,
// workflows, schedules), the inbound receiver, the dispatch workers and their job runner, the
// TLS API, the singleton jobs (retention, reconciliation) and the agent's row in its registry.
// An agent runs one cell, or one per database.partitions entry; the ingest front ends, the
// Prometheus endpoint and the signals are the runtime's and shared. Members are declared in the
// order they are built, so whatever was built is torn down in reverse.
class AgentCell
{
public:
    // What every cell of an agent shares; outlives the cells.
    struct Shared
    {
        const AgentConfig &config;
        const std::optional<MasterKey> &masterKey;
        const adapters::SsrfGuard &guard;
        const jobs::ExecCommands &execCommands;
        QByteArray agentId;
        // Where a tenant created through this cell's API must go instead; empty: here.
        std::function<QString(const Partition &self, const QString &tenant)> misplaced;
    };

    AgentCell(const Shared &shared, Partition partition);
    ~AgentCell();
    AgentCell(const AgentCell &) = delete;
    AgentCell &operator=(const AgentCell &) = delete;

    const Partition &partition() const { return m_partition; }
    // Builds the stages; nothing runs yet.
    Result<void> create();
    // The TLS API on the partition's address (api.listen for main); none without one.
    Result<void> startApi();
    // Starts the threads of every stage, then the registry row naming `httpListen`. Until then
    // (a partition whose database was away when the agent started) the cell is not ready, never
    // stalled, and its stops do nothing; its writer queues what it is given.
    void start(const QString &httpListen);
    bool started() const { return m_started.load(); }

    ingest::BatchWriter &writer() { return *m_writer; }
    inbound::InboundReceiver *inbound() { return m_inbound.get(); }
    bool hasApi() const { return m_apiServer != nullptr; }
    qsizetype queued() const;
    QString unready(qint64 stuckMs) const;
    QString stalled(qint64 stuckMs) const;

    // The order of a stop: inbound and the publishers, the writer, then the rest.
    void stopInbound();
    void stopWriter();
    void stopServices();
    void stopDispatch();
    void stopHeartbeat();

private:
    Result<void> createDispatchers();
    void createWriter();
    void createInbound();
    void createRetention();
    void createReconciler();
    using DispatchProbe = QString (dispatch::Dispatcher::*)(qint64) const;
    QString firstProblem(QString writers, DispatchProbe probe, qint64 stuckMs) const;
    QString url() const { return m_partition.url; }
    int connectTimeoutSeconds() const;

    const Shared &m_shared;
    Partition m_partition;
    std::unique_ptr<adapters::SsrfPolicy> m_ssrfPolicy; // each tenant's guard, for the workers
    dispatch::ConcurrencyLimiter m_limiter;
    std::unique_ptr<jobs::JobRunner> m_jobRunner; // outlives the workers' exec adapters
    std::vector<std::unique_ptr<dispatch::Dispatcher>> m_dispatchers;
    std::unique_ptr<ingest::BatchWriter> m_writer;
    std::unique_ptr<inbound::InboxWorker> m_inboxWorker;
    std::unique_ptr<workflow::WorkflowWorker> m_workflows;
    std::unique_ptr<schedule::Scheduler> m_scheduler;
    std::unique_ptr<inbound::InboundReceiver> m_inbound;
    std::unique_ptr<api::ApiServer> m_apiServer;
    std::unique_ptr<schedule::RetentionJob> m_retention;
    std::unique_ptr<reconcile::Reconciler> m_reconciler;
    std::unique_ptr<AgentHeartbeat> m_heartbeat; // the registry row: last to come, first to go
    std::atomic<bool> m_started{false};
};

} // namespace ferry::agent
