// SIGTERM: the agent stops accepting, lets in-flight attempts finish within the grace period,
// releases what is still running after it, and exits 0. No delivery stays leased.
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestShutdown : public QObject
{
    Q_OBJECT

    struct Run
    {
        std::unique_ptr<test::TestDatabase> db;
        std::unique_ptr<test::Process> receiver;
        std::unique_ptr<test::Process> agent;
        quint16 receiverPort = 0;
        quint16 agentPort = 0;
        QString token;
    };

    void start(Run &r, const QString &name, int receiverDelayMs, const QString &grace)
    {
        r.db = std::make_unique<test::TestDatabase>(name);
        QVERIFY2(r.db->ok(), qPrintable(r.db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, r.db->url()}})
                .exitCode,
            0);
        r.token = test::createTenant(r.db->url(), u"t"_s);
        r.receiverPort = test::freePort();
        const QString secret =
            test::addEndpoint(r.db->url(), u"t"_s, u"http://127.0.0.1:%1/h"_s.arg(r.receiverPort));
        r.receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(r.receiverPort), u"--secret"_s, secret,
                        u"--delay-ms"_s, QString::number(receiverDelayMs)});
        QVERIFY(r.receiver->start());
        r.agentPort = test::freePort();
        auto env = test::agentEnvironment(r.db->url(), r.agentPort);
        env.insert(u"FERRY_SHUTDOWN_GRACE"_s, grace);
        env.insert(u"FERRY_WEBHOOK_TIMEOUT"_s, u"20s"_s);
        env.insert(u"FERRY_DISPATCH_LEASE"_s, u"60s"_s);
        r.agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(r.agent->start());
        QVERIFY2(test::waitForHealthy(r.agentPort), qPrintable(r.agent->output()));
        QList<test::HttpRequest> events;
        for (int i = 0; i < 10; ++i) {
            test::HttpRequest h;
            h.url = u"http://127.0.0.1:%1/v1/events"_s.arg(r.agentPort);
            h.body = test::cloudEvent(u"s-%1"_s.arg(i));
            h.headers = {{"Authorization", "Bearer " + r.token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            events.append(h);
        }
        for (const auto &resp : test::httpMany(events, 4))
            QCOMPARE(resp.status, 202);
    }

    int receiverRequests(quint16 port)
    {
        test::HttpRequest h;
        h.method = "GET";
        h.url = u"http://127.0.0.1:%1/stats"_s.arg(port);
        return QJsonDocument::fromJson(test::http(h).body).object().value("requests"_L1).toInt();
    }

private Q_SLOTS:
    void inFlightAttemptsFinishWithinGrace()
    {
        Run r;
        start(r, u"shutdown_finish"_s, 1500, u"10s"_s);
        QTRY_COMPARE_WITH_TIMEOUT(receiverRequests(r.receiverPort), 10, 10000);
        QCOMPARE(r.db->scalar(u"SELECT count(*) FROM delivery_queue WHERE state = 'leased'"_s),
                 u"10"_s);
        QElapsedTimer t;
        t.start();
        QVERIFY2(r.agent->terminate(15000), qPrintable(r.agent->output()));
        QVERIFY(t.elapsed() < 10000);
        // The receiver answered while the agent was stopping: all ten are recorded delivered.
        QCOMPARE(r.db->scalar(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded'"_s),
                 u"10"_s);
    }

    void stillRunningAfterGraceAreReleased()
    {
        Run r;
        start(r, u"shutdown_release"_s, 15000, u"1s"_s);
        QTRY_COMPARE_WITH_TIMEOUT(receiverRequests(r.receiverPort), 10, 10000);
        QElapsedTimer t;
        t.start();
        QVERIFY2(r.agent->terminate(15000), qPrintable(r.agent->output()));
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        // Nothing stays leased to the stopped agent: another agent can take them at once. The
        // requests were on the wire, so each counts as an attempt, recorded as released.
        QCOMPARE(r.db->scalar(u"SELECT count(*) FROM deliveries d JOIN delivery_queue q ON "
                              "q.delivery_id = d.id WHERE d.state IN ('pending', 'retry_wait') "
                              "AND q.state = 'ready' AND q.due_at <= now()"_s),
                 u"10"_s);
        QCOMPARE(r.db->scalar(u"SELECT count(*) FROM delivery_attempts WHERE outcome = "
                              "'released'"_s),
                 u"10"_s);
    }
};

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_e2e_shutdown.moc"
