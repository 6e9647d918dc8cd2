#include "agent/app/agentruntime.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/adapters/ssrfpolicy.h"
#include "agent/api/apiserver.h"
#include "agent/app/agentheartbeat.h"
#include "agent/app/configcheck.h"
#include "agent/app/listenerlimits.h"
#include "agent/app/logging.h"
#include "agent/app/secretsatrest.h"
#include "agent/app/storeconnect.h"
#include "agent/app/systemdnotifier.h"
#include "agent/inbound/inboundreceiver.h"
#include "agent/inbound/inboxworker.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/httpingest.h"
#include "agent/ingest/zmqingest.h"
#include "agent/jobs/jobrunner.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/metrics/metricsserver.h"
#include "agent/net/tlssettings.h"
#include "agent/reconcile/reconciler.h"
#include "agent/schedule/retentionjob.h"
#include "agent/schedule/scheduler.h"
#include "agent/store/pgconnection.h"
#include "agent/workflow/workflowworker.h"
#include "shared/retrypolicy.h"

#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QSysInfo>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// Unix signals reach the event loop through a socket pair.
int g_signalFd[2] = {-1, -1};

void writeSignalByte(int /*signal*/)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[0], &c, 1);
}

} // namespace

AgentRuntime::AgentRuntime(const AgentConfig &config)
    : m_config(config)
{}

AgentRuntime::~AgentRuntime() = default;

// Whole seconds, as libpq and Retry-After take them; both keys' ranges start at 1s.
int AgentRuntime::connectTimeoutSeconds() const
{
    return int(m_config.milliseconds("database.connect_timeout") / 1000);
}

int AgentRuntime::retryAfterSeconds() const
{
    return int(m_config.milliseconds("ingest.retry_after") / 1000);
}

Result<void> AgentRuntime::start()
{
    if (const QStringList problems = configProblems(m_config); !problems.isEmpty())
        return makeError(u"the configuration has %1 problem(s) ('ferry-agent check-config' lists "
                         "them):\n  "_s.arg(problems.size()) +
                         problems.join(u"\n  "_s));
    for (const auto step :
         {&AgentRuntime::prepareStore, &AgentRuntime::parseHttpListen,
          &AgentRuntime::createDispatchers, &AgentRuntime::startHttpIngest,
          &AgentRuntime::startZmqIngest, &AgentRuntime::startApi, &AgentRuntime::startMetrics}) {
        if (auto done = (this->*step)(); !done)
            return done;
    }
    createRetention();
    createReconciler();
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
    startHeartbeat();
    const QString listening = listeningText();
    qCInfo(lcMain).noquote() << "ferry-agent" << FERRY_VERSION << "ready;" << listening;
    if (auto watching = watchSignals(); !watching)
        return watching;
    m_notifier = std::make_unique<SystemdNotifier>(
        SystemdNotifier::Probes{.stalled = [this](qint64 ms) { return stalled(ms); },
                                .unready = [this] { return unready(); }});
    m_notifier->ready(listening);
    return {};
}

// The status line of the log and of `systemctl status`.
QString AgentRuntime::listeningText() const
{
    QStringList parts{
        u"%1 ingest on %2:%3"_s
            .arg(m_config.string("http.certificate").isEmpty() ? u"HTTP"_s : u"HTTPS"_s,
                 m_address.toString())
            .arg(m_http->serverPort())};
    if (m_zmq)
        parts.append(u"ZeroMQ on "_s + m_config.string("zmq.listen"));
    if (m_apiServer)
        parts.append(u"API on "_s + m_config.string("api.listen"));
    return parts.join(u", "_s);
}

// The schema check, the credentials master key and the ZeroMQ server keys need the database
// once, before any stage opens its own connections.
Result<void> AgentRuntime::prepareStore()
{
    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, m_config, false); !ready)
        return ready;
    auto masterKey = loadMasterKey(m_config);
    if (!masterKey)
        return masterKey.error();
    m_masterKey = *masterKey;
    if (auto ready = prepareSecretsAtRest(db, m_masterKey); !ready)
        return ready;
    if (!m_config.string("zmq.listen").isEmpty() && m_config.boolean("zmq.curve")) {
        auto keys = store::ProducerKeyStore(db).serverKeys(m_masterKey ? &*m_masterKey : nullptr);
        if (!keys)
            return keys.error();
        m_serverKeys = *keys;
    }
    return {};
}

