// How the webhook adapter classifies receivers' answers, end to end through a real agent and
// real receivers: permanent refusals, redirects, 410 Gone, Retry-After, timeouts and refused
// connections; then the dead-letter commands on what ended up dead.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestWebhookOutcomes : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    std::vector<std::unique_ptr<test::Process>> m_receivers;
    quint16 m_agentPort = 0;

    struct Scenario
    {
        QString token;
        QString secret;
        quint16 port = 0;
    };
    QHash<QString, Scenario> m_scenarios;

    std::unique_ptr<test::Process> receiver(const Scenario &s, const QStringList &extra)
    {
        auto p = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(s.port), u"--secret"_s, s.secret} +
                extra);
        p->start();
        return p;
    }

    void scenario(const QString &tenant, const QStringList &receiverArgs)
    {
        Scenario s;
        s.token = test::createTenant(m_db->url(), tenant);
        s.port = test::freePort();
        s.secret = test::addEndpoint(m_db->url(), tenant, u"http://127.0.0.1:%1/h"_s.arg(s.port));
        if (!receiverArgs.isEmpty())
            m_receivers.push_back(receiver(s, receiverArgs));
        m_scenarios.insert(tenant, s);
    }

    int send(const QString &tenant, const QString &id)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_agentPort);
        r.body = test::cloudEvent(id);
        r.headers = {{"Authorization", "Bearer " + m_scenarios[tenant].token.toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        return test::http(r).status;
    }

    QString deliveryField(const QString &tenant, const QString &field)
    {
        return m_db->scalar(
            u"SELECT string_agg(%1::text, ',' ORDER BY d.created_at) FROM "
            "deliveries d JOIN tenants t ON t.id = d.tenant_id WHERE t.name = '%2'"_s.arg(field,
                                                                                          tenant));
    }

    int receiverRequests(const QString &tenant)
    {
        test::HttpRequest h;
        h.method = "GET";
        h.url = u"http://127.0.0.1:%1/stats"_s.arg(m_scenarios[tenant].port);
        return QJsonDocument::fromJson(test::http(h, 5000).body)
            .object()
            .value("requests"_L1)
            .toInt(-1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"outcomes"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        const QStringList alwaysFail{u"--fail-rate"_s, u"1"_s, u"--fail-status"_s};
        scenario(u"perm"_s, alwaysFail + QStringList{u"400"_s});
        scenario(u"redirect"_s, alwaysFail + QStringList{u"302"_s});
        scenario(u"gone"_s, alwaysFail + QStringList{u"410"_s});
        scenario(u"later"_s, alwaysFail + QStringList{u"429"_s, u"--max-failures-per-id"_s, u"1"_s,
                                                      u"--retry-after"_s, u"2"_s});
        scenario(u"slow"_s, {u"--delay-ms"_s, u"3000"_s});
        scenario(u"nobody"_s, {}); // nothing listens on its port
        scenario(u"badkey"_s, {u"--fail-rate"_s, u"0"_s});
        QVERIFY(m_db->exec(u"UPDATE endpoints SET secret = 'whsec_not*base64' WHERE tenant_id = "
                           "(SELECT id FROM tenants WHERE name = 'badkey')"_s));

        m_agentPort = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), m_agentPort);
        env.insert(u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"3"_s);
        env.insert(u"FERRY_WEBHOOK_TIMEOUT"_s, u"1s"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_agentPort), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void otherClientErrorsArePermanent()
    {
        QCOMPARE(send(u"perm"_s, u"p1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"perm"_s, u"state"_s), u"dead"_s, 20000);
        QCOMPARE(deliveryField(u"perm"_s, u"attempts"_s), u"1"_s);
        QCOMPARE(deliveryField(u"perm"_s, u"dead_reason"_s), u"http_4xx"_s);
        QVERIFY(deliveryField(u"perm"_s, u"last_error"_s).startsWith(u"HTTP 400"_s));
        QCOMPARE(deliveryField(u"perm"_s, u"last_status"_s), u"400"_s);
    }

    void anUndecodableSecretSignsNothing()
    {
        // Signing with an empty key would give a signature anyone could forge: refused, unsent.
        QCOMPARE(send(u"badkey"_s, u"k1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"badkey"_s, u"state"_s), u"dead"_s, 20000);
        QCOMPARE(deliveryField(u"badkey"_s, u"dead_reason"_s), u"credential"_s);
        QVERIFY(deliveryField(u"badkey"_s, u"last_error"_s).contains(u"signing secret"_s));
        QCOMPARE(receiverRequests(u"badkey"_s), 0);
    }

    void redirectsAreNotFollowed()
    {
        QCOMPARE(send(u"redirect"_s, u"r1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"redirect"_s, u"state"_s), u"dead"_s, 20000);
        QCOMPARE(deliveryField(u"redirect"_s, u"dead_reason"_s), u"redirect"_s);
        QCOMPARE(receiverRequests(u"redirect"_s), 1);
    }

    void goneDisablesTheEndpoint()
    {
        QCOMPARE(send(u"gone"_s, u"g1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"gone"_s, u"state"_s), u"dead"_s, 20000);
        QCOMPARE(deliveryField(u"gone"_s, u"dead_reason"_s), u"endpoint_gone"_s);
        QCOMPARE(m_db->scalar(u"SELECT enabled FROM endpoints e JOIN tenants t ON t.id = "
                              "e.tenant_id WHERE t.name = 'gone'"_s),
                 u"f"_s);
        // New events find no enabled endpoint: no delivery, no request to the receiver.
        QCOMPARE(send(u"gone"_s, u"g2"_s), 202);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN tenants t ON t.id = "
                              "d.tenant_id WHERE t.name = 'gone'"_s),
                 u"1"_s);
    }

    void retryAfterIsHonoured()
    {
        QCOMPARE(send(u"later"_s, u"l1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"later"_s, u"state"_s), u"succeeded"_s, 20000);
        // Backoff alone would retry within 500 ms here; the receiver asked for 2 s.
        const double gap =
            m_db->scalar(u"SELECT extract(epoch FROM max(a.started_at) - min(a.finished_at)) FROM "
                         "delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN "
                         "tenants t ON "
                         "t.id = d.tenant_id WHERE t.name = 'later'"_s)
                .toDouble();
        QVERIFY2(gap >= 1.9, qPrintable(QString::number(gap)));
        QCOMPARE(deliveryField(u"later"_s, u"attempts"_s), u"2"_s);
    }

    void timeoutsAndRefusedConnectionsAreRetriedThenDead()
    {
        QCOMPARE(send(u"slow"_s, u"s1"_s), 202);
        QCOMPARE(send(u"nobody"_s, u"n1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"slow"_s, u"state"_s), u"dead"_s, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"nobody"_s, u"state"_s), u"dead"_s, 30000);
        QCOMPARE(deliveryField(u"slow"_s, u"attempts"_s), u"3"_s);
        QCOMPARE(deliveryField(u"slow"_s, u"dead_reason"_s), u"timeout"_s);
        QCOMPARE(deliveryField(u"nobody"_s, u"attempts"_s), u"3"_s);
        QCOMPARE(deliveryField(u"nobody"_s, u"dead_reason"_s), u"connect"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON "
                              "d.id = a.delivery_id JOIN tenants t ON t.id = d.tenant_id WHERE "
                              "t.name = 'nobody' AND a.outcome = 'retryable'"_s),
                 u"3"_s);
    }

    void internalAddressesAreRefusedUnlessAllowed()
    {
        // An agent with the default (empty) webhook.allowed_networks: a loopback endpoint is
        // never contacted, and the delivery is dead with reason ssrf_blocked at once.
        test::TestDatabase db(u"ssrf"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        const QString token = test::createTenant(db.url(), u"inside"_s);
        Scenario s;
        s.port = test::freePort();
        s.secret = test::addEndpoint(db.url(), u"inside"_s, u"http://127.0.0.1:%1/h"_s.arg(s.port));
        auto listener = receiver(s, {});
        const quint16 http = test::freePort();
        auto agentEnv = test::agentEnvironment(db.url(), http);
        agentEnv.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, QString());
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(http), qPrintable(agent.output()));
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(http);
        r.body = test::cloudEvent(u"inside-1"_s);
        r.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        QCOMPARE(test::http(r).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(
            db.scalar(u"SELECT state || ' ' || dead_reason FROM deliveries"_s),
            u"dead ssrf_blocked"_s, 20000);
        QVERIFY(db.scalar(u"SELECT last_error FROM deliveries"_s)
                    .contains(u"webhook.allowed_networks"_s));
        test::HttpRequest statsRequest;
        statsRequest.method = "GET";
        statsRequest.url = u"http://127.0.0.1:%1/stats"_s.arg(s.port);
        QCOMPARE(QJsonDocument::fromJson(test::http(statsRequest).body)
                     .object()
                     .value("requests"_L1)
                     .toInt(),
                 0);
        QVERIFY(agent.terminate());
    }

    void deadLetterListAndReplay()
    {
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, m_db->url()}};
        const QString id = deliveryField(u"nobody"_s, u"d.id"_s);
        auto list =
            test::run(test::agentBinary(), {u"dlq"_s, u"list"_s, u"--tenant"_s, u"nobody"_s}, env);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(id), qPrintable(list.out));
        QVERIFY2(list.out.contains(u"connect"_s), qPrintable(list.out));
        QVERIFY(!list.out.contains(deliveryField(u"perm"_s, u"d.id"_s))); // another tenant

        // The receiver comes up; the operator replays the dead delivery; it is delivered.
        m_receivers.push_back(receiver(m_scenarios[u"nobody"_s], {}));
        auto replay = test::run(test::agentBinary(), {u"dlq"_s, u"replay"_s, id}, env);
        QCOMPARE(replay.exitCode, 0);
        QVERIFY2(replay.out.contains(u"queued again"_s), qPrintable(replay.out));
        // A second replay of the same delivery queues nothing and says why.
        auto twice = test::run(test::agentBinary(), {u"dlq"_s, u"replay"_s, id}, env);
        QCOMPARE(twice.exitCode, 1);
        QVERIFY2(twice.err.contains(u"not dead"_s), qPrintable(twice.err));
        QTRY_COMPARE_WITH_TIMEOUT(deliveryField(u"nobody"_s, u"state"_s), u"succeeded"_s, 20000);
        QCOMPARE(receiverRequests(u"nobody"_s), 1);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE action = 'dlq.replay' AND "
                              "subject = '%1'"_s.arg(id)),
                 u"1"_s);

        auto unknown =
            test::run(test::agentBinary(),
                      {u"dlq"_s, u"replay"_s, u"00000000-0000-0000-0000-000000000001"_s}, env);
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(u"no delivery with id"_s), qPrintable(unknown.err));
    }
};

QTEST_GUILESS_MAIN(TestWebhookOutcomes)
#include "tst_webhookoutcomes.moc"
