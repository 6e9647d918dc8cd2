#include "tests/chaos/chaossupport.h"

#include "agent/store/admin/credentialstore.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/admin/templatestore.h"
#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"
#include "tests/support/providersim.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <unistd.h>

using namespace Qt::StringLiterals;
namespace store = ferry::agent::store;

namespace ferry::chaos {

namespace {
constexpr char kSid[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kToken[] = "twilio-auth-token";
constexpr auto kTenant = "chaos"_L1;

QJsonDocument getJson(const QString &host, quint16 port, const QString &path)
{
    test::HttpRequest h;
    h.method = "GET";
    h.url = u"http://%1:%2%3"_s.arg(host).arg(port).arg(path);
    return QJsonDocument::fromJson(test::http(h, 30000).body);
}
} // namespace

bool longRun()
{
    return qgetenv("FERRY_CHAOS_LONG") == "1";
}

int scaled(int shortValue, int longValue)
{
    return longRun() ? longValue : shortValue;
}

QString sql(const QString &url, const QString &query)
{
    store::PgConnection db;
    if (!db.open(url))
        return u"<no connection>"_s;
    auto r = db.exec(query.toUtf8().constData());
    return r.ok() && r->rows() ? r->text(0, 0) : u"<error>"_s;
}

qint64 sqlCount(const QString &url, const QString &query)
{
    bool ok = false;
    const qint64 n = sql(url, query).toLongLong(&ok);
    return ok ? n : -1;
}

bool Agent::start()
{
    process = launcher.isEmpty()
                  ? std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env)
                  : std::make_unique<test::Process>(
                        launcher.first(),
                        launcher.mid(1) + QStringList{test::agentBinary(), u"run"_s}, env);
    return process->start() && test::waitForHealthy(http, 30000, host);
}

QString Agent::endpoint() const
{
    return u"tcp://%1:%2"_s.arg(host).arg(zmq);
}

bool Agent::ready() const
{
    test::HttpRequest h;
    h.method = "GET";
    h.url = u"http://%1:%2/readyz"_s.arg(host).arg(http);
    return test::http(h, 2000).status == 200;
}

Agent makeAgent(const QString &url, const QHash<QString, QString> &extra)
{
    Agent a;
    a.http = test::freePort();
    a.zmq = test::freePort();
    a.env = test::agentEnvironment(url, a.http, a.zmq);
    a.env.insert(u"FERRY_DISPATCH_LEASE"_s, u"3s"_s);
    a.env.insert(u"FERRY_WEBHOOK_TIMEOUT"_s, u"2s"_s);
    // Circuit breakers stay closed: these scenarios count losses, repeats and order under
    // crashes, and a breaker opened by the receiver's deliberate failures would only pause them
    // for its cool-down. A probe held by an agent that dies is tst_guards's
    // probeOfADeadAgentIsGivenUp.
    a.env.insert(u"FERRY_BREAKER_CONSECUTIVE_FAILURES"_s, u"100000"_s);
    a.env.insert(u"FERRY_BREAKER_MIN_REQUESTS"_s, u"1000000"_s);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        a.env.insert(it.key(), it.value());
    return a;
}

Agent makeAgentOnHost(const QString &url, int index, const QHash<QString, QString> &extra)
{
    Agent a = makeAgent(url, extra);
    a.host = u"10.77.%1.2"_s.arg(index);
    a.launcher = {u"ip"_s, u"netns"_s, u"exec"_s, u"ferry-host%1"_s.arg(index)};
    a.env.insert(u"FERRY_HTTP_LISTEN"_s, u"%1:%2"_s.arg(a.host).arg(a.http));
    a.env.insert(u"FERRY_ZMQ_LISTEN"_s, u"tcp://%1:%2"_s.arg(a.host).arg(a.zmq));
    a.env.insert(u"FERRY_METRICS_LISTEN"_s, u"%1:%2"_s.arg(a.host).arg(test::freePort()));
    a.env.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8,10.77.0.0/16"_s);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        a.env.insert(it.key(), it.value());
    return a;
}

namespace {
test::RunResult hostsScript(const QStringList &arguments)
{
    return test::run(u"bash"_s,
                     QStringList{QStringLiteral(FERRY_SOURCE_DIR) + u"/scripts/netns-hosts.sh"_s} +
                         arguments,
                     {}, 60000);
}
} // namespace

Hosts::Hosts(int count)
    : m_count(count)
{
    const auto r = hostsScript({u"up"_s, QString::number(count)});
    m_ok = r.exitCode == 0;
    if (!m_ok)
        qWarning().noquote() << "network namespaces not set up:" << r.err;
}

Hosts::~Hosts()
{
    hostsScript({u"down"_s, QString::number(m_count)});
}

bool Hosts::cut(int index) const
{
    return hostsScript({u"cut"_s, QString::number(index)}).exitCode == 0;
}

bool Hosts::restore(int index) const
{
    return hostsScript({u"restore"_s, QString::number(index)}).exitCode == 0;
}

QString Figures::line(const QString &scenario) const
{
    QString s = u"CHAOS %1: %2 events, %3 lost, %4 repeated webhook-ids"_s.arg(scenario)
                    .arg(events)
                    .arg(lost)
                    .arg(repeatedWebhookIds);
    if (repeatedIdempotencyKeys >= 0)
        s += u", %1 repeated SMS idempotency keys"_s.arg(repeatedIdempotencyKeys);
    if (reordered >= 0)
        s += u", %1 reordered on the ordered route"_s.arg(reordered);
    s += u", %1 dead, %2 attempts"_s.arg(dead).arg(attempts);
    if (!extra.isEmpty())
        s += u", "_s + extra;
    return s;
}

void report(const QString &scenario, const Figures &figures)
{
    reportLine(figures.line(scenario));
}

void reportLine(const QString &line)
{
    qInfo().noquote() << line;
    const QString path = qEnvironmentVariable("FERRY_CHAOS_REPORT");
    if (path.isEmpty())
        return;
    QFile file(path);
    if (file.open(QIODevice::Append | QIODevice::Text))
        file.write(line.toUtf8() + '\n');
    else
        qWarning().noquote() << "cannot append to FERRY_CHAOS_REPORT" << path;
}

// ---------------------------------------------------------------------------------------------

Scene::Scene() = default;
Scene::~Scene() = default;

quint16 Scene::startReceiver(const QStringList &endpointArgs, std::unique_ptr<test::Process> &out)
{
    const quint16 port = test::freePort();
    const QString host = m_options.receiverHost;
    const auto r =
        test::run(test::agentBinary(),
                  QStringList{u"endpoint"_s, u"add"_s, u"--tenant"_s, kTenant, u"--url"_s,
                              u"http://%1:%2/h"_s.arg(host).arg(port)} +
                      endpointArgs,
                  {{u"FERRY_DATABASE_URL"_s, m_url},
                   {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8,%1/32"_s.arg(host)}});
    if (r.exitCode != 0) {
        qWarning().noquote() << "endpoint add failed:" << r.err;
        return 0;
    }
    QStringList args{u"--listen"_s, u"%1:%2"_s.arg(host).arg(port), u"--secret"_s, r.out.trimmed()};
    if (m_options.failRate > 0)
        args << u"--fail-rate"_s << QString::number(m_options.failRate);
    out = std::make_unique<test::Process>(test::receiverBinary(), args + m_options.receiverArgs);
    return out->start() ? port : 0;
}

void Scene::setUp(const QString &url, const Options &options)
{
    m_url = url;
    m_options = options;
    QCOMPARE(
        test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, url}}).exitCode,
        0);
    QVERIFY(!test::createTenant(url, kTenant).isEmpty());
    m_tenantId = sqlCount(url, u"SELECT id FROM tenants WHERE name = 'chaos'"_s);
    m_receiverPort = startReceiver({}, m_receiver);
    QVERIFY(m_receiverPort != 0);
    if (options.ordered) {
        m_orderedPort = startReceiver({u"--ordered"_s}, m_orderedReceiver);
        QVERIFY(m_orderedPort != 0);
    }
    // Before the SMS route: once a secret is sealed, adding a producer needs the master key.
    m_credentials = test::addProducer(url, kTenant, 0);
    QVERIFY(!m_credentials.publicKey.isEmpty() || !m_credentials.token.isEmpty());
    if (options.sms)
        addSmsRoute();
}

void Scene::addSmsRoute()
{
    m_dir = std::make_unique<QTemporaryDir>();
    const QString keyFile = m_dir->filePath(u"master.key"_s);
    QCOMPARE(
        test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile}).exitCode, 0);
    m_sim = std::make_unique<test::ProviderSim>(QStringList{
        u"--twilio-account"_s, QLatin1StringView(kSid) + u":"_s + QLatin1StringView(kToken)});
    QVERIFY(m_sim->start());
    store::PgConnection db;
    QVERIFY(db.open(m_url));
    auto key = MasterKey::load(keyFile);
    QVERIFY(key);
    const QJsonObject secret{{u"account_sid"_s, QString::fromLatin1(kSid)},
                             {u"auth_token"_s, QString::fromLatin1(kToken)},
                             {u"from"_s, u"+15550001111"_s}};
    bool created = false;
    QVERIFY(store::CredentialStore(db, u"test"_s)
                .put(m_tenantId, kTenant, u"sms-main"_s, u"twilio"_s, secret,
                     store::AccountSettings{m_sim->baseUrl(), 0, 0}, *key, &created));
    store::StoredTemplate t;
    t.tenantId = m_tenantId;
    t.tenant = kTenant;
    t.channel = u"sms"_s;
    t.eventType = u"*"_s;
    t.parts.text = u"Order {{data.order}} is on its way"_s;
    QVERIFY(store::TemplateStore(db, u"test"_s).put(t, nullptr, &created));
    store::Route route;
    route.tenantId = m_tenantId;
    route.tenant = kTenant;
    route.channel = u"sms"_s;
    route.target = u"{{data.phone}}"_s;
    route.credential = u"sms-main"_s;
    auto r = store::RouteStore(db, u"test"_s, nullptr).create(route, nullptr);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
}

