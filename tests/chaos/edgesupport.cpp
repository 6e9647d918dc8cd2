#include "tests/chaos/edgesupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::test::edges {

void report(const QString &scenario, const QString &figures)
{
    chaos::reportLine(u"CHAOS %1: %2"_s.arg(scenario, figures));
}

bool migrate(const TestDatabase &db)
{
    return db.ok() &&
           run(agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}}).exitCode == 0;
}

AgentProcess::AgentProcess(const QString &databaseUrl, const QHash<QString, QString> &extra)
    : http(freePort())
    , zmq(freePort())
    , env(agentEnvironment(databaseUrl, http, zmq))
{
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        env.insert(it.key(), it.value());
}

bool AgentProcess::start()
{
    process = std::make_unique<Process>(agentBinary(), QStringList{u"run"_s}, env);
    if (process->start() && waitForHealthy(http, 30000))
        return true;
    qWarning().noquote() << "the agent did not start:" << process->output();
    return false;
}

ReceiverRoute ReceiverRoute::make(const QString &databaseUrl, const QString &tenant,
                                  const QStringList &routeArgs, const QStringList &receiverArgs)
{
    ReceiverRoute r;
    r.token = createTenant(databaseUrl, tenant);
    r.port = freePort();
    const auto added = run(agentBinary(),
                           QStringList{u"endpoint"_s, u"add"_s, u"--tenant"_s, tenant, u"--url"_s,
                                       u"http://127.0.0.1:%1/h"_s.arg(r.port)} +
                               routeArgs,
                           {{u"FERRY_DATABASE_URL"_s, databaseUrl},
                            {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s}});
    if (r.token.isEmpty() || added.exitCode != 0) {
        qWarning().noquote() << "cannot make tenant" << tenant << ":" << added.err;
        return r;
    }
    r.receiver = std::make_shared<Process>(receiverBinary(),
                                           QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(r.port),
                                                       u"--secret"_s, added.out.trimmed()} +
                                               receiverArgs);
    if (r.receiver->start())
        r.tenant = tenant;
    return r;
}

namespace {

QByteArray get(quint16 port, const QString &path)
{
    HttpRequest h;
    h.method = "GET";
    h.url = u"http://127.0.0.1:%1%2"_s.arg(port).arg(path);
    return http(h, 10000).body;
}

// Deliveries processed before an earlier delivery of their partition (by ingest order).
int countReordered(const QHash<QString, QStringList> &expected, const QJsonObject &got)
{
    int reordered = 0;
    for (auto it = got.constBegin(); it != got.constEnd(); ++it) {
        const QStringList &want = expected.value(it.key());
        qsizetype last = -1;
        for (const auto &id : it.value().toArray()) {
            const qsizetype at = want.indexOf(id.toString());
            if (at < last)
                ++reordered;
            last = std::max(last, at);
        }
    }
    return reordered;
}

} // namespace

QJsonObject ReceiverRoute::stats() const
{
    return QJsonDocument::fromJson(get(port, u"/stats"_s)).object();
}

QJsonObject ReceiverRoute::order() const
{
    return QJsonDocument::fromJson(get(port, u"/order"_s)).object();
}

int unexplainedRepeats(const TestDatabase &db, const ReceiverRoute &route)
{
    QHash<QString, int> repeats;
    const auto received = QJsonDocument::fromJson(get(route.port, u"/received"_s)).array();
    for (const auto &v : received) {
        if (v[u"count"_s].toInt() > 1)
            repeats.insert(v[u"event_id"_s].toString(), v[u"count"_s].toInt() - 1);
    }
    int unexplained = 0;
    for (auto it = repeats.constBegin(); it != repeats.constEnd(); ++it) {
        const int unanswered =
            db.scalar(u"SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = "
                      "a.delivery_id JOIN events e ON e.id = d.event_id WHERE e.ce_id = '%1' AND "
                      "a.status_code IS NULL AND a.outcome <> 'succeeded'"_s.arg(it.key()))
                .toInt();
        unexplained += std::max(0, it.value() - unanswered);
    }
    return unexplained;
}

QString attemptsOfRepeats(const TestDatabase &db, const ReceiverRoute &route)
{
    QStringList ids;
    const auto received = QJsonDocument::fromJson(get(route.port, u"/received"_s)).array();
    for (const auto &v : received) {
        if (v[u"count"_s].toInt() > 1)
            ids.append(u"'%1'"_s.arg(v[u"event_id"_s].toString()));
    }
    if (ids.isEmpty())
        return {};
    return db.scalar(u"SELECT string_agg(e.ce_id || ' #' || a.attempt || ' ' || a.outcome || ' ' "
                     "|| coalesce(a.status_code::text, '-') || ' ' || coalesce(a.error, '') || ' "
                     "' || a.duration_ms || 'ms', E'\\n' ORDER BY e.ce_id, a.attempt) FROM "
                     "delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e "
                     "ON e.id = d.event_id WHERE e.ce_id IN (%1)"_s.arg(ids.join(u',')));
}

QString openWork(const TestDatabase &db, const QString &tenant)
{
    return db.scalar(u"SELECT count(*) FROM delivery_queue q JOIN tenants t ON t.id = "
                     "q.tenant_id WHERE t.name = '%1' AND q.state <> 'dead'"_s.arg(tenant));
}

