#include "agent/app/agentcell.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/adapters/ssrfpolicy.h"
#include "agent/api/apiserver.h"
#include "agent/app/agentheartbeat.h"
#include "agent/app/listenerlimits.h"
#include "agent/app/logging.h"
#include "agent/dispatch/dispatcher.h"
#include "agent/inbound/inboundreceiver.h"
#include "agent/inbound/inboxworker.h"
#include "agent/ingest/batchwriter.h"
#include "agent/jobs/jobrunner.h"
#include "agent/reconcile/reconciler.h"
#include "agent/schedule/retentionjob.h"
#include "agent/schedule/scheduler.h"
#include "agent/workflow/workflowworker.h"
#include "shared/retrypolicy.h"

#include <QCoreApplication>
#include <QSysInfo>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

guards::BreakerSettings breakerSettings(const AgentConfig &config)
{
    guards::BreakerSettings b;
    b.consecutiveFailures = int(config.integer("breaker.consecutive_failures"));
    b.failureRatio = double(config.integer("breaker.failure_percent")) / 100.0;
    b.minRequests = int(config.integer("breaker.min_requests"));
    b.windowMs = config.milliseconds("breaker.window");
    b.cooldownMs = config.milliseconds("breaker.cooldown");
    b.closeAfter = int(config.integer("breaker.close_after"));
    return b;
}

// The settings were checked against their ranges when the configuration was loaded (see
// agentconfig.cpp), and how they relate to each other before the start (configcheck.cpp).
Result<dispatch::Dispatcher::Options> dispatchOptions(const AgentConfig &config)
{
    dispatch::Dispatcher::Options dopts;
    dopts.maxInFlight = int(config.integer("dispatch.max_in_flight"));
    dopts.leaseMs = config.milliseconds("dispatch.lease");
    dopts.pollIntervalMs = config.milliseconds("dispatch.poll_interval");
    BackoffPolicy backoff;
    backoff.base = std::chrono::milliseconds(config.milliseconds("retry.base"));
    backoff.cap = std::chrono::milliseconds(config.milliseconds("retry.cap"));
    auto policy = RetryPolicy::parse(config.string("retry.schedule"), backoff);
    if (!policy)
        return makeError(u"retry.schedule: "_s + policy.error().message);
    dopts.retry = *policy;
    dopts.retry.maxAttempts = int(config.integer("retry.max_attempts"));
    dopts.retry.maxAgeMs = config.milliseconds("retry.max_age");
    dopts.retryAfterCapMs = config.milliseconds("retry.retry_after_cap");
    dopts.timeoutMs = config.milliseconds("webhook.timeout");
    dopts.maxPerEndpoint = int(config.integer("webhook.max_concurrency_per_endpoint"));
    dopts.graceMs = config.milliseconds("shutdown.grace");
    dopts.adapters.maxConnectionsPerHost = int(config.integer("channels.max_connections_per_host"));
    dopts.adapters.statusCallbackBase = config.string("channels.status_callback_url");
    dopts.breaker = breakerSettings(config);
    return dopts;
}

} // namespace

AgentCell::AgentCell(const Shared &shared, Partition partition)
    : m_shared(shared)
    , m_partition(std::move(partition))
{}

AgentCell::~AgentCell() = default;

// Whole seconds, as libpq takes them; the key's range starts at 1 s.
int AgentCell::connectTimeoutSeconds() const
{
    return int(m_shared.config.milliseconds("database.connect_timeout") / 1000);
}

Result<void> AgentCell::create()
{
    if (auto dispatchers = createDispatchers(); !dispatchers)
        return dispatchers;
    createWriter();
    createInbound();
    createRetention();
    createReconciler();
    return {};
}

// Dispatch workers: each claims and sends on its own thread; per-endpoint caps are shared by
// the workers of this database (endpoint ids are its own).
Result<void> AgentCell::createDispatchers()
{
    const AgentConfig &config = m_shared.config;
    auto dopts = dispatchOptions(config);
    if (!dopts)
        return dopts.error();
    m_ssrfPolicy = std::make_unique<adapters::SsrfPolicy>(m_shared.guard);
    dopts->databaseUrl = url();
    dopts->connectTimeoutSeconds = connectTimeoutSeconds();
    dopts->ssrfGuard = &m_shared.guard;
    dopts->ssrfPolicy = m_ssrfPolicy.get();
    dopts->masterKey = m_shared.masterKey ? &*m_shared.masterKey : nullptr;
    // Each worker gets its share, rounded up: at least 1, since both settings are at least 1.
    const int workers = int(config.integer("dispatch.workers"));
    dopts->maxInFlight = (dopts->maxInFlight + workers - 1) / workers;
    dopts->limiter = &m_limiter;
    dopts->agentId = m_shared.agentId;
    m_jobRunner = std::make_unique<jobs::JobRunner>(
        jobs::JobRunner::Options{.databaseUrl = url(),
                                 .connectTimeoutSeconds = connectTimeoutSeconds(),
                                 .agentId = m_shared.agentId,
                                 .scratchDirectory = config.string("exec.scratch_dir")},
        m_shared.execCommands);
    dopts->adapters.jobRunner = m_jobRunner.get();
    for (int i = 0; i < workers; ++i) {
        dopts->runsRescuer = i == 0;
        m_dispatchers.push_back(std::make_unique<dispatch::Dispatcher>(*dopts));
    }
    return {};
}

