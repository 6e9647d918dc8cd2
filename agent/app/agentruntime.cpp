#include "agent/app/agentruntime.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/app/configcheck.h"
#include "agent/app/listenerlimits.h"
#include "agent/app/logging.h"
#include "agent/app/secretsatrest.h"
#include "agent/app/storeconnect.h"
#include "agent/app/systemdnotifier.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/httpingest.h"
#include "agent/ingest/partitionrouter.h"
#include "agent/ingest/zmqingest.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/metrics/metricsserver.h"
#include "agent/net/tlssettings.h"
#include "agent/store/pgconnection.h"

#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QSet>
#include <QSocketNotifier>

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

// After a start that failed half-way: the router answers what it parked while the ZeroMQ
// ingest, whose answers those are, is still there.
AgentRuntime::~AgentRuntime()
{
    stopWaiter();
    if (m_router)
        m_router->stop();
    if (m_zmq)
        m_zmq->stop(0);
}

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
         {&AgentRuntime::prepareStore, &AgentRuntime::parseHttpListen, &AgentRuntime::createCells,
          &AgentRuntime::startHttpIngest, &AgentRuntime::startZmqIngest, &AgentRuntime::startApis,
          &AgentRuntime::startMetrics}) {
        if (auto done = (this->*step)(); !done)
            return done;
    }
    if (m_router)
        m_router->start();
    const QString httpListen = u"%1:%2"_s.arg(m_address.toString()).arg(m_http->serverPort());
    for (size_t i = 0; i < m_cells.size(); ++i) {
        if (!m_deferred.contains(int(i)))
            m_cells[i]->start(httpListen);
    }
    waitForDeferred(httpListen);
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
    for (const auto &cell : m_cells) {
        if (cell->hasApi())
            parts.append(
                m_partitions.routed()
                    ? u"%1's API on %2"_s.arg(cell->partition().name, cell->partition().apiListen)
                    : u"API on "_s + cell->partition().apiListen);
    }
    return parts.join(u", "_s);
}

// The schema check, the credentials master key and the ZeroMQ server keys need the database
// once, before any stage opens its own connections; with database.partitions, every database.
Result<void> AgentRuntime::prepareStore()
{
    auto partitions = PartitionMap::fromConfig(m_config);
    if (!partitions)
        return partitions.error();
    m_partitions = *std::move(partitions);
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
    for (int i = 1; i < m_partitions.size(); ++i) {
        const Partition &partition = m_partitions.partitions().at(i);
        store::PgConnection probe;
        if (auto opened = probe.open(partition.url, connectTimeoutSeconds()); !opened) {
            qCCritical(lcMain).noquote()
                << "partition" << partition.name << "is unreachable:" << opened.error().message
                << "- starting without it; its tenants get 503 until its database is back";
            m_deferred.insert(i);
            continue;
        }
        if (auto ready = preparePartition(partition); !ready)
            return makeError(u"partition %1: "_s.arg(partition.name) + ready.error().message);
    }
    return {};
}

// Partitions whose database was away at the start: prepared (migrated, keys adopted) and
// started once it is reachable, on a thread of its own; the cell starts on the main thread.
void AgentRuntime::waitForDeferred(const QString &httpListen)
{
    if (m_deferred.isEmpty())
        return;
    m_waiter = std::thread([this, httpListen] {
        QHash<int, QString> said; // each partition's last error, logged once
        std::unique_lock lock(m_waiterMutex);
        while (!m_waiterStop && !m_deferred.isEmpty()) {
            m_waiterWake.wait_for(lock, std::chrono::seconds(2));
            for (const int i : QSet<int>(m_deferred)) {
                if (m_waiterStop)
                    break;
                lock.unlock();
                const Partition &partition = m_partitions.partitions().at(i);
                const auto prepared = preparePartition(partition);
                if (!prepared &&
                    std::exchange(said[i], prepared.error().message) != prepared.error().message)
                    qCWarning(lcMain).noquote() << "partition" << partition.name
                                                << "not started yet:" << prepared.error().message;
                lock.lock();
                if (prepared && !m_waiterStop) {
                    m_deferred.remove(i);
                    QMetaObject::invokeMethod(
                        QCoreApplication::instance(),
                        [this, i, httpListen] { startDeferred(i, httpListen); },
                        Qt::QueuedConnection);
                }
            }
        }
    });
}

void AgentRuntime::startDeferred(int partition, const QString &httpListen)
{
    AgentCell &cell = *m_cells.at(size_t(partition));
    if (m_shutdownClock.isValid())
        return; // stopping
    if (auto api = cell.startApi(); !api)
        qCCritical(lcMain).noquote() << api.error().message;
    cell.start(httpListen);
    qCInfo(lcMain).noquote() << "partition" << cell.partition().name
                             << "is reachable again: started";
}

void AgentRuntime::stopWaiter()
{
    {
        std::lock_guard lock(m_waiterMutex);
        m_waiterStop = true;
    }
    m_waiterWake.notify_all();
    if (m_waiter.joinable())
        m_waiter.join();
}

