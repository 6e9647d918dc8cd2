// End to end with real processes: ferry-agent, a webhook receiver that verifies every
// signature and fails 30 % of requests, 1,000 events over HTTP. Then the same with the agent
// killed with SIGKILL mid-run and restarted: no acknowledged event is lost.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
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

    Setup prepare(const QString &name)
    {
        Setup s;
        s.db = std::make_unique<test::TestDatabase>(name);
        if (!s.db->ok())
            return s;
        test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, s.db->url()}});
        s.token = test::createTenant(s.db->url(), u"e2e"_s);
        s.receiverPort = test::freePort();
        const QString secret = test::addEndpoint(
            s.db->url(), u"e2e"_s, u"http://127.0.0.1:%1/hooks"_s.arg(s.receiverPort));
        s.receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(s.receiverPort), u"--secret"_s, secret,
                        u"--fail-rate"_s, u"0.3"_s});
        s.receiver->start();
        s.agentPort = test::freePort();
        return s;
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
        Setup s = prepare(u"e2e"_s);
        QVERIFY2(s.db->ok(), qPrintable(s.db->error()));
        QVERIFY(!s.token.isEmpty());
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

    void sigkillMidRunLosesNothing()
    {
        Setup s = prepare(u"e2ekill"_s);
        QVERIFY2(s.db->ok(), qPrintable(s.db->error()));
        const auto env = test::agentEnvironment(s.db->url(), s.agentPort);
        auto agent =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(agent->start());
        QVERIFY2(test::waitForHealthy(s.agentPort), qPrintable(agent->output()));

        // The producer resends every event that was not acknowledged, with the same id, until
        // all are acknowledged: what a careful client does across an agent crash.
        const QList<test::HttpRequest> all = events(s);
        std::atomic<int> acknowledged{0};
        std::atomic<bool> producerDone{false};
        std::thread producer([&] {
            QList<test::HttpRequest> pending = all;
            for (int round = 0; round < 600 && !pending.isEmpty(); ++round) {
                // Small slices, so the kill lands while requests are in flight.
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

        for (int kill = 0; kill < 2; ++kill) {
            QTest::qWait(300 + int(QRandomGenerator::global()->bounded(500)));
            agent->kill(); // SIGKILL: no chance to release leases or answer requests
            agent =
                std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
            QVERIFY(agent->start());
            QVERIFY2(test::waitForHealthy(s.agentPort), qPrintable(agent->output()));
        }

        QTRY_VERIFY_WITH_TIMEOUT(producerDone.load(), 120000);
        producer.join();
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