// The batch writer; a commit wakes the dispatchers at once instead of leaving the new
// deliveries to their next poll.
void AgentCell::createWriter()
{
    const AgentConfig &config = m_shared.config;
    ingest::BatchWriter::Options wopts;
    wopts.databaseUrl = url();
    wopts.connectTimeoutSeconds = connectTimeoutSeconds();
    wopts.queueLimit = config.integer("ingest.queue_limit");
    wopts.maxBatch = config.integer("ingest.max_batch");
    wopts.writers = int(config.integer("ingest.writers"));
    wopts.tenantRefreshMs = config.milliseconds("ingest.tenant_refresh");
    wopts.quotaShareIntervalMs = config.milliseconds("ingest.quota_share_interval");
    wopts.agentId = m_shared.agentId;
    m_writer = std::make_unique<ingest::BatchWriter>(wopts);
    m_writer->setCommitListener([this](qint64) {
        for (auto &d : m_dispatchers)
            d->wake();
    });
}

// Provider webhooks: received on the ingest port, kept in the inbox, processed on a thread of
// their own; and the workflow worker and scheduler, which like the inbox publish through the
// batch writer.
void AgentCell::createInbound()
{
    const AgentConfig &config = m_shared.config;
    m_inboxWorker = std::make_unique<inbound::InboxWorker>(
        *m_writer,
        inbound::InboxWorker::Options{.databaseUrl = url(),
                                      .connectTimeoutSeconds = connectTimeoutSeconds(),
                                      .maxAttempts = int(config.integer("inbound.max_attempts"))});
    m_scheduler = std::make_unique<schedule::Scheduler>(
        *m_writer, schedule::Scheduler::Options{
                       .databaseUrl = url(),
                       .connectTimeoutSeconds = connectTimeoutSeconds(),
                       .agentId = m_shared.agentId,
                       .misfireThresholdMs = config.milliseconds("schedule.misfire_threshold")});
    m_workflows = std::make_unique<workflow::WorkflowWorker>(
        *m_writer,
        workflow::WorkflowWorker::Options{.databaseUrl = url(),
                                          .connectTimeoutSeconds = connectTimeoutSeconds(),
                                          .leaseMs = config.milliseconds("workflow.lease")});
    m_inbound = std::make_unique<inbound::InboundReceiver>(inbound::InboundReceiver::Options{
        .databaseUrl = url(),
        .connectTimeoutSeconds = connectTimeoutSeconds(),
        .masterKey = m_shared.masterKey,
        .tls = !config.string("http.certificate").isEmpty(),
        .stored = [worker = m_inboxWorker.get()] { worker->wake(); }});
}

void AgentCell::createRetention()
{
    const AgentConfig &config = m_shared.config;
    m_retention = std::make_unique<schedule::RetentionJob>(schedule::RetentionJob::Options{
        .databaseUrl = url(),
        .connectTimeoutSeconds = connectTimeoutSeconds(),
        .intervalMs = config.milliseconds("maintenance.interval"),
        .dedupeRetentionMs = config.milliseconds("ingest.dedupe_retention"),
        .deliveriesRetentionMs = config.milliseconds("retention.deliveries"),
        .deadRetentionMs = config.milliseconds("retention.dead"),
        .eventsRetentionMs = config.milliseconds("retention.events"),
        .auditRetentionMs = config.milliseconds("retention.audit")});
}

void AgentCell::createReconciler()
{
    const AgentConfig &config = m_shared.config;
    adapters::AdapterOptions adapters;
    adapters.timeoutMs = config.milliseconds("webhook.timeout");
    adapters.guard = &m_shared.guard;
    m_reconciler = std::make_unique<reconcile::Reconciler>(
        reconcile::Reconciler::Options{.databaseUrl = url(),
                                       .connectTimeoutSeconds = connectTimeoutSeconds(),
                                       .masterKey = m_shared.masterKey,
                                       .adapters = adapters,
                                       .intervalMs = config.milliseconds("reconcile.interval"),
                                       .afterMs = config.milliseconds("reconcile.after"),
                                       .maxAgeMs = config.milliseconds("reconcile.max_age")});
}

