// End to end with real processes: ferry-agent, a webhook receiver that verifies every
// signature and fails 30 % of requests, 1,000 events over HTTP. Then the same with the agent
// killed with SIGKILL mid-run and restarted: no acknowledged event is lost.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSet>
#include <QTest>

#include <atomic>
#include <thread>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

constexpr int kEvents = 1000;

QJsonObject receiverStats(quint16 port)
{
    test::HttpRequest r;
    r.method = "GET";
    r.url = u"http://127.0.0.1:%1/stats"_s.arg(port);
    return QJsonDocument::fromJson(test::http(r, 5000).body).object();
}

struct Setup
{
    std::unique_ptr<test::TestDatabase> db;
    QString token;
    quint16 agentPort = 0;
    quint16 receiverPort = 0;
    std::unique_ptr<test::Process> receiver;
};

} // namespace

class TestEndToEndDelivery : public QObject
{
    Q_OBJECT

    // A migrated database with one tenant and one endpoint, and its receiver answering.
    void prepare(Setup &s, const QString &name)
    {
        s.db = std::make_unique<test::TestDatabase>(name);
        QVERIFY2(s.db->ok(), qPrintable(s.db->error()));
        const auto migrate = test::run(test::agentBinary(), {u"migrate"_s},
                                       {{u"FERRY_DATABASE_URL"_s, s.db->url()}});
        QVERIFY2(migrate.exitCode == 0, qPrintable(migrate.err));
        s.token = test::createTenant(s.db->url(), u"e2e"_s);
        QVERIFY(!s.token.isEmpty());
        s.receiverPort = test::freePort();
        const QString secret = test::addEndpoint(
            s.db->url(), u"e2e"_s, u"http://127.0.0.1:%1/hooks"_s.arg(s.receiverPort));
        QVERIFY(!secret.isEmpty());
        s.receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(s.receiverPort), u"--secret"_s, secret,
                        u"--fail-rate"_s, u"0.3"_s});
        QVERIFY(s.receiver->start());
        QTRY_VERIFY2_WITH_TIMEOUT(receiverStats(s.receiverPort).contains("requests"_L1),
                                  qPrintable(s.receiver->output()), 20000);
        s.agentPort = test::freePort();
    }

    QList<test::HttpRequest> events(const Setup &s) const
    {
        QList<test::HttpRequest> out;
        for (int i = 0; i < kEvents; ++i) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(s.agentPort);
            r.body = test::cloudEvent(u"e2e-%1"_s.arg(i), u"order.created"_s,
                                      u"{\"order\":%1}"_s.arg(i));
            r.headers = {{"Authorization", "Bearer " + s.token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            out.append(r);
        }
        return out;
    }

    QString deliveredCount(const Setup &s) const
    {
        return s.db->scalar(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded'"_s);
    }

private Q_SLOTS:
    void everyEventReachesTheReceiverExactlyOnce()
    {
        Setup s;
        prepare(s, u"e2e"_s);
        if (QTest::currentTestFailed())
            return;
        test::Process agent(test::agentBinary(), {u"run"_s},
                            test::agentEnvironment(s.db->url(), s.agentPort));
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(s.agentPort), qPrintable(agent.output()));

        const auto responses = test::httpMany(events(s), 16);
        for (const auto &r : responses)
            QCOMPARE(r.status, 202);

        QTRY_COMPARE_WITH_TIMEOUT(deliveredCount(s), QString::number(kEvents), 120000);
        const QJsonObject stats = receiverStats(s.receiverPort);
        QCOMPARE(stats.value("bad_signatures"_L1).toInt(), 0);
        QCOMPARE(stats.value("distinct_event_ids"_L1).toInt(), kEvents);
        QCOMPARE(stats.value("distinct_webhook_ids"_L1).toInt(), kEvents);
        QCOMPARE(stats.value("duplicates"_L1).toInt(), 0);
        QVERIFY(stats.value("failures"_L1).toInt() > 0); // retries really happened
        // Every failure was retried and recorded as an attempt.
        QCOMPARE(s.db->scalar(u"SELECT count(*) FROM delivery_attempts WHERE outcome = "
                              "'retryable'"_s)
                     .toInt(),
                 stats.value("failures"_L1).toInt());
        QCOMPARE(s.db->scalar(u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s), u"0"_s);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }

    // Kills the agent (SIGKILL: no chance to release leases or answer requests) and checks,
    // before it starts again, that the kill landed mid-run: the receiver has deliveries, and
    // not every event is even ingested. `delivered`: the receiver's deliveries then.
    void killMidRun(const Setup &s, test::Process &agent, int kill, int &delivered)
    {
        agent.kill();
        delivered = receiverStats(s.receiverPort).value("distinct_webhook_ids"_L1).toInt();
        const int ingested = s.db->scalar(u"SELECT count(*) FROM events"_s).toInt();
        const int succeeded = deliveredCount(s).toInt();
        const int leased =
            s.db->scalar(u"SELECT count(*) FROM delivery_queue WHERE state = 'leased'"_s).toInt();
        qInfo("kill %d: %d events ingested, %d delivered (%d recorded), %d in flight", kill,
              ingested, delivered, succeeded, leased);
        QVERIFY2(delivered > 0 && ingested < kEvents && succeeded < kEvents,
                 "the kill did not land mid-run");
    }

    void sigkillMidRunLosesNothing()
    {
        Setup s;
        prepare(s, u"e2ekill"_s);
        if (QTest::currentTestFailed())
            return;
        const auto env = test::agentEnvironment(s.db->url(), s.agentPort);
        auto agent =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(agent->start());
        QVERIFY2(test::waitForHealthy(s.agentPort), qPrintable(agent->output()));

        // The producer resends every event that was not acknowledged, with the same id, until
        // all are acknowledged: what a careful client does across an agent crash. It stops at
        // `allowance` acknowledged events until the test lets it go on, so that each kill lands
        // while part of the events is not even published yet.
        const QList<test::HttpRequest> all = events(s);
        std::atomic<int> acknowledged{0};
        std::atomic<int> allowance{kEvents * 2 / 5};
        std::atomic<bool> producerDone{false};
        std::atomic<bool> stop{false};
        std::thread producer([&] {
            QList<test::HttpRequest> pending = all;
            for (int round = 0; round < 600 && !pending.isEmpty() && !stop; ++round) {
                for (int a = allowance.load(); acknowledged.load() >= a; a = allowance.load())
                    allowance.wait(a);
                QList<test::HttpRequest> slice = pending.mid(0, 100);
                const auto responses = test::httpMany(slice, 16, 5000);
                QList<test::HttpRequest> again;
                for (qsizetype i = 0; i < slice.size(); ++i) {
                    if (responses[i].status == 202 || responses[i].status == 200)
                        ++acknowledged;
                    else
                        again.append(slice[i]);
                }
                pending = again + pending.mid(100);
                if (!again.isEmpty())
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            producerDone = true;
        });
        const auto release = qScopeGuard([&] {
            stop = true;
            allowance = kEvents;
            allowance.notify_all();
            producer.join();
        });

        int delivered = 0;
        for (int kill = 0; kill < 2; ++kill) {
            // Events up to the allowance acknowledged, and some delivered since the last start.
            QTRY_VERIFY_WITH_TIMEOUT(
                acknowledged.load() >= allowance.load() &&
                    receiverStats(s.receiverPort).value("distinct_webhook_ids"_L1).toInt() >
                        delivered,
                60000);
            killMidRun(s, *agent, kill, delivered);
            if (QTest::currentTestFailed())
                return;
            agent =
                std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
            QVERIFY(agent->start());
            QVERIFY2(test::waitForHealthy(s.agentPort), qPrintable(agent->output()));
            allowance = kill == 0 ? kEvents * 4 / 5 : kEvents;
            allowance.notify_all();
        }

        QTRY_VERIFY_WITH_TIMEOUT(producerDone.load(), 120000);
        QCOMPARE(acknowledged.load(), kEvents);
        QCOMPARE(s.db->scalar(u"SELECT count(*) FROM events"_s), QString::number(kEvents));
        // Leases of the killed agents expire and the restarted agent completes their work.
        QTRY_COMPARE_WITH_TIMEOUT(deliveredCount(s), QString::number(kEvents), 120000);
        const QJsonObject stats = receiverStats(s.receiverPort);
        QCOMPARE(stats.value("bad_signatures"_L1).toInt(), 0);
        QCOMPARE(stats.value("distinct_event_ids"_L1).toInt(), kEvents);
        QCOMPARE(stats.value("distinct_webhook_ids"_L1).toInt(), kEvents);
        // At-least-once inside: a request in flight when the agent died may arrive twice; the
        // webhook-id lets the receiver drop it. Reported, not hidden.
        qInfo() << "duplicates at the receiver after two SIGKILLs:"
                << stats.value("duplicates"_L1).toInt();
        QVERIFY2(agent->terminate(), qPrintable(agent->output()));
    }
};

QTEST_GUILESS_MAIN(TestEndToEndDelivery)
#include "tst_e2e_delivery.moc"