Tally tally(const TestDatabase &db, const ReceiverRoute &route)
{
    const QString of =
        u"JOIN tenants t ON t.id = x.tenant_id WHERE t.name = '%1'"_s.arg(route.tenant);
    const auto count = [&](const QString &what, const QString &table, const QString &where = {}) {
        return db.scalar(u"SELECT %1 FROM %2 x %3 %4"_s.arg(what, table, of, where)).toInt();
    };
    Tally t;
    t.events = count(u"count(*)"_s, u"events"_s);
    t.distinctIds = count(u"count(DISTINCT ce_id)"_s, u"events"_s);
    t.deliveries = count(u"count(*)"_s, u"deliveries"_s);
    t.succeeded = count(u"count(*)"_s, u"deliveries"_s, u"AND x.state = 'succeeded'"_s);
    t.dead = count(u"count(*)"_s, u"deliveries"_s, u"AND x.state = 'dead'"_s);
    t.queued = openWork(db, route.tenant).toInt();
    // What the receiver processed, by webhook-id, against what the agent recorded as delivered.
    QSet<QString> processed;
    const auto received = QJsonDocument::fromJson(get(route.port, u"/received"_s)).array();
    for (const auto &v : received) {
        processed.insert(v[u"event_id"_s].toString());
        t.repeated += std::max(0, v[u"count"_s].toInt() - 1);
    }
    const QStringList delivered =
        db.scalar(u"SELECT string_agg(e.ce_id, ',') FROM deliveries x JOIN events e ON e.id = "
                  "x.event_id %1 AND x.state = 'succeeded'"_s.arg(of))
            .split(u',', Qt::SkipEmptyParts);
    for (const QString &id : delivered)
        t.lost += processed.contains(id) ? 0 : 1;
    t.badSignatures = route.stats().value("bad_signatures"_L1).toInt();
    // On an ordered route: ingest order per partition, against the order the receiver first
    // processed them in.
    if (db.scalar(u"SELECT bool_or(x.ordered) FROM endpoints x %1"_s.arg(of)) != u"t"_s)
        return t;
    QHash<QString, QStringList> expected;
    const QString rows = db.scalar(
        u"SELECT string_agg(e.partition_key || '=' || e.ce_id, ',' ORDER BY x.seq) FROM "
        "deliveries x JOIN events e ON e.id = x.event_id %1 AND e.partition_key IS NOT NULL"_s.arg(
            of));
    for (const QString &row : rows.split(u',', Qt::SkipEmptyParts))
        expected[row.section(u'=', 0, 0)].append(row.section(u'=', 1));
    t.reordered = countReordered(expected, route.order());
    return t;
}

QString Tally::figures() const
{
    return u"%1 events, %2 lost, %3 repeated webhook-ids, %4 reordered, %5 delivered, %6 dead, "
           "%7 left in the queue"_s.arg(events)
               .arg(lost)
               .arg(repeated)
               .arg(reordered)
               .arg(succeeded)
               .arg(dead)
               .arg(queued);
}

CuttingProxy::CuttingProxy(quint16 target)
    : m_target(target)
{
    connect(&m_server, &QTcpServer::newConnection, this, &CuttingProxy::accept);
}

bool CuttingProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, freePort());
}

void CuttingProxy::accept()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto pair = std::make_shared<Pair>();
        pair->client = client;
        pair->upstream = new QTcpSocket(client); // goes with the client
        QTcpSocket *up = pair->upstream;
        connect(client, &QTcpSocket::readyRead, this, [this, pair] {
            if (pair->upstream && pair->upstream->state() == QAbstractSocket::ConnectedState)
                forward(pair->client, pair->upstream);
            else if (pair->client)
                pair->pending += pair->client->readAll();
        });
        connect(up, &QTcpSocket::connected, this, [this, pair] {
            m_bytes += pair->upstream->write(std::exchange(pair->pending, {}));
            forward(pair->client, pair->upstream);
        });
        connect(up, &QTcpSocket::readyRead, this, [this, pair] {
            if (m_dropAnswers)
                m_dropped += pair->upstream->readAll().size();
            else
                forward(pair->upstream, pair->client);
        });
        const auto close = [pair] {
            if (pair->client)
                pair->client->abort();
            if (pair->client)
                pair->client->deleteLater();
        };
        connect(client, &QTcpSocket::disconnected, this, close);
        connect(up, &QTcpSocket::disconnected, this, close);
        connect(up, &QTcpSocket::errorOccurred, this, close);
        up->connectToHost(QHostAddress::LocalHost, m_target);
        m_pairs.append(pair);
    }
}

void CuttingProxy::forward(QTcpSocket *from, QTcpSocket *to)
{
    if (from && to)
        m_bytes += to->write(from->readAll());
}

int CuttingProxy::cut()
{
    int open = 0;
    for (const auto &pair : std::exchange(m_pairs, {})) {
        if (!pair->client)
            continue;
        ++open;
        if (pair->upstream)
            pair->upstream->abort();
        if (pair->client) {
            pair->client->abort();
            pair->client->deleteLater();
        }
    }
    return open;
}

} // namespace ferry::test::edges