Result<void> AgentCell::startApi()
{
    const AgentConfig &config = m_shared.config;
    const bool main = m_partition.name == QLatin1StringView(PartitionMap::kMain);
    if (main && m_partition.apiListen.isEmpty())
        qCInfo(lcMain) << "TLS API off: api.listen is empty";
    if (config.string("api.certificate").isEmpty() || m_partition.apiListen.isEmpty())
        return {};
    api::ApiServer::Options options{
        m_partition.apiListen, config.string("api.certificate"), config.string("api.private_key"),
        config.string("api.client_ca"), url(), connectTimeoutSeconds(), m_shared.masterKey,
        config.string("webhook.allowed_networks"), listenerLimits(config, "api.max_body_bytes"),
        config.milliseconds("api.statement_timeout"), m_shared.execCommands, m_shared.agentId,
        // The standby of database.url serves main only.
        main ? config.string("database.read_url") : QString(),
        config.milliseconds("database.read_max_lag")};
    if (m_shared.misplaced)
        options.misplaced = [this](const QString &tenant) {
            return m_shared.misplaced(m_partition, tenant);
        };
    m_apiServer = std::make_unique<api::ApiServer>(std::move(options));
    if (auto started = m_apiServer->start(); !started)
        return main ? started
                    : makeError(
                          started.error().message +
                          u" (partition %1's api= in database.partitions)"_s.arg(m_partition.name));
    return {};
}

void AgentCell::start(const QString &httpListen)
{
    m_writer->start();
    m_inbound->start();
    m_inboxWorker->start();
    m_workflows->start();
    m_scheduler->start();
    m_jobRunner->start();
    for (auto &d : m_dispatchers)
        d->start();
    m_retention->start();
    m_reconciler->start();
    // The agent's row in this database's registry (GET /v1/agents), with its addresses.
    store::AgentRegistration self;
    self.id = m_shared.agentId;
    self.host = QSysInfo::machineHostName();
    self.version = QStringLiteral(FERRY_VERSION);
    self.pid = QCoreApplication::applicationPid();
    self.heartbeatMs = m_shared.config.milliseconds("agents.heartbeat");
    self.httpListen = httpListen;
    if (m_apiServer)
        self.apiListen = m_partition.apiListen;
    m_heartbeat = std::make_unique<AgentHeartbeat>(
        AgentHeartbeat::Options{.databaseUrl = url(),
                                .connectTimeoutSeconds = connectTimeoutSeconds(),
                                .intervalMs = self.heartbeatMs,
                                .self = self});
    m_heartbeat->start();
    m_started = true;
}

qsizetype AgentCell::queued() const
{
    return m_writer->queued();
}

// What the systemd watchdog checks: only loops that stand still, not the database.
QString AgentCell::stalled(qint64 stuckMs) const
{
    if (!started())
        return {};
    return firstProblem(m_writer->stalled(stuckMs), &dispatch::Dispatcher::stalled, stuckMs);
}

// The batch writer's lanes and every dispatch worker, each with its database and a loop that
// still turns.
QString AgentCell::unready(qint64 stuckMs) const
{
    if (!started())
        return u"its database has not been reachable since the agent started"_s;
    return firstProblem(m_writer->unready(stuckMs), &dispatch::Dispatcher::unready, stuckMs);
}

// The writer's problem, else the first dispatch worker's.
QString AgentCell::firstProblem(QString writers, DispatchProbe probe, qint64 stuckMs) const
{
    for (const auto &d : m_dispatchers) {
        if (writers.isEmpty())
            writers = ((*d).*probe)(stuckMs);
    }
    return writers;
}

// Before the batch writer: the inbox and workflow workers wait for its answers.
void AgentCell::stopInbound()
{
    if (!started())
        return;
    if (m_inbound)
        m_inbound->stop();
    if (m_inboxWorker)
        m_inboxWorker->stop();
    if (m_workflows)
        m_workflows->stop();
    if (m_scheduler)
        m_scheduler->stop();
}

void AgentCell::stopWriter()
{
    if (!started())
        return;
    if (m_writer)
        m_writer->stop();
}

void AgentCell::stopServices()
{
    if (!started())
        return;
    if (m_retention)
        m_retention->stop();
    if (m_reconciler)
        m_reconciler->stop();
    if (m_apiServer)
        m_apiServer->stop();
}

void AgentCell::stopDispatch()
{
    if (!started())
        return;
    for (auto &d : m_dispatchers)
        d->requestStop();
    for (auto &d : m_dispatchers)
        d->stop();
    if (m_jobRunner)
        m_jobRunner->stop(); // after the workers: they abandon what still runs at their end
}

void AgentCell::stopHeartbeat()
{
    if (!started())
        return;
    if (m_heartbeat)
        m_heartbeat->stop(); // a clean stop: off the registry
}

} // namespace ferry::agent
