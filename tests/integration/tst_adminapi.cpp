// The installation routes of the API against real agents and PostgreSQL (docs/api.md): API
// tokens made, listed and revoked over the API (the secret shown once, a revoked token refused
// at once, scoped admins kept to their tenant, every change audited); the DLQ's triage groups
// (counts, first and last seen, the newest error, masked targets, tenant scope) and replaying
// one group by its filter, dry run first; and the registry of agents (two agents alive, one
// gone after a clean stop, one shown dead after kill -9, old rows purged, singleton jobs).
#include "agent/store/admin/agentstore.h"
#include "agent/store/pgconnection.h"
#include "tests/support/apitest.h"
#include "tests/support/liveclient.h"
#include "tests/support/testsupport.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// A seeded triage group: `count` dead deliveries of one route that died for one reason, one a
// minute from `base` on; the newest one's error is "HTTP 503 (<key>/<count>)".
struct Group
{
    QString key;
    QString tenant;
    qint64 endpoint = 0;
    QString reason; // empty: none recorded (NULL)
    int count = 0;
    QDateTime base;

    QDateTime firstSeen() const { return base.addSecs(60); }
    QDateTime lastSeen() const { return base.addSecs(60LL * count); }
    QString lastError() const { return u"HTTP 503 (%1/%2)"_s.arg(key).arg(count); }
};

} // namespace

class TestAdminApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_httpPort = 0;
    quint16 m_apiPort = 0;
    QByteArray m_admin;        // unscoped
    QByteArray m_viewer;       // unscoped
    QByteArray m_acmeAdmin;    // scoped to acme
    QByteArray m_acmeOperator; // scoped to acme
    QList<Group> m_groups;
    QDateTime m_t0;
    std::pair<qint64, QByteArray> m_made; // a token POST /v1/tokens made: id, secret
    qint64 m_openRoute = 0;               // its breaker is open
    qint64 m_disabledRoute = 0;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }

    test::HttpResponse api(const QByteArray &method, const QString &path, const QByteArray &token,
                           const QByteArray &body = {})
    {
        return test::ApiEndpoint{m_apiPort, m_dir.filePath(u"api.crt"_s)}.call(method, path, token,
                                                                               body);
    }

    QByteArray cliToken(const QString &role, const QString &tenant = {})
    {
        return test::cliToken(m_db->url(), role, tenant);
    }

    qint64 tokenIdOf(const QByteArray &token)
    {
        return test::jsonObject(api("GET", u"/v1/whoami"_s, token))
            .value("token_id"_L1)
            .toInteger();
    }

    // An agent of the test's database: its own ports, a heartbeat every second.
    QHash<QString, QString> agentEnv(quint16 httpPort) const
    {
        auto e = test::agentEnvironment(m_db->url(), httpPort);
        e.insert(u"FERRY_AGENTS_HEARTBEAT"_s, u"1s"_s);
        e.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s); // the DLQ stays as seeded
        return e;
    }

    qint64 addRoute(const QString &tenant, const QString &url)
    {
        return m_db
            ->scalar(u"INSERT INTO endpoints (tenant_id, url, secret) SELECT id, '%2', "
                     "'whsec_AAAA' FROM tenants WHERE name = '%1' RETURNING id"_s.arg(tenant, url))
            .toLongLong();
    }

    bool seed(const Group &g)
    {
        return m_db->exec(
            u"WITH ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
            "  SELECT gen_random_uuid(), t.id, '/seed', '%1/' || i, 'order.created', '{}' "
            "  FROM tenants t, generate_series(1, %2) i WHERE t.name = '%3' "
            "  RETURNING id, tenant_id, ce_id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, attempts, "
            "  dead_reason, last_error, finished_at) "
            "SELECT id, %4, tenant_id, 'dead', 3, %5, 'HTTP 503 (' || ce_id || ')', "
            "  timestamptz '%6' + split_part(ce_id, '/', 2)::int * interval '1 minute' FROM ev"_s
                .arg(g.key)
                .arg(g.count)
                .arg(g.tenant)
                .arg(g.endpoint)
                .arg(g.reason.isEmpty() ? u"NULL"_s : u"'%1'"_s.arg(g.reason),
                     g.base.toString(Qt::ISODate)));
    }

    // Two routes of each tenant, each with dead deliveries of two reasons, and one group
    // without a recorded reason; a breaker open on one route, another route disabled.
    bool seedGroups()
    {
        m_t0 = QDateTime::currentDateTimeUtc().addDays(-2);
        m_t0.setTime(QTime(m_t0.time().hour(), 0));
        const qint64 routes[] = {
            addRoute(u"acme"_s, u"https://hooks.example.com/acme?key=s3cret"_s),
            addRoute(u"acme"_s, u"https://erp.example.com/in?token=abc123"_s),
            addRoute(u"beta"_s, u"https://hooks.example.com/beta?key=b3ta"_s),
            addRoute(u"beta"_s, u"https://partner.example.com/b"_s)};
        m_openRoute = routes[0];
        m_disabledRoute = routes[1];
        const int counts[] = {6, 5, 4, 3, 10, 9, 8, 7};
        int n = 0;
        for (int r = 0; r < 4; ++r) {
            for (const QString &reason : {u"http_5xx"_s, u"no_response"_s}) {
                m_groups.append({u"g%1"_s.arg(n), r < 2 ? u"acme"_s : u"beta"_s, routes[r], reason,
                                 counts[n], m_t0.addSecs(3600LL * n)});
                ++n;
            }
        }
        m_groups.append({u"g8"_s, u"acme"_s, routes[1], QString(), 2, m_t0.addSecs(3600LL * 8)});
        for (const Group &g : std::as_const(m_groups)) {
            if (!seed(g))
                return false;
        }
        return m_db->exec(u"INSERT INTO guard_breakers (scope, id, state, retry_at) VALUES "
                          "('endpoint', %1, 'open', now() + interval '1 hour');"
                          "UPDATE endpoints SET enabled = false WHERE id = %2"_s.arg(m_openRoute)
                              .arg(m_disabledRoute));
    }

    const Group &group(const QString &key) const
    {
        for (const Group &g : m_groups) {
            if (g.key == key)
                return g;
        }
        Q_UNREACHABLE();
    }

    // The item of GET /v1/dlq/groups for the seeded group, or an empty object.
    static QJsonObject itemOf(const QJsonArray &list, const Group &g)
    {
        for (const QJsonValue &v : list) {
            const QJsonObject o = v.toObject();
            if (o.value("endpoint"_L1).toInteger() == g.endpoint &&
                o.value("reason"_L1).toString() == g.reason)
                return o;
        }
        return {};
    }

    QJsonObject agentItem(const QJsonArray &list, const QString &id) const
    {
        for (const QJsonValue &v : list) {
            if (v.toObject().value("id"_L1).toString() == id)
                return v.toObject();
        }
        return {};
    }

    QJsonArray agents() { return test::jsonItems(api("GET", u"/v1/agents"_s, m_viewer)); }

    // The id of the registry row with this process id ("" while there is none).
    QString agentIdOf(int pid)
    {
        for (const QJsonValue &v : agents()) {
            if (v.toObject().value("pid"_L1).toInteger() == pid)
                return v.toObject().value("id"_L1).toString();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"adminapi"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        for (const QString &t : {u"acme"_s, u"beta"_s})
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
        QCOMPARE(test::run(test::agentBinary(),
                           {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
                     .exitCode,
                 0);
        m_admin = cliToken(u"admin"_s);
        m_viewer = cliToken(u"viewer"_s);
        m_acmeAdmin = cliToken(u"admin"_s, u"acme"_s);
        m_acmeOperator = cliToken(u"operator"_s, u"acme"_s);
        for (const QByteArray &t : {m_admin, m_viewer, m_acmeAdmin, m_acmeOperator})
            QVERIFY(t.startsWith("fat_"));
        m_httpPort = test::freePort();
        m_apiPort = test::freePort();
        auto e = agentEnv(m_httpPort);
        test::addApi(e, m_apiPort, m_dir.path());
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QTRY_VERIFY_WITH_TIMEOUT(api("GET", u"/v1/whoami"_s, {}).status == 401, 20000);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output().right(3000)));
    }

    void aNewTokenWorksAndIsListedWithoutItsSecret()
    {
        const auto made = api("POST", u"/v1/tokens"_s, m_admin,
                              R"({"role":"operator","tenant":"acme","name":"console of ana"})");
        QCOMPARE(made.status, 201);
        const QJsonObject o = test::jsonObject(made);
        const QByteArray secret = o.value("token"_L1).toString().toUtf8();
        const qint64 id = o.value("id"_L1).toInteger();
        QVERIFY2(secret.startsWith("fat_") && id > 0, made.body.constData());
        m_made = {id, secret};
        QCOMPARE(o.value("role"_L1).toString(), u"operator"_s);
        QCOMPARE(o.value("tenant"_L1).toString(), u"acme"_s);
        QCOMPARE(o.value("name"_L1).toString(), u"console of ana"_s);
        QCOMPARE(o.value("revoked"_L1).toBool(true), false);

        // It works, with the role and scope asked for.
        const auto who = test::jsonObject(api("GET", u"/v1/whoami"_s, secret));
        QCOMPARE(who.value("role"_L1).toString(), u"operator"_s);
        QCOMPARE(who.value("tenant"_L1).toString(), u"acme"_s);

        // Listed without its secret or hash; only the hash is stored.
        const QByteArray hash = QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
        QCOMPARE(m_db->scalar(
                     u"SELECT encode(token_hash, 'hex') FROM api_tokens WHERE id = %1"_s.arg(id)),
                 QString::fromLatin1(hash.toHex()));
        const auto list = api("GET", u"/v1/tokens"_s, m_admin);
        QCOMPARE(list.status, 200);
        QVERIFY(!list.body.contains(secret) && !list.body.contains(hash.toHex()));
        QVERIFY(!list.body.contains("\"token\"") && !list.body.contains("hash"));
        QJsonObject listed;
        for (const QJsonValue &v : test::jsonItems(list)) {
            if (v.toObject().value("id"_L1).toInteger() == id)
                listed = v.toObject();
        }
        QCOMPARE(listed.value("name"_L1).toString(), u"console of ana"_s);
        QCOMPARE(listed.value("role"_L1).toString(), u"operator"_s);
        QCOMPARE(listed.value("tenant"_L1).toString(), u"acme"_s);
        QVERIFY(!listed.value("created_at"_L1).toString().isEmpty());
        QCOMPARE(listed.value("revoked"_L1).toBool(true), false);
    }

    void aRevokedTokenIsRefusedAtOnceAndTheChangesAudited()
    {
        const auto [id, secret] = m_made;
        QVERIFY(id > 0);
        QCOMPARE(api("GET", u"/v1/whoami"_s, secret).status, 200);
        // Revoked: refused at once, on every route.
        QCOMPARE(api("DELETE", u"/v1/tokens/%1"_s.arg(id), m_admin).status, 204);
        QCOMPARE(api("GET", u"/v1/whoami"_s, secret).status, 401);
        QCOMPARE(api("GET", u"/v1/dlq"_s, secret).status, 401);
        QJsonObject after;
        for (const QJsonValue &v : test::jsonItems(api("GET", u"/v1/tokens"_s, m_admin))) {
            if (v.toObject().value("id"_L1).toInteger() == id)
                after = v.toObject();
        }
        QCOMPARE(after.value("revoked"_L1).toBool(), true);
        QVERIFY(!after.value("revoked_at"_L1).toString().isEmpty());
        const auto again = api("DELETE", u"/v1/tokens/%1"_s.arg(id), m_admin);
        QCOMPARE(again.status, 409);
        QVERIFY(again.body.contains("already-revoked"));
        QCOMPARE(api("DELETE", u"/v1/tokens/987654"_s, m_admin).status, 404);

        // Both changes are audited, by the calling token, without the secret.
        const QString actor = u"api:token/%1"_s.arg(tokenIdOf(m_admin));
        QCOMPARE(m_db->scalar(u"SELECT actor || ' ' || (details->>'role') || ' ' || "
                              "(details->>'tenant') || ' ' || (details->>'name') FROM audit_log "
                              "WHERE action = 'token.create' AND subject = '%1'"_s.arg(id)),
                 actor + u" operator acme console of ana"_s);
        QCOMPARE(m_db->scalar(u"SELECT actor FROM audit_log WHERE action = 'token.revoke' AND "
                              "subject = '%1'"_s.arg(id)),
                 actor);
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM audit_log WHERE details::text LIKE '%%1%'"_s.arg(
                QString::fromLatin1(secret.mid(4, 16)))),
            u"0"_s);
    }

    void aTokenCannotRevokeItself()
    {
        const qint64 own = tokenIdOf(m_admin);
        const auto r = api("DELETE", u"/v1/tokens/%1"_s.arg(own), m_admin);
        QCOMPARE(r.status, 409);
        QVERIFY2(test::jsonObject(r).value("detail"_L1).toString().contains(u"itself"_s),
                 r.body.constData());
        QCOMPARE(api("GET", u"/v1/whoami"_s, m_admin).status, 200);
    }

    void aRevokedTokenLeavesTheLiveFeedAtOnce()
    {
        const QJsonObject made = test::jsonObject(
            api("POST", u"/v1/tokens"_s, m_admin, R"({"role":"viewer","name":"wall"})"));
        const QByteArray token = made.value("token"_L1).toString().toUtf8();
        QVERIFY(!token.isEmpty());
        test::LiveClient live(m_apiPort, token, m_dir.filePath(u"api.crt"_s));
        QVERIFY(live.waitForMessages(1));
        QCOMPARE(
            api("DELETE", u"/v1/tokens/%1"_s.arg(made.value("id"_L1).toInteger()), m_admin).status,
            204);
        // Well before the feed's periodic check (every 30 s).
        QVERIFY(live.waitForClose(8000));
        QCOMPARE(live.closeCode, 1008);
    }

    void scopedAdminsStayInTheirTenant()
    {
        auto r = api("POST", u"/v1/tokens"_s, m_acmeAdmin, R"({"role":"viewer","tenant":"beta"})");
        QCOMPARE(r.status, 404);
        r = api("POST", u"/v1/tokens"_s, m_acmeAdmin, R"({"role":"viewer","tenant":null})");
        QCOMPARE(r.status, 403);
        r = api("POST", u"/v1/tokens"_s, m_acmeOperator, R"({"role":"viewer"})");
        QCOMPARE(r.status, 403);
        r = api("POST", u"/v1/tokens"_s, m_acmeAdmin, R"({"role":"admin","name":"acme ops"})");
        QCOMPARE(r.status, 201);
        QCOMPARE(test::jsonObject(r).value("tenant"_L1).toString(), u"acme"_s);
        const qint64 acmeToken = test::jsonObject(r).value("id"_L1).toInteger();

        // Lists: its tenant's tokens only.
        const auto list = api("GET", u"/v1/tokens"_s, m_acmeAdmin);
        QCOMPARE(list.status, 200);
        QCOMPARE(QString::number(test::jsonItems(list).size()),
                 m_db->scalar(u"SELECT count(*) FROM api_tokens k JOIN tenants t ON t.id = "
                              "k.tenant_id WHERE t.name = 'acme'"_s));
        for (const QJsonValue &v : test::jsonItems(list))
            QCOMPARE(v.toObject().value("tenant"_L1).toString(), u"acme"_s);
        QCOMPARE(api("GET", u"/v1/tokens?tenant=beta"_s, m_acmeAdmin).status, 404);

        // Revokes: another tenant's or an unscoped token does not exist for it.
        const QString beta = test::jsonObject(api("POST", u"/v1/tokens"_s, m_admin,
                                                  R"({"role":"viewer","tenant":"beta"})"))
                                 .value("id"_L1)
                                 .toVariant()
                                 .toString();
        QCOMPARE(api("DELETE", u"/v1/tokens/"_s + beta, m_acmeAdmin).status, 404);
        QCOMPARE(api("DELETE", u"/v1/tokens/%1"_s.arg(tokenIdOf(m_viewer)), m_acmeAdmin).status,
                 404);
        QCOMPARE(api("DELETE", u"/v1/tokens/%1"_s.arg(acmeToken), m_acmeAdmin).status, 204);
        QCOMPARE(m_db->scalar(u"SELECT revoked_at IS NULL FROM api_tokens WHERE id = "_s + beta),
                 u"t"_s);
    }

    void tokenRequestsAreChecked()
    {
        const struct
        {
            QByteArray body;
            QString field;
        } bad[] = {{R"({"role":"root"})", u"role"_s},
                   {R"({"role":"viewer","tenant":"nosuch"})", u"tenant"_s},
                   {"{\"role\":\"viewer\",\"name\":\"" + QByteArray(201, 'x') + "\"}", u"name"_s},
                   {R"({"role":"viewer","expires_in":"soon"})", u"expires_in"_s}};
        const QString before = m_db->scalar(u"SELECT count(*) FROM api_tokens"_s);
        for (const auto &b : bad) {
            const auto r = api("POST", u"/v1/tokens"_s, m_admin, b.body);
            QVERIFY2(r.status == 422, qPrintable(test::describe(r)));
            QCOMPARE(test::jsonObject(r).value("field"_L1).toString(), b.field);
        }
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM api_tokens"_s), before);
        const auto r =
            api("POST", u"/v1/tokens"_s, m_admin, R"({"role":"viewer","expires_in":"1h"})");
        QCOMPARE(r.status, 201);
        const QDateTime expires = QDateTime::fromString(
            test::jsonObject(r).value("expires_at"_L1).toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(expires) - 3600) < 60);
    }

    void dlqGroupsCountAndDescribeTheDead()
    {
        QVERIFY(seedGroups());
        const auto r = api("GET", u"/v1/dlq/groups"_s, m_admin);
        QCOMPARE(r.status, 200);
        const QJsonArray list = test::jsonItems(r);
        QCOMPARE(list.size(), m_groups.size());
        // The largest first.
        QList<int> sizes;
        for (const QJsonValue &v : list)
            sizes.append(v.toObject().value("count"_L1).toInt());
        QCOMPARE(sizes, (QList<int>{10, 9, 8, 7, 6, 5, 4, 3, 2}));
        for (const Group &g : std::as_const(m_groups)) {
            const QJsonObject o = itemOf(list, g);
            QVERIFY2(!o.isEmpty(), qPrintable(g.key));
            QCOMPARE(o.value("tenant"_L1).toString(), g.tenant);
            QCOMPARE(o.value("count"_L1).toInt(), g.count);
            QCOMPARE(QDateTime::fromString(o.value("first_seen"_L1).toString(), Qt::ISODateWithMs),
                     g.firstSeen());
            QCOMPARE(QDateTime::fromString(o.value("last_seen"_L1).toString(), Qt::ISODateWithMs),
                     g.lastSeen());
            QCOMPARE(o.value("last_error"_L1).toString(), g.lastError());
            QCOMPARE(o.value("channel"_L1).toString(), u"webhook"_s);
            QCOMPARE(o.value("route_enabled"_L1).toBool(), g.endpoint != m_disabledRoute);
            QCOMPARE(o.value("breaker"_L1).toString(),
                     g.endpoint == m_openRoute ? u"open"_s : u"closed"_s);
            const QJsonObject filter{
                {u"tenant"_s, g.tenant}, {u"endpoint"_s, g.endpoint}, {u"reason"_s, g.reason}};
            QCOMPARE(o.value("filter"_L1).toObject(), filter);
        }
        // Admins see targets whole.
        QCOMPARE(itemOf(list, group(u"g0"_s)).value("target"_L1).toString(),
                 u"https://hooks.example.com/acme?key=s3cret"_s);
    }

    void dlqGroupsMaskTargetsAndKeepToTheTenant()
    {
        const auto viewer = api("GET", u"/v1/dlq/groups"_s, m_viewer);
        QCOMPARE(viewer.status, 200);
        QVERIFY(!viewer.body.contains("s3cret") && !viewer.body.contains("abc123"));
        QCOMPARE(itemOf(test::jsonItems(viewer), group(u"g0"_s)).value("target"_L1).toString(),
                 u"https://hooks.example.com/acme?key=redacted"_s);

        // A scoped token: its tenant's groups, whatever it asks for.
        for (const QString &path : {u"/v1/dlq/groups"_s, u"/v1/dlq/groups?tenant=beta"_s}) {
            const auto scoped = api("GET", path, m_acmeOperator);
            QCOMPARE(scoped.status, 200);
            QCOMPARE(test::jsonItems(scoped).size(), 5);
            QVERIFY(!scoped.body.contains("beta"));
        }
        QCOMPARE(test::jsonItems(api("GET", u"/v1/dlq/groups?tenant=beta"_s, m_viewer)).size(), 4);
        // Since: only what died from then on; limit: the largest groups.
        const QString since = m_t0.addSecs(3600 * 4 + 1800).toString(Qt::ISODate);
        const auto recent =
            test::jsonItems(api("GET", u"/v1/dlq/groups?since="_s + since, m_viewer));
        QCOMPARE(recent.size(), 4); // g5 … g8
        for (const QJsonValue &v : recent)
            QVERIFY(v.toObject().value("count"_L1).toInt() <= 9);
        const auto top = test::jsonItems(api("GET", u"/v1/dlq/groups?limit=2"_s, m_viewer));
        QCOMPARE(top.size(), 2);
        QCOMPARE(top.at(0).toObject().value("count"_L1).toInt(), 10);
        QCOMPARE(api("GET", u"/v1/dlq/groups?since=yesterday"_s, m_viewer).status, 400);
        QCOMPARE(api("GET", u"/v1/dlq/groups?state=dead"_s, m_viewer).status, 400);
    }

    void aGroupIsReplayedByItsFilter()
    {
        const Group &g0 = group(u"g0"_s); // acme, route 1, http_5xx: 6
        const QJsonObject item =
            itemOf(test::jsonItems(api("GET", u"/v1/dlq/groups"_s, m_acmeOperator)), g0);
        const QJsonObject filter = item.value("filter"_L1).toObject();
        QVERIFY(!filter.isEmpty());
        auto body = [](const QJsonObject &f, bool dry) {
            QJsonObject o{{u"filter"_s, f}};
            if (dry)
                o.insert(u"dry_run"_s, true);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        auto preview = api("POST", u"/v1/dlq/replay"_s, m_acmeOperator, body(filter, true));
        QCOMPARE(preview.status, 200);
        QCOMPARE(test::jsonObject(preview).value("would_replay"_L1).toInt(), g0.count);
        // A group without a recorded reason is matched exactly, not as "every reason".
        const QJsonObject none =
            itemOf(test::jsonItems(api("GET", u"/v1/dlq/groups"_s, m_admin)), group(u"g8"_s))
                .value("filter"_L1)
                .toObject();
        preview = api("POST", u"/v1/dlq/replay"_s, m_admin, body(none, true));
        QCOMPARE(test::jsonObject(preview).value("would_replay"_L1).toInt(), 2);
        // Another tenant's group does not exist for a scoped token.
        const QJsonObject foreign =
            itemOf(test::jsonItems(api("GET", u"/v1/dlq/groups"_s, m_admin)), group(u"g4"_s))
                .value("filter"_L1)
                .toObject();
        preview = api("POST", u"/v1/dlq/replay"_s, m_acmeOperator, body(foreign, true));
        QCOMPARE(test::jsonObject(preview).value("would_replay"_L1).toInt(), 0);

        const auto replayed = api("POST", u"/v1/dlq/replay"_s, m_acmeOperator, body(filter, false));
        QCOMPARE(replayed.status, 200);
        QCOMPARE(test::jsonObject(replayed).value("replayed"_L1).toInt(), g0.count);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN events e ON e.id = "
                              "d.event_id WHERE e.ce_id LIKE 'g0/%' AND d.state = 'pending'"_s),
                 QString::number(g0.count));
        const QJsonArray after = test::jsonItems(api("GET", u"/v1/dlq/groups"_s, m_admin));
        QCOMPARE(after.size(), m_groups.size() - 1);
        QVERIFY(itemOf(after, g0).isEmpty());
        QCOMPARE(itemOf(after, group(u"g1"_s)).value("count"_L1).toInt(), group(u"g1"_s).count);
        QCOMPARE(m_db->scalar(u"SELECT details->>'count' || ' ' || (details->'filter'->>'reason') "
                              "FROM audit_log WHERE action = 'dlq.replay_matching'"_s),
                 u"%1 http_5xx"_s.arg(g0.count));
    }

    void agentsSharingTheDatabaseAreListed()
    {
        const quint16 httpB = test::freePort();
        test::Process b(test::agentBinary(), {u"run"_s}, agentEnv(httpB));
        QVERIFY(b.start());
        QVERIFY(test::waitForHealthy(httpB));
        QTRY_VERIFY_WITH_TIMEOUT(!agentIdOf(b.pid()).isEmpty(), 10000);
        const QString idA = agentIdOf(m_agent->pid());
        const QString idB = agentIdOf(b.pid());
        QVERIFY(!idA.isEmpty() && idA != idB);

        QJsonArray list = agents();
        QCOMPARE(list.size(), 2);
        const QJsonObject a = agentItem(list, idA);
        const QJsonObject bItem = agentItem(list, idB);
        for (const QJsonObject &o : {a, bItem}) {
            QCOMPARE(o.value("alive"_L1).toBool(), true);
            QCOMPARE(o.value("version"_L1).toString(), QStringLiteral(FERRY_VERSION));
            QCOMPARE(o.value("host"_L1).toString(), QSysInfo::machineHostName());
            QCOMPARE(o.value("heartbeat_ms"_L1).toInt(), 1000);
            QVERIFY(o.value("uptime_seconds"_L1).toInteger() >= 0);
            QVERIFY(o.value("jobs"_L1).isArray());
        }
        QCOMPARE(a.value("current"_L1).toBool(), true);
        QCOMPARE(bItem.value("current"_L1).toBool(), false);
        QCOMPARE(a.value("listen"_L1).toObject().value("api"_L1).toString(),
                 u"127.0.0.1:%1"_s.arg(m_apiPort));
        QCOMPARE(a.value("listen"_L1).toObject().value("http"_L1).toString(),
                 u"127.0.0.1:%1"_s.arg(m_httpPort));
        QCOMPARE(bItem.value("listen"_L1).toObject().value("http"_L1).toString(),
                 u"127.0.0.1:%1"_s.arg(httpB));
        QVERIFY(bItem.value("listen"_L1).toObject().value("api"_L1).isNull());
        // Uptime goes on, heartbeats keep coming.
        const qint64 uptime = bItem.value("uptime_seconds"_L1).toInteger();
        QTRY_VERIFY_WITH_TIMEOUT(
            agentItem(agents(), idB).value("uptime_seconds"_L1).toInteger() >= uptime + 2, 10000);
        QVERIFY(agentItem(agents(), idB).value("silent_seconds"_L1).toInteger() <= 2);
        QCOMPARE(api("GET", u"/v1/agents"_s, m_acmeAdmin).status, 403);

        // A clean stop takes the agent off the registry.
        QVERIFY(b.terminate());
        list = agents();
        QCOMPARE(list.size(), 1);
        QVERIFY(agentItem(list, idB).isEmpty());
    }

    void aKilledAgentIsShownGoneThenPurged()
    {
        const quint16 httpC = test::freePort();
        test::Process c(test::agentBinary(), {u"run"_s}, agentEnv(httpC));
        QVERIFY(c.start());
        QVERIFY(test::waitForHealthy(httpC));
        QTRY_VERIFY_WITH_TIMEOUT(!agentIdOf(c.pid()).isEmpty(), 10000);
        const QString idC = agentIdOf(c.pid());
        QCOMPARE(agentItem(agents(), idC).value("alive"_L1).toBool(), true);
        c.kill();
        // Listed still, and gone once three heartbeats are missing.
        QTRY_VERIFY_WITH_TIMEOUT(agentItem(agents(), idC).value("alive"_L1).toBool(true) == false,
                                 15000);
        const QJsonObject gone = agentItem(agents(), idC);
        QVERIFY(gone.value("silent_seconds"_L1).toInteger() >= 3);
        QVERIFY(gone.value("jobs"_L1).toArray().isEmpty());
        QCOMPARE(agentItem(agents(), agentIdOf(m_agent->pid())).value("alive"_L1).toBool(), true);
        // A day later the living agents remove its row.
        QVERIFY(
            m_db->exec(u"UPDATE agents SET started_at = now() - interval '26 hours', "
                       "heartbeat_at = now() - interval '25 hours' WHERE id = '%1'"_s.arg(idC)));
        QTRY_VERIFY_WITH_TIMEOUT(agentItem(agents(), idC).isEmpty(), 10000);
    }

    void agentsNameTheSingletonJobsTheyHold()
    {
        // This process stands in for an agent running retention: it holds the job's advisory
        // lock on one of its sessions and registers them.
        agent::store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        QVERIFY(db.command("SELECT pg_advisory_lock(7316101)"));
        agent::store::AgentRegistration self;
        self.id = "00000000000000aa";
        self.host = u"test"_s;
        self.version = u"test"_s;
        self.pid = QCoreApplication::applicationPid();
        self.heartbeatMs = 60000;
        agent::store::AgentStore store(db);
        QVERIFY(store.beat(self, agent::store::PgConnection::openSessionPids()));
        QJsonObject o = agentItem(agents(), u"00000000000000aa"_s);
        QCOMPARE(o.value("jobs"_L1).toArray(), (QJsonArray{u"retention"_s}));
        QCOMPARE(o.value("listen"_L1).toObject().value("http"_L1), QJsonValue());
        // The real agent does not hold it meanwhile: the lock is taken.
        QVERIFY(!agentItem(agents(), agentIdOf(m_agent->pid()))
                     .value("jobs"_L1)
                     .toArray()
                     .contains(u"retention"_s));
        QVERIFY(db.command("SELECT pg_advisory_unlock(7316101)"));
        o = agentItem(agents(), u"00000000000000aa"_s);
        QVERIFY(o.value("jobs"_L1).toArray().isEmpty());
        QVERIFY(store.remove(self.id));
        QVERIFY(agentItem(agents(), u"00000000000000aa"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