// Another partition's database: its schema, its sealed secrets, and main's ZeroMQ server key.
Result<void> AgentRuntime::preparePartition(const Partition &partition)
{
    store::PgConnection db;
    if (auto ready = connectAndMigrate(db, m_config, false, &partition); !ready)
        return ready;
    if (auto ready = prepareSecretsAtRest(db, m_masterKey); !ready)
        return ready;
    if (m_serverKeys.publicKey.isEmpty())
        return {};
    return store::ProducerKeyStore(db).adoptServerKeys(m_serverKeys,
                                                       m_masterKey ? &*m_masterKey : nullptr);
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

// One cell per database; the shared parts first (the agent's id, the SSRF guard, the exec
// commands), which every cell uses.
Result<void> AgentRuntime::createCells()
{
    auto guard = adapters::SsrfGuard::parse(m_config.string("webhook.allowed_networks"));
    if (!guard)
        return guard.error();
    m_ssrfGuard = std::make_unique<adapters::SsrfGuard>(*guard);
    auto commands = jobs::ExecCommands::load(m_config.string("exec.commands_dir"));
    if (!commands)
        return makeError(commands.error().message + u" (exec.commands_dir)"_s);
    m_execCommands = *commands;
    if (!m_execCommands.isEmpty())
        qCInfo(lcMain).noquote() << "exec commands:" << m_execCommands.names().join(u", "_s);
    m_graceMs = m_config.milliseconds("shutdown.grace");
    m_agentId = QByteArray(8, Qt::Uninitialized);
    QRandomGenerator::system()->generate(m_agentId.begin(), m_agentId.end());
    m_agentId = m_agentId.toHex();
    m_shared = std::make_unique<AgentCell::Shared>(
        AgentCell::Shared{m_config, m_masterKey, *m_ssrfGuard, m_execCommands, m_agentId, {}});
    if (m_partitions.routed())
        m_shared->misplaced = [this](const Partition &self, const QString &tenant) {
            return misplaced(self, tenant);
        };
    for (const Partition &partition : m_partitions.partitions()) {
        m_cells.push_back(std::make_unique<AgentCell>(*m_shared, partition));
        if (auto created = m_cells.back()->create(); !created)
            return created;
    }
    createRouter();
    return {};
}

// Several databases: the router in front of their writers.
void AgentRuntime::createRouter()
{
    if (!m_partitions.routed())
        return;
    std::vector<ingest::EventSink *> writers;
    ingest::PartitionRouter::Options options;
    for (const auto &cell : m_cells) {
        writers.push_back(&cell->writer());
        options.databaseUrls.append(cell->partition().url);
        options.names.append(cell->partition().name);
    }
    options.connectTimeoutSeconds = connectTimeoutSeconds();
    options.refreshMs = m_config.milliseconds("ingest.tenant_refresh");
    options.retryAfterSeconds = retryAfterSeconds();
    options.partitionOf = [this](const QString &tenant) {
        return m_partitions.partitionOf(tenant);
    };
    m_router = std::make_unique<ingest::PartitionRouter>(std::move(writers), std::move(options));
}

// Why a tenant may not be created in `self`: the configuration places it elsewhere.
QString AgentRuntime::misplaced(const Partition &self, const QString &tenant) const
{
    const Partition *placed = m_partitions.placedElsewhere(tenant, self.name);
    if (!placed)
        return {};
    return u"database.partitions places tenant %1 in partition %2; create it through that "
           "partition's API%3"_s.arg(
               tenant, placed->name,
               placed->apiListen.isEmpty() ? QString() : u" (on %1)"_s.arg(placed->apiListen));
}

// The HTTP listener, in front of the cells' writers (or the router); provider webhooks go to
// the inbound receiver of their tenant's database.
Result<void> AgentRuntime::startHttpIngest()
{
    ingest::EventSink &sink =
        m_router ? static_cast<ingest::EventSink &>(*m_router) : m_cells.front()->writer();
    ingest::HttpIngest::Options hopts{listenerLimits(m_config, "http.max_body_bytes"),
                                      retryAfterSeconds(),
                                      std::nullopt,
                                      [this] { return unready(); },
                                      [this] { return degraded(); },
                                      [this](const QString &tenant) { return inboundFor(tenant); }};
    if (!m_config.string("http.certificate").isEmpty()) {
        auto tls = net::serverTls({m_config.string("http.certificate"),
                                   m_config.string("http.private_key"),
                                   m_config.string("http.client_ca"), u"http"_s});
        if (!tls)
            return tls.error();
        hopts.tls = *tls;
    }
    m_http = std::make_unique<ingest::HttpIngest>(sink, std::move(hopts));
    if (auto listening = m_http->listen(m_address, m_port); !listening)
        return makeError(
            u"cannot listen on %1 (http.listen): %2"_s.arg(m_listen, listening.error().message));
    return {};
}

inbound::InboundReceiver *AgentRuntime::inboundFor(const QString &tenant)
{
    return m_cells.at(size_t(m_partitions.partitionOf(tenant)))->inbound();
}

// What the systemd watchdog checks: only loops that stand still, not the database.
QString AgentRuntime::stalled(qint64 stuckMs) const
{
    QString why;
    for (const auto &cell : m_cells) {
        if (why.isEmpty())
            why = cell->stalled(stuckMs);
    }
    return why;
}

// Each database's reason not to take and deliver its tenants' events (its batch writer lanes
// and dispatch workers: a database, and a loop that still turns), named by partition when
// there are several; empty for those that can.
QStringList AgentRuntime::unreadyPartitions() const
{
    constexpr qint64 kStuckMs = 15000;
    QStringList why;
    for (const auto &cell : m_cells) {
        if (const QString reason = cell->unready(kStuckMs); !reason.isEmpty())
            why.append(m_partitions.routed()
                           ? u"partition %1: "_s.arg(cell->partition().name) + reason
                           : reason);
    }
    return why;
}

// What GET /readyz reports. With partitions the agent is ready while any of its databases
// takes events: one database away takes its own tenants' events, not the others', out of
// service (every agent shares it, so leaving them all unready would help no one).
QString AgentRuntime::unready() const
{
    const QStringList why = unreadyPartitions();
    return why.size() == qsizetype(m_cells.size()) ? why.join(u"; "_s) : QString();
}

QString AgentRuntime::degraded() const
{
    const QStringList why = unreadyPartitions();
    return why.size() < qsizetype(m_cells.size()) ? why.join(u"; "_s) : QString();
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
    zopts.partitionUrls = partitionUrls();
    zopts.partitionOf = [this](const QString &tenant) { return m_partitions.partitionOf(tenant); };
    ingest::EventSink &sink =
        m_router ? static_cast<ingest::EventSink &>(*m_router) : m_cells.front()->writer();
    m_zmq = std::make_unique<ingest::ZmqIngest>(sink, zopts);
    return m_zmq->start();
}

// The databases of database.partitions after main's.
QStringList AgentRuntime::partitionUrls() const
{
    QStringList urls;
    for (const Partition &partition : m_partitions.partitions().mid(1))
        urls.append(partition.url);
    return urls;
}

Result<void> AgentRuntime::startApis()
{
    if (m_config.string("api.certificate").isEmpty()) {
        qCInfo(lcMain) << "TLS API off: set api.certificate and api.private_key "
                          "('ferry-agent cert generate' writes a pair)";
        return {};
    }
    for (size_t i = 0; i < m_cells.size(); ++i) {
        if (m_deferred.contains(int(i)))
            continue; // with the cell, once its database is back
        if (auto started = m_cells[i]->startApi(); !started)
            return started;
    }
    return {};
}

Result<void> AgentRuntime::startMetrics()
{
    if (m_config.string("metrics.listen").isEmpty()) {
        qCInfo(lcMain) << "Prometheus endpoint off (metrics.listen is empty)";
        return {};
    }
    m_metricsServer = std::make_unique<metrics::MetricsServer>(
        metrics::AgentMetrics::instance(),
        metrics::MetricsServer::Options{
            m_config.string("metrics.listen"), m_config.string("database.url"), partitionUrls(),
            connectTimeoutSeconds(), m_config.milliseconds("metrics.refresh_interval"),
            listenerLimits(m_config, nullptr)});
    return m_metricsServer->start();
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
    qsizetype queued = 0;
    for (const auto &cell : m_cells)
        queued += cell->queued();
    if ((m_http->pendingResponses() > 0 || queued > 0) && m_shutdownClock.elapsed() < m_graceMs)
        return;
    m_drainTimer.stop();
    stopCells(&AgentCell::stopInbound);
    if (m_router)
        m_router->stop();
    stopCells(&AgentCell::stopWriter);
    // Answers of the last commits are queued to this thread: let them go out, then stop
    // dispatch (which finishes or releases its attempts within the grace period).
    QTimer::singleShot(50, [this] { stopStages(); });
}

void AgentRuntime::stopStages()
{
    stopWaiter();
    stopCells(&AgentCell::stopServices);
    if (m_metricsServer)
        m_metricsServer->stop();
    stopCells(&AgentCell::stopDispatch);
    stopCells(&AgentCell::stopHeartbeat); // a clean stop: off the registries
    qCInfo(lcMain) << "stopped";
    QCoreApplication::exit(0);
}

void AgentRuntime::stopCells(void (AgentCell::*step)())
{
    for (auto &cell : m_cells)
        ((*cell).*step)();
}

int AgentRuntime::exec()
{
    const int code = QCoreApplication::exec();
    stopWaiter();
    if (m_zmq)
        m_zmq->stop(0);
    stopCells(&AgentCell::stopInbound);
    if (m_router)
        m_router->stop();
    stopCells(&AgentCell::stopWriter);
    stopCells(&AgentCell::stopDispatch);
    return code;
}

} // namespace ferry::agent
