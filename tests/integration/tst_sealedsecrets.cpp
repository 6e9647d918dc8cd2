// Secrets at rest (decision 0024) with real agents: route signing secrets and the CURVE server
// secret key written in clear (no master key yet) are sealed when an agent with a key starts;
// afterwards no table of the database holds them, webhooks still verify at a real receiver and
// producers still complete the CURVE handshake. Without the key, or with a key that opens
// nothing, the agent refuses to start and says what to do. `master-key rotate` seals every
// secret again under a new key in one transaction; the agent then works with the new key only.
#include "shared/masterkey.h"
#include "shared/producer.h"
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestSealedSecrets : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_db;
    QTemporaryDir m_dir;
    QString m_token;
    QString m_secret; // the route's signing secret, as `endpoint add` printed it
    QByteArray m_curveSecret;
    ProducerCredentials m_producer;
    quint16 m_httpPort = 0;
    quint16 m_zmqPort = 0;
    quint16 m_receiverPort = 0;
    std::unique_ptr<test::Process> m_receiver;
    int m_events = 0;

    QString keyFile(const QString &name) const { return m_dir.filePath(name); }

    QHash<QString, QString> agentEnv(const QString &key) const
    {
        auto e = test::agentEnvironment(m_db->url(), m_httpPort, m_zmqPort);
        if (!key.isEmpty())
            e.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, key);
        return e;
    }

    QString generateKey(const QString &name)
    {
        const auto r =
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile(name)});
        return r.exitCode == 0 ? keyFile(name) : QString();
    }

    // Every row of every table of the database as text: what a dump holds.
    QString dump() const
    {
        const QStringList tables = m_db->scalar(u"SELECT string_agg(tablename, ',') FROM pg_tables "
                                                "WHERE schemaname = 'public'"_s)
                                       .split(u',');
        QString all;
        for (const QString &table : tables)
            all += m_db->scalar(
                u"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM %1 t"_s.arg(table));
        return all;
    }

    QJsonObject receiverStats() const
    {
        test::HttpRequest r;
        r.method = "GET";
        r.url = u"http://127.0.0.1:%1/stats"_s.arg(m_receiverPort);
        return QJsonDocument::fromJson(test::http(r, 5000).body).object();
    }

    // An event over HTTP reaches the receiver, which verifies its signature.
    bool webhookVerifies()
    {
        const QString id = u"sealed-%1"_s.arg(++m_events);
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_httpPort);
        r.body = test::cloudEvent(id);
        r.headers = {{"Authorization", "Bearer " + m_token.toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        if (test::http(r).status != 202)
            return false;
        const QString state = u"SELECT d.state FROM deliveries d JOIN events e ON e.id = "
                              "d.event_id WHERE e.ce_id = '%1'"_s.arg(id);
        if (!QTest::qWaitFor([&] { return m_db->scalar(state) == "succeeded"_L1; }, 20000))
            return false;
        return receiverStats().value("bad_signatures"_L1).toInt() == 0 &&
               receiverStats().value("requests"_L1).toInt() >= m_events;
    }

    // A producer completes the CURVE handshake with the agent's (opened) server key and gets
    // its event acknowledged.
    bool curveHandshakeWorks()
    {
        const QByteArray id = "curve-" + QByteArray::number(++m_events);
        for (int i = 0; i < 20; ++i) {
            test::ZmqClient client(u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort), m_producer);
            client.send({"ferry/1", id, "PUB", {}, test::cloudEvent(QString::fromLatin1(id))});
            const auto reply = client.receive(2000);
            if (reply.size() == 4 && reply[2] == "ACK")
                return true;
        }
        return false;
    }

    std::unique_ptr<test::Process> startAgent(const QString &key)
    {
        auto agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s},
                                                     agentEnv(key));
        if (!agent->start() || !test::waitForHealthy(m_httpPort))
            qWarning().noquote() << agent->output();
        return agent;
    }

    // The keys the secrets of a table are sealed under ("clear" for one in clear).
    QString keyIds(const QString &table, const QString &clearColumn) const
    {
        return m_db->scalar(
            u"SELECT string_agg(DISTINCT coalesce(secret_key_id, 'clear'), ',') "
            "FROM %1 WHERE coalesce(secret_key_id, %2) <> ''"_s.arg(table, clearColumn));
    }
    QString endpointKeys() const { return keyIds(u"endpoints"_s, u"secret"_s); }
    QString curveKeys() const { return keyIds(u"agent_curve_keys"_s, u"secret_key"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"sealedsecrets"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_httpPort = test::freePort();
        m_zmqPort = test::freePort();
        m_receiverPort = test::freePort();
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(!m_token.isEmpty());
        // No master key yet: both secrets are written in clear, as before version 16.
        m_secret = test::addEndpoint(m_db->url(), u"shop"_s,
                                     u"http://127.0.0.1:%1/hooks"_s.arg(m_receiverPort));
        QVERIFY(m_secret.startsWith(u"whsec_"_s));
        m_producer = test::addProducer(m_db->url(), u"shop"_s, m_zmqPort);
        QVERIFY(!m_producer.publicKey.isEmpty());
        m_curveSecret = m_db->scalar(u"SELECT secret_key FROM agent_curve_keys"_s).toLatin1();
        QCOMPARE(m_curveSecret.size(), 40);
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort), u"--secret"_s,
                        m_secret});
        QVERIFY(m_receiver->start());
    }

    void clearSecretsAreSealedAtStart()
    {
        QVERIFY(dump().contains(m_secret)); // what a backup held until now
        QVERIFY(dump().contains(QString::fromLatin1(m_curveSecret)));
        const QString key = generateKey(u"first.key"_s);
        QVERIFY(!key.isEmpty());
        auto agent = startAgent(key);
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(agent->output()));
        QVERIFY2(agent->output().contains(u"sealed 2 secret(s)"_s), qPrintable(agent->output()));

        const QString all = dump();
        QVERIFY(!all.contains(m_secret));
        QVERIFY(!all.contains(m_secret.mid(6, 16))); // not even the key part of it
        QVERIFY(!all.contains(QString::fromLatin1(m_curveSecret)));
        const QString id = QString::fromLatin1(MasterKey::load(key)->id());
        QCOMPARE(endpointKeys(), id);
        QCOMPARE(curveKeys(), id);

        QVERIFY(webhookVerifies());
        QVERIFY(curveHandshakeWorks());
        // The commands seal with the key too; without it they refuse to write in clear.
        QVERIFY(test::addEndpoint(m_db->url(), u"shop"_s, u"http://127.0.0.1:9/"_s).isEmpty());
        const auto added = test::run(test::agentBinary(),
                                     {u"endpoint"_s, u"add"_s, u"--tenant"_s, u"shop"_s, u"--url"_s,
                                      u"http://127.0.0.1:9/"_s, u"--event-type"_s, u"other"_s},
                                     agentEnv(key));
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        QVERIFY(added.out.trimmed().startsWith(u"whsec_"_s));
        QVERIFY(!dump().contains(added.out.trimmed()));
        QCOMPARE(endpointKeys(), id);
        QVERIFY(agent->terminate());
        QVERIFY(!agent->output().contains(m_secret));
    }

    void withoutTheKeyTheAgentRefusesToStart()
    {
        const auto r = test::run(test::agentBinary(), {u"run"_s}, agentEnv({}), 30000);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(u"has no master key"_s) &&
                     r.err.contains(u"credentials.master_key_file"_s) &&
                     r.err.contains(u"Restore the key file"_s),
                 qPrintable(r.err));
    }

    void rotationSealsEverythingUnderTheNewKey()
    {
        const QString old = keyFile(u"first.key"_s);
        const QString next = generateKey(u"second.key"_s);
        QVERIFY(!next.isEmpty());
        auto env = agentEnv(old);
        const auto r = test::run(test::agentBinary(),
                                 {u"master-key"_s, u"rotate"_s, u"--new-key"_s, next}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"2 route signing secret(s), 1 CURVE server key"_s),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(u"restart"_s) && r.err.contains(next), qPrintable(r.err));
        const QString id = QString::fromLatin1(MasterKey::load(next)->id());
        QCOMPARE(endpointKeys(), id);
        QCOMPARE(curveKeys(), id);
        QVERIFY(!dump().contains(m_secret));

        // The old key opens nothing any more.
        const auto refused = test::run(test::agentBinary(), {u"run"_s}, env, 30000);
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains(u"opens none of the sealed secrets"_s) &&
                     refused.err.contains(id),
                 qPrintable(refused.err));

        auto agent = startAgent(next);
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(agent->output()));
        QVERIFY(webhookVerifies());
        QVERIFY(curveHandshakeWorks());
        QVERIFY(agent->terminate());
    }

    // Rotating from a key that opens none of them: nothing can be sealed again, and the values
    // are named as sealed under neither key.
    void valuesUnderAnUnknownKeyAreReported()
    {
        const QString third = generateKey(u"third.key"_s);
        const auto r =
            test::run(test::agentBinary(), {u"master-key"_s, u"rotate"_s, u"--new-key"_s, third},
                      agentEnv(keyFile(u"first.key"_s)));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"0 route signing secret(s), 0 CURVE server key"_s),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(u"sealed under neither key: the signing secret of route"_s) &&
                     r.err.contains(u"the CURVE server secret key"_s),
                 qPrintable(r.err));
        const QString id = QString::fromLatin1(MasterKey::load(keyFile(u"second.key"_s))->id());
        QCOMPARE(endpointKeys(), id);
    }

    void cleanupTestCase()
    {
        if (m_receiver)
            m_receiver->terminate();
    }
};

QTEST_GUILESS_MAIN(TestSealedSecrets)
#include "tst_sealedsecrets.moc"