QHash<QString, QString> Scene::agentEnv() const
{
    if (!m_dir)
        return {};
    return {{u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, m_dir->filePath(u"master.key"_s)}};
}

QByteArray Scene::event(int i) const
{
    return u"{\"specversion\":\"1.0\",\"id\":\"c-%1\",\"source\":\"/chaos\","
           "\"type\":\"order.shipped\",\"partitionkey\":\"k%2\",\"data\":{\"order\":%1,"
           "\"phone\":\"+1415555%3\"}}"_s.arg(i)
               .arg(i % std::max(1, m_options.partitionKeys))
               .arg(1000 + i % 9000, 4, 10, QLatin1Char('0'))
               .toUtf8();
}

QJsonObject Scene::receiverStats(bool ordered) const
{
    return getJson(m_options.receiverHost, ordered ? m_orderedPort : m_receiverPort, u"/stats"_s)
        .object();
}

QHash<QString, int> Scene::receiverSuccesses(bool ordered) const
{
    QHash<QString, int> out;
    const QJsonArray list =
        getJson(m_options.receiverHost, ordered ? m_orderedPort : m_receiverPort, u"/received"_s)
            .array();
    for (const QJsonValue &v : list)
        out.insert(v["webhook_id"_L1].toString(), v["count"_L1].toInt());
    return out;
}