Result<void> AgentRuntime::parseHttpListen()
{
    m_listen = m_config.string("http.listen");
    auto listen = listenAddress(m_config, "http.listen");
    if (!listen)
        return listen.error();
    m_address = listen->address;
    m_port = listen->port;
    return {};
}

// The settings were checked against their ranges when the configuration was loaded (see
// agentconfig.cpp), and how they relate to each other before the start (configcheck.cpp).
Result<dispatch::Dispatcher::Options> AgentRuntime::dispatchOptions()
{
    const AgentConfig &config = m_config;
    dispatch::Dispatcher::Options dopts;
    dopts.databaseUrl = config.string("database.url");
    dopts.connectTimeoutSeconds = connectTimeoutSeconds();
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

guards::BreakerSettings AgentRuntime::breakerSettings(const AgentConfig &config)
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

// Dispatch workers: each claims and sends on its own thread; per-endpoint caps are shared.
Result<void> AgentRuntime::createDispatchers()
{
    auto dopts = dispatchOptions();
    if (!dopts)
        return dopts.error();
    auto guard = adapters::SsrfGuard::parse(m_config.string("webhook.allowed_networks"));
    if (!guard)
        return guard.error();
    m_ssrfGuard = std::make_unique<adapters::SsrfGuard>(*guard);
    m_ssrfPolicy = std::make_unique<adapters::SsrfPolicy>(*guard);
    dopts->ssrfGuard = m_ssrfGuard.get();
    dopts->ssrfPolicy = m_ssrfPolicy.get();
    dopts->masterKey = m_masterKey ? &*m_masterKey : nullptr;
    m_graceMs = dopts->graceMs;
    m_agentId = QByteArray(8, Qt::Uninitialized);
    QRandomGenerator::system()->generate(m_agentId.begin(), m_agentId.end());
    m_agentId = m_agentId.toHex();
    // Each worker gets its share, rounded up: at least 1, since both settings are at least 1.
    const int workers = int(m_config.integer("dispatch.workers"));
    dopts->maxInFlight = (dopts->maxInFlight + workers - 1) / workers;
    dopts->limiter = &m_limiter;
    dopts->agentId = m_agentId;
    if (auto runner = createJobRunner(); !runner)
        return runner;
    dopts->adapters.jobRunner = m_jobRunner.get();
    for (int i = 0; i < workers; ++i) {
        dopts->runsRescuer = i == 0;
        m_dispatchers.push_back(std::make_unique<dispatch::Dispatcher>(*dopts));
    }
    return {};
}

// The exec channel's commands (exec.commands_dir) and the runner every worker hands them to.
Result<void> AgentRuntime::createJobRunner()
{
    auto commands = jobs::ExecCommands::load(m_config.string("exec.commands_dir"));
    if (!commands)
        return makeError(commands.error().message + u" (exec.commands_dir)"_s);
    m_execCommands = *commands;
    if (!m_execCommands.isEmpty())
        qCInfo(lcMain).noquote() << "exec commands:" << m_execCommands.names().join(u", "_s);
    m_jobRunner = std::make_unique<jobs::JobRunner>(
        jobs::JobRunner::Options{.databaseUrl = m_config.string("database.url"),
                                 .connectTimeoutSeconds = connectTimeoutSeconds(),
                                 .agentId = m_agentId,
                                 .scratchDirectory = m_config.string("exec.scratch_dir")},
        m_execCommands);
    return {};
}

// The batch writer and the HTTP listener; a commit wakes the dispatchers at once instead of
// leaving the new deliveries to their next poll.
Result<void> AgentRuntime::startHttpIngest()
{
    ingest::BatchWriter::Options wopts;
    wopts.databaseUrl = m_config.string("database.url");
    wopts.connectTimeoutSeconds = connectTimeoutSeconds();
    wopts.queueLimit = m_config.integer("ingest.queue_limit");
    wopts.maxBatch = m_config.integer("ingest.max_batch");
    wopts.writers = int(m_config.integer("ingest.writers"));
    wopts.tenantRefreshMs = m_config.milliseconds("ingest.tenant_refresh");
    wopts.quotaShareIntervalMs = m_config.milliseconds("ingest.quota_share_interval");
    wopts.agentId = m_agentId;
    m_writer = std::make_unique<ingest::BatchWriter>(wopts);
    m_writer->setCommitListener([this](qint64) {
        for (auto &d : m_dispatchers)
            d->wake();
    });
    createInbound();
    ingest::HttpIngest::Options hopts{listenerLimits(m_config, "http.max_body_bytes"),
                                      retryAfterSeconds(), std::nullopt,
                                      [this] { return unready(); }, m_inbound.get()};
    if (!m_config.string("http.certificate").isEmpty()) {
        auto tls = net::serverTls({m_config.string("http.certificate"),
                                   m_config.string("http.private_key"),
                                   m_config.string("http.client_ca"), u"http"_s});
        if (!tls)
            return tls.error();
        hopts.tls = *tls;
    }
    m_http = std::make_unique<ingest::HttpIngest>(*m_writer, std::move(hopts));
    if (auto listening = m_http->listen(m_address, m_port); !listening)
        return makeError(
            u"cannot listen on %1 (http.listen): %2"_s.arg(m_listen, listening.error().message));
    return {};
}

// Provider webhooks: received on the ingest port, kept in the inbox, processed on a thread of
// their own; and the workflow worker, which like the inbox publishes through the batch writer.
void AgentRuntime::createInbound()
{
    m_inboxWorker = std::make_unique<inbound::InboxWorker>(
        *m_writer, inbound::InboxWorker::Options{
                       .databaseUrl = m_config.string("database.url"),
                       .connectTimeoutSeconds = connectTimeoutSeconds(),
                       .maxAttempts = int(m_config.integer("inbound.max_attempts"))});
    m_scheduler = std::make_unique<schedule::Scheduler>(
        *m_writer, schedule::Scheduler::Options{
                       .databaseUrl = m_config.string("database.url"),
                       .connectTimeoutSeconds = connectTimeoutSeconds(),
                       .agentId = m_agentId,
                       .misfireThresholdMs = m_config.milliseconds("schedule.misfire_threshold")});
    m_workflows = std::make_unique<workflow::WorkflowWorker>(
        *m_writer,
        workflow::WorkflowWorker::Options{.databaseUrl = m_config.string("database.url"),
                                          .connectTimeoutSeconds = connectTimeoutSeconds(),
                                          .leaseMs = m_config.milliseconds("workflow.lease")});
    m_inbound = std::make_unique<inbound::InboundReceiver>(inbound::InboundReceiver::Options{
        .databaseUrl = m_config.string("database.url"),
        .connectTimeoutSeconds = connectTimeoutSeconds(),
        .masterKey = m_masterKey,
        .tls = !m_config.string("http.certificate").isEmpty(),
        .stored = [worker = m_inboxWorker.get()] { worker->wake(); }});
}

// What the systemd watchdog checks: only loops that stand still, not the database.
QString AgentRuntime::stalled(qint64 stuckMs) const
{
    QString why = m_writer->stalled(stuckMs);
    for (const auto &d : m_dispatchers) {
        if (why.isEmpty())
            why = d->stalled(stuckMs);
    }
    return why;
}

// What GET /readyz reports: the batch writer's lanes and every dispatch worker, each with its
// database and a loop that still turns.
QString AgentRuntime::unready() const
{
    constexpr qint64 kStuckMs = 15000;
    QString why = m_writer->unready(kStuckMs);
    for (const auto &d : m_dispatchers) {
        if (why.isEmpty())
            why = d->unready(kStuckMs);
    }
    return why;
}

Result<void> AgentRuntime::startZmqIngest()
{
    if (m_config.string("zmq.listen").isEmpty())
        return {};
    ingest::ZmqIngest::Options zopts;
    zopts.listen = m_config.string("zmq.listen");
    zopts.curve = m_config.boolean("zmq.curve");
    zopts.serverSecretKey = m_serverKeys.secretKey;
    zopts.maxMessageBytes = m_config.integer("zmq.max_message_bytes");
    zopts.maxUnreadPerConnection = m_config.integer("zmq.max_unread_bytes");
    zopts.maxUnreadTotal = m_config.integer("zmq.max_unread_total");
    zopts.databaseUrl = m_config.string("database.url");
    zopts.connectTimeoutSeconds = connectTimeoutSeconds();
    zopts.keyRefreshMs = m_config.milliseconds("zmq.key_refresh");
    zopts.retryAfterSeconds = retryAfterSeconds();
    m_zmq = std::make_unique<ingest::ZmqIngest>(*m_writer, zopts);
    return m_zmq->start();
}

Result<void> AgentRuntime::startApi()
{
    if (m_config.string("api.certificate").isEmpty() || m_config.string("api.listen").isEmpty()) {
        qCInfo(lcMain) << "TLS API off: set api.certificate and api.private_key "
                          "('ferry-agent cert generate' writes a pair)";
        return {};
    }
    m_apiServer = std::make_unique<api::ApiServer>(api::ApiServer::Options{
        m_config.string("api.listen"), m_config.string("api.certificate"),
        m_config.string("api.private_key"), m_config.string("api.client_ca"),
        m_config.string("database.url"), connectTimeoutSeconds(), m_masterKey,
        m_config.string("webhook.allowed_networks"), listenerLimits(m_config, "api.max_body_bytes"),
        m_config.milliseconds("api.statement_timeout"), m_execCommands, m_agentId,
        m_config.string("database.read_url"), m_config.milliseconds("database.read_max_lag")});
    return m_apiServer->start();
}

Result<void> AgentRuntime::startMetrics()
{
    if (m_config.string("metrics.listen").isEmpty()) {
        qCInfo(lcMain) << "Prometheus endpoint off (metrics.listen is empty)";
        return {};
    }
    m_metricsServer = std::make_unique<metrics::MetricsServer>(
        metrics::AgentMetrics::instance(),
        metrics::MetricsServer::Options{m_config.string("metrics.listen"),
                                        m_config.string("database.url"), connectTimeoutSeconds(),
                                        m_config.milliseconds("metrics.refresh_interval"),
                                        listenerLimits(m_config, nullptr)});
    return m_metricsServer->start();
}

void AgentRuntime::createRetention()
{
    m_retention = std::make_unique<schedule::RetentionJob>(schedule::RetentionJob::Options{
        .databaseUrl = m_config.string("database.url"),
        .connectTimeoutSeconds = connectTimeoutSeconds(),
        .intervalMs = m_config.milliseconds("maintenance.interval"),
        .dedupeRetentionMs = m_config.milliseconds("ingest.dedupe_retention"),
        .deliveriesRetentionMs = m_config.milliseconds("retention.deliveries"),
        .deadRetentionMs = m_config.milliseconds("retention.dead"),
        .eventsRetentionMs = m_config.milliseconds("retention.events"),
        .auditRetentionMs = m_config.milliseconds("retention.audit")});
}

void AgentRuntime::createReconciler()
{
    adapters::AdapterOptions adapters;
    adapters.timeoutMs = m_config.milliseconds("webhook.timeout");
    adapters.guard = m_ssrfGuard.get();
    m_reconciler = std::make_unique<reconcile::Reconciler>(
        reconcile::Reconciler::Options{.databaseUrl = m_config.string("database.url"),
                                       .connectTimeoutSeconds = connectTimeoutSeconds(),
                                       .masterKey = m_masterKey,
                                       .adapters = adapters,
                                       .intervalMs = m_config.milliseconds("reconcile.interval"),
                                       .afterMs = m_config.milliseconds("reconcile.after"),
                                       .maxAgeMs = m_config.milliseconds("reconcile.max_age")});
}

// The agent's row in the registry (GET /v1/agents), with the addresses it listens on.
void AgentRuntime::startHeartbeat()
{
    store::AgentRegistration self;
    self.id = m_agentId;
    self.host = QSysInfo::machineHostName();
    self.version = QStringLiteral(FERRY_VERSION);
    self.pid = QCoreApplication::applicationPid();
    self.heartbeatMs = m_config.milliseconds("agents.heartbeat");
    self.httpListen = u"%1:%2"_s.arg(m_address.toString()).arg(m_http->serverPort());
    if (m_apiServer)
        self.apiListen = m_config.string("api.listen");
    m_heartbeat = std::make_unique<AgentHeartbeat>(
        AgentHeartbeat::Options{.databaseUrl = m_config.string("database.url"),
                                .connectTimeoutSeconds = connectTimeoutSeconds(),
                                .intervalMs = self.heartbeatMs,
                                .self = self});
    m_heartbeat->start();
}

Result<void> AgentRuntime::watchSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return makeError(u"cannot set up signal handling"_s);
    m_signalNotifier = std::make_unique<QSocketNotifier>(g_signalFd[1], QSocketNotifier::Read);
    struct sigaction sa = {};
    sa.sa_handler = writeSignalByte;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    m_drainTimer.setInterval(20);
    QObject::connect(m_signalNotifier.get(), &QSocketNotifier::activated, [this] { onSignal(); });
    QObject::connect(&m_drainTimer, &QTimer::timeout, [this] { drain(); });
    return {};
}

