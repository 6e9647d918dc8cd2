// Each tenant's own allow-list of internal networks, against a real PostgreSQL and real HTTP
// receivers: set by global administrators (CLI and API; a tenant's token may not widen its own),
// checked when a webhook target is saved (CLI and API) and when a delivery connects (the
// WebhookAdapter with the tenant's guard from SsrfPolicy, refreshed from the database), and
// redirects are never followed, not even to an allowed address.
#include "agent/adapters/curlmulti.h"
#include "agent/adapters/ssrfpolicy.h"
#include "agent/adapters/webhookadapter.h"
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using agent::adapters::Outcome;

namespace {

const QByteArray kSecret = "whsec_dGVuYW50LWFsbG93LWxpc3Qtc2lnbmluZy1rZXkhIQ==";

} // namespace

class TestTenantAllowList : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_receiver;
    quint16 m_receiverPort = 0;
    qint64 m_alpha = 0;
    qint64 m_beta = 0;

    // The admin commands without any agent-wide allow-list: only a tenant's own opens loopback.
    QHash<QString, QString> env() const
    {
        return {{u"FERRY_DATABASE_URL"_s, m_db->url()},
                {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, QString()}};
    }
    test::RunResult agentCommand(const QStringList &args) const
    {
        return test::run(test::agentBinary(), args, env());
    }
    QString receiverUrl() const { return u"http://127.0.0.1:%1/h"_s.arg(m_receiverPort); }
    int receiverRequests(quint16 port) const
    {
        test::HttpRequest h;
        h.method = "GET";
        h.url = u"http://127.0.0.1:%1/stats"_s.arg(port);
        return QJsonDocument::fromJson(test::http(h, 5000).body)
            .object()
            .value("requests"_L1)
            .toInt(-1);
    }

    // One delivery through a WebhookAdapter, with `guard` as the delivery's own (null: the
    // adapter's, which allows nothing internal).
    static Outcome send(const QString &url, const agent::adapters::SsrfGuard *guard)
    {
        static const auto none = agent::adapters::SsrfGuard::parse({});
        agent::adapters::CurlMulti multi(8);
        agent::adapters::WebhookAdapter adapter(multi, {5000, &*none});
        std::optional<Outcome> outcome;
        adapter.setDone([&](const QUuid &, const Outcome &o) { outcome = o; });
        agent::adapters::Delivery d;
        d.id = QUuid::createUuid();
        d.eventId = QUuid::createUuid();
        d.target = url;
        d.secret = kSecret;
        d.payload = test::cloudEvent(d.eventId.toString(QUuid::WithoutBraces), u"t"_s);
        d.guard = guard;
        adapter.send(d);
        const QDeadlineTimer deadline(15000);
        while (!outcome && !deadline.hasExpired()) {
            multi.wait(-1, 100);
            multi.perform();
            adapter.poll();
        }
        if (!outcome) {
            outcome.emplace();
            outcome->kind = Outcome::Kind::Unknown;
            outcome->reason = u"no outcome in time"_s;
        }
        return *outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"tenantallow"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(agentCommand({u"migrate"_s}).exitCode, 0);
        for (const QString &t : {u"alpha"_s, u"beta"_s})
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
        m_alpha = m_db->scalar(u"SELECT id FROM tenants WHERE name = 'alpha'"_s).toLongLong();
        m_beta = m_db->scalar(u"SELECT id FROM tenants WHERE name = 'beta'"_s).toLongLong();
        m_receiverPort = test::freePort();
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort), u"--secret"_s,
                        QString::fromLatin1(kSecret)});
        QVERIFY(m_receiver->start());
        QTRY_VERIFY_WITH_TIMEOUT(receiverRequests(m_receiverPort) >= 0, 10000); // listening
    }

    void cleanupTestCase()
    {
        if (m_receiver)
            m_receiver->terminate();
    }

    void cliSetsATenantsNetworks()
    {
        auto bad = agentCommand({u"tenant"_s, u"networks"_s, u"alpha"_s, u"intranet"_s});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains(u"'intranet' is not a network"_s), qPrintable(bad.err));
        auto set = agentCommand({u"tenant"_s, u"networks"_s, u"alpha"_s, u"127.0.0.1/8"_s});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QVERIFY2(set.out.contains(u"127.0.0.0/8"_s), qPrintable(set.out));
        QCOMPARE(m_db->scalar(u"SELECT allowed_networks::text FROM tenants WHERE name = 'alpha'"_s),
                 u"{127.0.0.0/8}"_s);
        QCOMPARE(m_db->scalar(u"SELECT allowed_networks::text FROM tenants WHERE name = 'beta'"_s),
                 u"{}"_s);
        QVERIFY(m_db->scalar(u"SELECT details::text FROM audit_log WHERE action = 'tenant.update' "
                             "AND subject = 'alpha' ORDER BY id DESC LIMIT 1"_s)
                    .contains(u"127.0.0.0/8"_s));
        QVERIFY(agentCommand({u"tenant"_s, u"networks"_s, u"nobody"_s}).exitCode != 0);
    }

    void endpointAddChecksTheTargetWithTheTenantsList()
    {
        const QStringList add{u"endpoint"_s, u"add"_s, u"--url"_s, receiverUrl(), u"--tenant"_s};
        auto alpha = agentCommand(add + QStringList{u"alpha"_s});
        QVERIFY2(alpha.exitCode == 0, qPrintable(alpha.err));
        auto beta = agentCommand(add + QStringList{u"beta"_s});
        QVERIFY(beta.exitCode != 0);
        QVERIFY2(beta.err.contains(u"127.0.0.1 is loopback"_s) &&
                     beta.err.contains(u"allowed_networks"_s),
                 qPrintable(beta.err));
        auto numeric = agentCommand({u"endpoint"_s, u"add"_s, u"--tenant"_s, u"alpha"_s, u"--url"_s,
                                     u"http://2130706433/h"_s});
        QVERIFY(numeric.exitCode != 0);
        QVERIFY2(numeric.err.contains(u"unusual way"_s), qPrintable(numeric.err));
        QCOMPARE(m_db->scalar(u"SELECT string_agg(t.name, ',') FROM endpoints e JOIN tenants t "
                              "ON t.id = e.tenant_id"_s),
                 u"alpha"_s);
    }

    void deliveriesConnectWithTheTenantsGuard()
    {
        QCOMPARE(agentCommand({u"tenant"_s, u"networks"_s, u"alpha"_s, u"127.0.0.0/8"_s}).exitCode,
                 0);
        agent::store::PgConnection db;
        QVERIFY(db.open(m_db->url()).ok());
        agent::adapters::SsrfPolicy policy(*agent::adapters::SsrfGuard::parse({}), 3'600'000);
        QVERIFY(policy.refreshIfDue(db).ok()); // never read: reads now
        const auto *alphaGuard = policy.forTenant(m_alpha);
        QCOMPARE(policy.forTenant(m_beta), &policy.global());
        const int before = receiverRequests(m_receiverPort);

        const Outcome delivered = send(receiverUrl(), alphaGuard);
        QCOMPARE(int(delivered.kind), int(Outcome::Kind::Delivered));
        QCOMPARE(receiverRequests(m_receiverPort), before + 1);

        for (const auto *guard :
             {policy.forTenant(m_beta), static_cast<const agent::adapters::SsrfGuard *>(nullptr)}) {
            const Outcome refused = send(receiverUrl(), guard);
            QCOMPARE(int(refused.kind), int(Outcome::Kind::Permanent));
            QCOMPARE(refused.reason, u"ssrf_blocked"_s);
            QVERIFY2(refused.error.contains(u"loopback"_s), qPrintable(refused.error));
        }
        QCOMPARE(receiverRequests(m_receiverPort), before + 1);

        // The list removed after the endpoint was saved: refused once the policy reads it.
        QCOMPARE(agentCommand({u"tenant"_s, u"networks"_s, u"alpha"_s}).exitCode, 0);
        QVERIFY(policy.refreshIfDue(db).ok()); // not due yet: as it was
        QCOMPARE(policy.forTenant(m_alpha), alphaGuard);
        QVERIFY(policy.refresh(db).ok());
        QCOMPARE(policy.forTenant(m_alpha), &policy.global());
        const Outcome removed = send(receiverUrl(), policy.forTenant(m_alpha));
        QCOMPARE(removed.reason, u"ssrf_blocked"_s);
        QCOMPARE(receiverRequests(m_receiverPort), before + 1);
        // A guard handed out before stays valid (a request in flight may still hold it).
        QVERIFY(alphaGuard->allows(QHostAddress(u"127.0.0.1"_s)));
    }

    void apiAndFerryctlLeaveTheListToGlobalAdmins()
    {
        QTemporaryDir dir;
        auto cert = agentCommand({u"cert"_s, u"generate"_s, u"--out"_s, dir.path()});
        QCOMPARE(cert.exitCode, 0);
        const QString pin =
            QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        const auto token = [&](const QStringList &args) {
            return agentCommand(QStringList{u"token"_s, u"create"_s, u"--role"_s, u"admin"_s} +
                                args)
                .out.trimmed()
                .toUtf8();
        };
        const QByteArray admin = token({});
        const QByteArray alphaAdmin = token({u"--tenant"_s, u"alpha"_s});
        QVERIFY(!admin.isEmpty() && !alphaAdmin.isEmpty() && !pin.isEmpty());
        const quint16 port = test::freePort();
        const quint16 http = test::freePort();
        auto agentEnv = test::agentEnvironment(m_db->url(), http);
        agentEnv.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, QString()); // nothing agent-wide
        test::addApi(agentEnv, port, dir.path());
        agentEnv.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s);
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(http), qPrintable(agent.output()));
        const auto api = [&](const QByteArray &method, const QString &path, const QByteArray &body,
                             const QByteArray &bearer) {
            test::HttpRequest r;
            r.method = method;
            r.url = u"https://127.0.0.1:%1%2"_s.arg(port).arg(path);
            r.caFile = dir.filePath(u"api.crt"_s);
            r.body = body;
            r.headers = {{"Authorization", "Bearer " + bearer},
                         {"Content-Type", "application/json"}};
            return test::http(r, 10000);
        };
        const auto field = [](const test::HttpResponse &r) {
            return QJsonDocument::fromJson(r.body).object().value("field"_L1).toString();
        };

        // A tenant's own token may not widen its list; a global admin may, with valid CIDRs.
        auto r = api("PATCH", u"/v1/tenants/alpha"_s, R"({"allowed_networks":["0.0.0.0/0"]})",
                     alphaAdmin);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.body.contains("unscoped token"), r.body.constData());
        // Changing any tenant is for unscoped tokens: refused before the tenant is looked at.
        QCOMPARE(
            api("PATCH", u"/v1/tenants/beta"_s, R"({"allowed_networks":[]})", alphaAdmin).status,
            403);
        r = api("PATCH", u"/v1/tenants/alpha"_s, R"({"allowed_networks":["10.0.0.0/8","lan"]})",
                admin);
        QCOMPARE(r.status, 422);
        QCOMPARE(field(r), u"allowed_networks"_s);
        QVERIFY2(r.body.contains("'lan' is not a network"), r.body.constData());
        QCOMPARE(api("PATCH", u"/v1/tenants/alpha"_s, R"({"allowed_networks":"10.0.0.0/8"})", admin)
                     .status,
                 422);
        r = api("PATCH", u"/v1/tenants/alpha"_s,
                R"({"allowed_networks":["127.0.0.9/8","fd00::1/8","127.0.0.0/8"]})", admin);
        QCOMPARE(r.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value("allowed_networks"_L1).toArray(),
                 QJsonArray({u"127.0.0.0/8"_s, u"fd00::/8"_s}));
        QVERIFY(m_db->scalar(u"SELECT allowed_networks::text FROM tenants WHERE name = 'alpha'"_s)
                    .contains(u"fd00::/8"_s));

        // Saving a route: the same target is fine for alpha, refused for beta.
        const QByteArray route =
            "{\"tenant\":\"%1\",\"target\":\"" + receiverUrl().toUtf8() + "\"}";
        r = api("POST", u"/v1/routes"_s, QByteArray(route).replace("%1", "alpha"), admin);
        QCOMPARE(r.status, 201);
        const QString id =
            QString::number(QJsonDocument::fromJson(r.body).object().value("id"_L1).toInteger());
        r = api("POST", u"/v1/routes"_s, QByteArray(route).replace("%1", "beta"), admin);
        QCOMPARE(r.status, 422);
        QCOMPARE(field(r), u"target"_s);
        QVERIFY2(r.body.contains("loopback"), r.body.constData());
        r = api("PATCH", u"/v1/routes/"_s + id, R"({"target":"http://[::ffff:10.0.0.1]/h"})",
                alphaAdmin);
        QCOMPARE(r.status, 422);
        QVERIFY2(r.body.contains("IPv4-mapped"), r.body.constData());

        // ferryctl sets the list through the same route.
        const QString config = dir.filePath(u"ctl/ferryctl.json"_s);
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, {{u"FERRYCTL_CONFIG"_s, config}});
        };
        const QString tokenFile = dir.filePath(u"token"_s);
        QFile tf(tokenFile);
        QVERIFY(tf.open(QIODevice::WriteOnly) && tf.write(admin) == admin.size());
        tf.close();
        QCOMPARE(ctl({u"login"_s, u"--url"_s, u"https://127.0.0.1:%1"_s.arg(port),
                      u"--token-file"_s, tokenFile, u"--pin"_s, pin})
                     .exitCode,
                 0);
        auto set = ctl({u"tenants"_s, u"networks"_s, u"beta"_s, u"10.9.0.0/16,192.168.5.0/24"_s});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QCOMPARE(m_db->scalar(u"SELECT allowed_networks::text FROM tenants WHERE name = 'beta'"_s),
                 u"{10.9.0.0/16,192.168.5.0/24}"_s);
        auto bad = ctl({u"tenants"_s, u"networks"_s, u"beta"_s, u"nonsense"_s});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains(u"'nonsense' is not a network"_s), qPrintable(bad.err));
        QVERIFY(ctl({u"tenants"_s, u"networks"_s, u"beta"_s}).exitCode == 0);
        QCOMPARE(m_db->scalar(u"SELECT allowed_networks::text FROM tenants WHERE name = 'beta'"_s),
                 u"{}"_s);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }

    void redirectsAreNeverFollowed()
    {
        // The receiver answers 302 towards a loopback listener that the guard would even allow.
        QTcpServer target;
        QVERIFY(target.listen(QHostAddress::LocalHost));
        const quint16 port = test::freePort();
        test::Process redirecting(test::receiverBinary(),
                                  {u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--secret"_s,
                                   QString::fromLatin1(kSecret), u"--fail-rate"_s, u"1"_s,
                                   u"--fail-status"_s, u"302"_s, u"--location"_s,
                                   u"http://127.0.0.1:%1/internal"_s.arg(target.serverPort())});
        QVERIFY(redirecting.start());
        QTRY_VERIFY_WITH_TIMEOUT(receiverRequests(port) >= 0, 10000); // listening
        const auto loopback = agent::adapters::SsrfGuard::parse(u"127.0.0.0/8"_s);
        const Outcome o = send(u"http://127.0.0.1:%1/h"_s.arg(port), &*loopback);
        QCOMPARE(int(o.kind), int(Outcome::Kind::Permanent));
        QCOMPARE(o.reason, u"redirect"_s);
        QCOMPARE(o.statusCode, 302);
        QCOMPARE(receiverRequests(port), 1);
        QVERIFY(!target.waitForNewConnection(0));
        QVERIFY(!target.hasPendingConnections());
    }
};

QTEST_GUILESS_MAIN(TestTenantAllowList)
#include "tst_tenantallowlist.moc"