namespace {
// SMS messages the simulator accepted, and how many distinct idempotency keys they carried.
std::pair<qint64, qint64> smsCounts(const test::ProviderSim &sim)
{
    const QJsonObject twilio = sim.stats(u"twilio"_s);
    QSet<QString> keys;
    for (const QJsonValue &m : twilio.value("messages"_L1).toArray())
        keys.insert(m["idempotency_key"_L1].toString());
    return {twilio.value("accepted"_L1).toInteger(), keys.size()};
}
} // namespace

qint64 Scene::delivered() const
{
    qint64 n = receiverStats().value("distinct_webhook_ids"_L1).toInteger();
    if (m_options.ordered)
        n += receiverStats(true).value("distinct_webhook_ids"_L1).toInteger();
    if (m_sim)
        n += smsCounts(*m_sim).second;
    return n;
}

void Scene::waitForDrain(int events, int timeoutMs)
{
    const auto pending = [this] {
        return sqlCount(m_url, u"SELECT count(*) FROM delivery_queue WHERE state <> 'dead'"_s);
    };
    QTRY_COMPARE_WITH_TIMEOUT(sqlCount(m_url, u"SELECT count(*) FROM deliveries"_s),
                              qint64(events) * routes(), timeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(pending(), 0, timeoutMs);
}

qint64 Scene::reorderedArrivals() const
{
    store::PgConnection db;
    if (!db.open(m_url))
        return -1;
    auto r = db.exec("SELECT e.partition_key, string_agg(e.ce_id, ',' ORDER BY d.seq) "
                     "FROM deliveries d JOIN events e ON e.id = d.event_id "
                     "JOIN endpoints ep ON ep.id = d.endpoint_id WHERE ep.ordered "
                     "GROUP BY e.partition_key");
    if (!r)
        return -1;
    const QJsonObject arrived =
        getJson(m_options.receiverHost, m_orderedPort, u"/order"_s).object();
    qint64 reordered = 0;
    for (int row = 0; row < r->rows(); ++row) {
        QHash<QString, int> rank; // event id -> its place in the stored order
        const QStringList stored = r->text(row, 1).split(u',');
        for (int i = 0; i < stored.size(); ++i)
            rank.insert(stored[i], i);
        const QJsonArray got = arrived.value(r->text(row, 0)).toArray();
        for (qsizetype i = 1; i < got.size(); ++i) {
            if (rank.value(got[i].toString(), -1) < rank.value(got[i - 1].toString(), -1))
                ++reordered;
        }
    }
    return reordered;
}

qint64 Scene::repeatsNotFromInFlight() const
{
    QStringList repeated;
    for (bool ordered : {false, true}) {
        if (ordered && !m_options.ordered)
            continue;
        const auto successes = receiverSuccesses(ordered);
        for (auto it = successes.constBegin(); it != successes.constEnd(); ++it) {
            if (it.value() > 1)
                repeated.append(it.key());
        }
    }
    if (repeated.isEmpty())
        return 0;
    return sqlCount(
        m_url, u"SELECT count(*) FROM unnest('{%1}'::uuid[]) r(id) WHERE NOT EXISTS "
               "(SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = r.id AND "
               "(a.outcome IN ('lease_expired', 'released') OR (a.outcome IN "
               "('retryable', 'unknown') AND a.status_code IS NULL)))"_s.arg(repeated.join(u',')));
}

void Scene::measure(int events, Figures &f, qint64 expectedDead)
{
    f.events = events;
    // Every queue is empty: nothing ready, leased or held, every partition let go, every
    // acknowledged event stored and routed to each route.
    [&] {
        QCOMPARE(sqlCount(m_url, u"SELECT count(*) FROM events"_s), qint64(events));
        QCOMPARE(sqlCount(m_url, u"SELECT count(*) FROM deliveries"_s), qint64(events) * routes());
        QCOMPARE(sqlCount(m_url, u"SELECT count(*) FROM delivery_queue WHERE state <> 'dead'"_s),
                 0);
        QCOMPARE(sqlCount(m_url, u"SELECT count(*) FROM deliveries WHERE state NOT IN "
                                 "('succeeded', 'dead', 'discarded')"_s),
                 0);
        QCOMPARE(sqlCount(m_url, u"SELECT count(*) FROM partitions WHERE open > 0"_s), 0);
    }();
    f.dead = sqlCount(m_url, u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s);
    f.attempts = sqlCount(m_url, u"SELECT count(*) FROM delivery_attempts"_s);
    const QJsonObject plain = receiverStats();
    QCOMPARE(plain.value("bad_signatures"_L1).toInt(), 0);
    f.repeatedWebhookIds = plain.value("duplicates"_L1).toInteger();
    if (m_options.ordered) {
        const QJsonObject ordered = receiverStats(true);
        f.repeatedWebhookIds += ordered.value("duplicates"_L1).toInteger();
        f.reordered = reorderedArrivals();
    }
    if (m_sim) {
        const auto [accepted, distinct] = smsCounts(*m_sim);
        f.repeatedIdempotencyKeys = accepted - distinct;
    }
    f.lost = qint64(events) * routes() - f.dead - delivered();
    QCOMPARE(f.lost, 0);
    QCOMPARE(f.dead, expectedDead);
    if (m_options.ordered)
        QCOMPARE(f.reordered, 0);
}

qint64 attemptsOf(const Agent &agent)
{
    test::HttpRequest h;
    h.method = "GET";
    h.url = u"http://%1/metrics"_s.arg(agent.env.value(u"FERRY_METRICS_LISTEN"_s));
    const auto r = test::http(h, 5000);
    if (r.status != 200)
        return -1;
    qint64 sum = 0;
    for (const QByteArray &line : r.body.split('\n')) {
        if (line.startsWith("ferry_delivery_attempts_total"))
            sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return sum;
}

void publishRange(Producer &producer, const Scene &scene, int from, int to, PublishCount &count)
{
    for (int i = from; i < to; ++i)
        producer.publish(scene.event(i), [&count](const PublishResult &r) {
            (r.ok() ? count.acked : count.failed)++;
        });
}

// ---------------------------------------------------------------------------------------------

Snapshot::Snapshot(QString url)
    : m_url(std::move(url))
{
    sql(m_url, u"CREATE TABLE IF NOT EXISTS chaos_leased (label int, delivery_id uuid, "
               "attempt int)"_s);
}

qint64 Snapshot::takeLeased(int label)
{
    return sqlCount(m_url, u"WITH s AS (INSERT INTO chaos_leased SELECT %1, delivery_id, "
                           "attempts FROM delivery_queue WHERE state = 'leased' RETURNING 1) "
                           "SELECT count(*) FROM s"_s.arg(label));
}

qint64 Snapshot::labelsWithExpiredLease() const
{
    return sqlCount(m_url, u"SELECT count(DISTINCT s.label) FROM chaos_leased s JOIN "
                           "delivery_attempts a ON a.delivery_id = s.delivery_id AND a.attempt = "
                           "s.attempt AND a.outcome = 'lease_expired'"_s);
}

// ---------------------------------------------------------------------------------------------

class TcpProxy::Worker : public QObject
{
public:
    quint16 targetPort = 0;
    QTcpServer server;
    QList<QPair<QPointer<QTcpSocket>, QPointer<QTcpSocket>>> pairs;
    QList<QPointer<QTcpSocket>> held; // accepted while cut: never answered
    bool isCut = false;

    void accept()
    {
        while (QTcpSocket *client = server.nextPendingConnection()) {
            if (isCut) {
                held.append(client);
                continue;
            }
            auto *upstream = new QTcpSocket(client);
            pairs.append(qMakePair(QPointer<QTcpSocket>(client), QPointer<QTcpSocket>(upstream)));
            forward(client, upstream);
            forward(upstream, client);
            upstream->connectToHost(QHostAddress::LocalHost, targetPort);
        }
    }

    // Bytes from `from` go to `to`; either side closing closes the other.
    void forward(QTcpSocket *from, QTcpSocket *to)
    {
        QObject::connect(from, &QTcpSocket::readyRead, this, [from, to] {
            if (to->state() == QAbstractSocket::ConnectedState)
                to->write(from->readAll());
        });
        QObject::connect(to, &QTcpSocket::connected, this, [from, to] {
            if (from->bytesAvailable())
                to->write(from->readAll());
        });
        QObject::connect(from, &QTcpSocket::disconnected, to, &QTcpSocket::disconnectFromHost);
        QObject::connect(from, &QTcpSocket::errorOccurred, to, [to] { to->abort(); });
    }

    void cut()
    {
        isCut = true;
        for (auto &[client, upstream] : pairs) {
            if (client)
                client->abort();
            if (upstream)
                upstream->abort();
            if (client)
                client->deleteLater();
        }
        pairs.clear();
    }

    void restore()
    {
        isCut = false;
        for (auto &socket : held) {
            if (socket) {
                socket->abort();
                socket->deleteLater();
            }
        }
        held.clear();
    }

    int open() const
    {
        int n = 0;
        for (const auto &[client, upstream] : pairs)
            n += client && client->state() == QAbstractSocket::ConnectedState;
        return n;
    }
};

TcpProxy::TcpProxy(quint16 targetPort)
    : m_targetPort(targetPort)
{}

TcpProxy::~TcpProxy()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &QObject::deleteLater);
    m_thread.quit();
    m_thread.wait();
}