// The first signal stops intake; the drain timer then waits for what was accepted to be
// committed. Further signals change nothing.
void AgentRuntime::onSignal()
{
    char c;
    [[maybe_unused]] const auto n = ::read(g_signalFd[1], &c, 1);
    if (m_shutdownClock.isValid())
        return;
    qCInfo(lcMain) << "stopping: no new events accepted; finishing in-flight work";
    m_notifier->stopping(u"stopping: no new events accepted; finishing in-flight work"_s);
    m_shutdownClock.start();
    m_http->stopAccepting();
    if (m_zmq)
        m_zmq->stopAccepting();
    m_drainTimer.start();
}

void AgentRuntime::drain()
{
    if ((m_http->pendingResponses() > 0 || m_writer->queued() > 0) &&
        m_shutdownClock.elapsed() < m_graceMs)
        return;
    m_drainTimer.stop();
    stopInbound();
    m_writer->stop();
    // Answers of the last commits are queued to this thread: let them go out, then stop
    // dispatch (which finishes or releases its attempts within the grace period).
    QTimer::singleShot(50, [this] { stopStages(); });
}

void AgentRuntime::stopStages()
{
    m_retention->stop();
    m_reconciler->stop();
    if (m_apiServer)
        m_apiServer->stop();
    if (m_metricsServer)
        m_metricsServer->stop();
    stopDispatch();
    if (m_heartbeat)
        m_heartbeat->stop(); // a clean stop: off the registry
    qCInfo(lcMain) << "stopped";
    QCoreApplication::exit(0);
}

void AgentRuntime::stopDispatch()
{
    for (auto &d : m_dispatchers)
        d->requestStop();
    for (auto &d : m_dispatchers)
        d->stop();
    if (m_jobRunner)
        m_jobRunner->stop(); // after the workers: they abandon what still runs at their end
}

// Before the batch writer: the inbox and workflow workers wait for its answers.
void AgentRuntime::stopInbound()
{
    if (m_inbound)
        m_inbound->stop();
    if (m_inboxWorker)
        m_inboxWorker->stop();
    if (m_workflows)
        m_workflows->stop();
    if (m_scheduler)
        m_scheduler->stop();
}

int AgentRuntime::exec()
{
    const int code = QCoreApplication::exec();
    if (m_zmq)
        m_zmq->stop(0);
    stopInbound();
    m_writer->stop();
    stopDispatch();
    return code;
}

} // namespace ferry::agent
