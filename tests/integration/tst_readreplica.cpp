// The API's heavy reads (delivery search, reports, SLA windows) from a real streaming hot standby
// (database.read_url): answers say where they come from (Ferry-Data-Source) and how old the
// standby's data may be (Ferry-Data-Age). A standby further behind than database.read_max_lag,
// or unreachable, is not used: the same request reads from the primary instead of answering old
// data or 503. The console says so beside the SLA table, the delivery search and the reports.
#include "console/core/apiclient.h"
#include "console/core/connectionprofile.h"
#include "console/core/reportexporter.h"
#include "console/models/deliverysearchmodel.h"
#include "console/widgets/tenantswidget.h"
#include "console/widgets/tracewidget.h"
#include "tests/support/apitest.h"
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestReadReplica : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::PrivateCluster> m_primary;
    std::unique_ptr<test::PrivateCluster> m_standby;
    test::RecordingServer m_receiver;
    std::vector<std::unique_ptr<test::Process>> m_agents;
    // Agent 0 takes standby data up to an hour old, agent 1 up to 2 s.
    std::vector<test::ApiEndpoint> m_apis;
    QByteArray m_admin;
    QString m_producer;
    quint16 m_ingestPort = 0;
    QString m_pin; // the API certificate's fingerprint, as `cert generate` printed it

    bool startAgent(const QString &maxLag, quint16 ingestPort)
    {
        const quint16 apiPort = test::freePort();
        auto env = test::agentEnvironment(m_primary->url(), ingestPort);
        test::addApi(env, apiPort, m_dir.path());
        env.insert(u"FERRY_DATABASE_READ_URL"_s, m_standby->url());
        env.insert(u"FERRY_DATABASE_READ_MAX_LAG"_s, maxLag);
        env.insert(u"FERRY_AGENTS_HEARTBEAT"_s, u"1s"_s); // commits that the standby replays
        m_agents.push_back(
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env));
        if (!m_agents.back()->start() || !test::waitForHealthy(ingestPort))
            return false;
        m_apis.push_back({apiPort, m_dir.filePath(u"api.crt"_s)});
        return true;
    }

    QHash<QString, QString> m_eventIds; // CloudEvents id → the event's UUID from ingest

    bool publish(const QString &id)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_ingestPort);
        r.body = test::cloudEvent(id);
        r.headers = {{"Authorization", "Bearer " + m_producer.toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        const auto answer = test::http(r);
        m_eventIds[id] = test::jsonObject(answer).value("event_id"_L1).toString();
        return answer.status == 202;
    }

    test::HttpResponse search(int agent, const QString &eventId) const
    {
        return m_apis[agent].call("GET", u"/v1/deliveries?event_id="_s + m_eventIds.value(eventId),
                                  m_admin);
    }

    // Asks agent `agent` for `eventId` until `until` holds for the answer (20 s at most).
    template <typename Until>
    test::HttpResponse searchUntil(int agent, const QString &eventId, Until &&until) const
    {
        test::HttpResponse r;
        QElapsedTimer waited;
        waited.start();
        while (!until(r = search(agent, eventId)) && waited.elapsed() < 20000)
            QTest::qWait(100);
        return r;
    }

    static QByteArray source(const test::HttpResponse &r)
    {
        return r.headers.value("ferry-data-source");
    }

    QString standbyScalar(const QString &sql) const
    {
        return test::run(u"psql"_s, {m_standby->url(), u"-tAc"_s, sql}).out.trimmed();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_primary = std::make_unique<test::PrivateCluster>(m_dir.filePath(u"primary"_s));
        QVERIFY(m_primary->start());
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, m_primary->url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        const auto cert = test::run(test::agentBinary(),
                                    {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env);
        QCOMPARE(cert.exitCode, 0);
        m_pin = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        QVERIFY2(!m_pin.isEmpty(), qPrintable(cert.out));
        m_admin = test::cliToken(m_primary->url(), u"admin"_s);
        m_producer = test::createTenant(m_primary->url(), u"shop"_s);
        QVERIFY(m_receiver.start());
        QVERIFY(
            !test::addEndpoint(m_primary->url(), u"shop"_s, m_receiver.url(u"/hook"_s)).isEmpty());
        m_standby = std::make_unique<test::PrivateCluster>(m_dir.filePath(u"standby"_s));
        QVERIFY(m_standby->startStandby(m_primary->url()));
        m_ingestPort = test::freePort();
        QVERIFY(startAgent(u"1h"_s, m_ingestPort));
        QVERIFY(startAgent(u"2s"_s, test::freePort()));
    }

    void cleanupTestCase()
    {
        for (auto &agent : m_agents)
            QVERIFY2(agent->terminate(), qPrintable(agent->output()));
    }

    void heavyReadsComeFromTheStandby()
    {
        QVERIFY(publish(u"first"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver.received().size(), 1, 20000);
        // Until the standby replays its first transaction it cannot say how old its data is.
        const auto found = searchUntil(0, u"first"_s, [](const auto &r) {
            return source(r) == QByteArray("replica") && test::jsonItems(r).size() == 1;
        });
        QCOMPARE(test::jsonItems(found).size(), 1);
        QCOMPARE(source(found), QByteArray("replica"));
        bool parsed = false;
        const double age = found.headers.value("ferry-data-age").toDouble(&parsed);
        QVERIFY2(parsed && age >= 0 && age < 3600, found.headers.value("ferry-data-age"));

        for (const QString &path : {u"/v1/sla?window=1h"_s, u"/v1/reports/deliveries?tenant=shop"_s,
                                    u"/v1/reports/deliveries?tenant=shop&format=csv"_s}) {
            const auto r = m_apis[0].call("GET", path, m_admin);
            QVERIFY2(r.status == 200, qPrintable(test::describe(r)));
            QCOMPARE(source(r), QByteArray("replica"));
            QVERIFY(r.headers.contains("ferry-data-age"));
        }
        // Everything else reads from the primary and says nothing about it.
        const auto overview = m_apis[0].call("GET", u"/v1/overview"_s, m_admin);
        QCOMPARE(overview.status, 200);
        QVERIFY(!overview.headers.contains("ferry-data-source"));
    }

    // With replay paused, the standby falls behind: the agent that accepts an hour's lag shows
    // its data without the new delivery and says how old it may be; the one that accepts 2 s
    // reads from the primary as soon as the standby is further behind than that.
    void theConsoleSaysTheDataMayBeOld()
    {
        console::ConnectionProfile profile;
        profile.id = u"replica"_s;
        profile.name = u"agent with a standby"_s;
        profile.url = QUrl(u"https://127.0.0.1:%1"_s.arg(m_apis[0].apiPort));
        profile.trust = console::ConnectionProfile::Trust::Pinned;
        profile.pin = m_pin;
        console::ApiClient client;
        client.setProfile(profile, QString::fromUtf8(m_admin));
        client.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), console::ApiClient::State::Connected, 20000);
        const QString note = u"Read from a replica"_s;

        console::TenantsWidget tenants(&client);
        tenants.refresh();
        QTRY_VERIFY2_WITH_TIMEOUT(tenants.summary().contains(note), qPrintable(tenants.summary()),
                                  20000);
        QVERIFY2(tenants.summary().contains(u"second"_s), qPrintable(tenants.summary()));

        console::TraceWidget trace(&client);
        trace.search(console::TraceWidget::SearchBy::EventId, m_eventIds.value(u"first"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!trace.message().contains(u"Searching"_s), 20000);
        QVERIFY2(trace.message().contains(note), qPrintable(trace.message()));
        QCOMPARE(trace.results()->rowCount(), 1);

        console::ReportExporter reports(&client);
        QSignalSpy finished(&reports, &console::ReportExporter::finished);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        reports.start({u"shop"_s}, now.addDays(-1), now.addSecs(60),
                      console::ReportExporter::Format::Pdf, {});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QVERIFY2(finished.first().at(1).toString().contains(note),
                 qPrintable(finished.first().at(1).toString()));
    }

    void aStandbyBehindSaysSoOrIsNotUsed()
    {
        QCOMPARE(standbyScalar(u"SELECT pg_wal_replay_pause()"_s), QString());
        QTRY_COMPARE_WITH_TIMEOUT(standbyScalar(u"SELECT pg_get_wal_replay_pause_state()"_s),
                                  u"paused"_s, 10000);
        QVERIFY(publish(u"second"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver.received().size(), 2, 20000);

        const auto behind = searchUntil(0, u"second"_s, [](const auto &r) {
            return r.headers.value("ferry-data-age").toDouble() >= 3;
        });
        QCOMPARE(source(behind), QByteArray("replica"));
        QVERIFY2(behind.headers.value("ferry-data-age").toDouble() >= 3,
                 behind.headers.value("ferry-data-age"));
        QCOMPARE(test::jsonItems(behind).size(), 0); // not replayed yet, and the age says so

        const auto strict = searchUntil(
            1, u"second"_s, [](const auto &r) { return source(r) == QByteArray("primary"); });
        QCOMPARE(source(strict), QByteArray("primary"));
        QVERIFY(!strict.headers.contains("ferry-data-age"));
        QCOMPARE(test::jsonItems(strict).size(), 1);

        QCOMPARE(standbyScalar(u"SELECT pg_wal_replay_resume()"_s), QString());
        const auto caughtUp = searchUntil(1, u"second"_s, [](const auto &r) {
            return source(r) == QByteArray("replica") && test::jsonItems(r).size() == 1;
        });
        QCOMPARE(source(caughtUp), QByteArray("replica"));
        QCOMPARE(test::jsonItems(caughtUp).size(), 1);
    }

    void anUnreachableStandbyIsNotUsed()
    {
        QVERIFY(m_standby->stop());
        const auto r = search(0, u"second"_s);
        QVERIFY2(r.status == 200, qPrintable(test::describe(r)));
        QCOMPARE(source(r), QByteArray("primary"));
        QCOMPARE(test::jsonItems(r).size(), 1);
    }
};

QTEST_MAIN(TestReadReplica)
#include "tst_readreplica.moc"