bool TcpProxy::start()
{
    m_port = test::freePort();
    m_worker = new Worker;
    m_worker->targetPort = m_targetPort;
    m_worker->moveToThread(&m_thread);
    m_worker->server.moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_worker,
        [this, &ok] {
            QObject::connect(&m_worker->server, &QTcpServer::newConnection, m_worker,
                             [w = m_worker] { w->accept(); });
            ok = m_worker->server.listen(QHostAddress::LocalHost, m_port);
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

QString TcpProxy::through(const QString &url) const
{
    QUrl u(url);
    u.setPort(m_port);
    return u.toString();
}

void TcpProxy::cut()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->cut(); }, Qt::BlockingQueuedConnection);
}

void TcpProxy::restore()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->restore(); }, Qt::BlockingQueuedConnection);
}

int TcpProxy::connections() const
{
    int n = 0;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, &n] { n = w->open(); }, Qt::BlockingQueuedConnection);
    return n;
}

// ---------------------------------------------------------------------------------------------

QSet<quint16> localPortsOf(int pid)
{
    QSet<QString> inodes; // the process's sockets
    const QDir fds(u"/proc/%1/fd"_s.arg(pid));
    for (const QString &fd : fds.entryList(QDir::System | QDir::NoDotAndDotDot)) {
        char link[64] = {};
        const QByteArray path = fds.filePath(fd).toLocal8Bit();
        const ssize_t n = ::readlink(path.constData(), link, sizeof link - 1);
        const QByteArray name(link, n > 0 ? n : 0);
        if (name.startsWith("socket:["))
            inodes.insert(QString::fromLatin1(name.mid(8, name.size() - 9)));
    }
    QSet<quint16> ports;
    QFile tcp(u"/proc/%1/net/tcp"_s.arg(pid));
    if (!tcp.open(QIODevice::ReadOnly))
        return ports;
    tcp.readLine(); // header
    while (!tcp.atEnd()) {
        const QStringList cols = QString::fromLatin1(tcp.readLine()).simplified().split(u' ');
        if (cols.size() > 9 && inodes.contains(cols[9]))
            ports.insert(cols[1].section(u':', 1).toUShort(nullptr, 16));
    }
    return ports;
}

} // namespace ferry::chaos
