// Chaos: the delivery guarantees under crashes, pauses and database restarts.
//   - two agents, one killed with SIGKILL again and again while events flow: nothing lost,
//     every delivery reaches the receiver (distinct webhook-ids = deliveries);
//   - an agent frozen (SIGSTOP) past its leases: its deliveries are rescued and completed by
//     the other agent; when it thaws (SIGCONT) its late outcomes are fenced off;
//   - PostgreSQL restarted with `pg_ctl restart -m immediate` mid-run: agents reconnect by
//     themselves and nothing acknowledged is lost;
//   - a poison event reaches the DLQ after its attempts while everything else is delivered.
// FERRY_CHAOS_LONG=1 runs the long version (20,000 events, 10 kills), CTest label chaos-long.
#include "agent/store/pgconnection.h"
#include "shared/producer.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

bool longRun()
{
    return qgetenv("FERRY_CHAOS_LONG") == "1";
}

QString sql(const QString &url, const QString &query)
{
    agent::store::PgConnection db;
    if (!db.open(url))
        return u"<no connection>"_s;
    auto r = db.exec(query.toUtf8().constData());
    return r.ok() && r->rows() ? r->text(0, 0) : u"<error>"_s;
}

QJsonObject stats(quint16 port)
{
    test::HttpRequest h;
    h.method = "GET";
    h.url = u"http://127.0.0.1:%1/stats"_s.arg(port);
    return QJsonDocument::fromJson(test::http(h, 5000).body).object();
}

struct Agent
{
    quint16 http = 0;
    quint16 zmq = 0;
    std::unique_ptr<test::Process> process;
    QHash<QString, QString> env;

    bool start()
    {
        process = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        return process->start() && test::waitForHealthy(http, 30000);
    }
};

Agent makeAgent(const QString &url, QHash<QString, QString> extra = {})
{
    Agent a;
    a.http = test::freePort();
    a.zmq = test::freePort();
    a.env = test::agentEnvironment(url, a.http, a.zmq);
    a.env.insert(u"FERRY_DISPATCH_LEASE"_s, u"3s"_s);
    a.env.insert(u"FERRY_WEBHOOK_TIMEOUT"_s, u"2s"_s);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        a.env.insert(it.key(), it.value());
    return a;
}

// Publishes events through a producer connected to every given agent; returns how many were
// acknowledged (the producer resends until then).
struct Publisher
{
    std::unique_ptr<Producer> producer;
    std::atomic<int> acked{0};
    std::atomic<int> failed{0};
};

} // namespace

class TestChaos : public QObject
{
    Q_OBJECT

    struct Setup
    {
        QString url;
        QString secret;
        quint16 receiverPort = 0;
        std::unique_ptr<test::Process> receiver;
        ProducerCredentials credentials;
    };

    void prepare(Setup &s, const QString &url, const QStringList &receiverArgs)
    {
        s.url = url;
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, url}})
                     .exitCode,
                 0);
        QVERIFY(!test::createTenant(url, u"chaos"_s).isEmpty());
        s.receiverPort = test::freePort();
        s.secret =
            test::addEndpoint(url, u"chaos"_s, u"http://127.0.0.1:%1/h"_s.arg(s.receiverPort));
        s.receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(s.receiverPort), u"--secret"_s,
                        s.secret} +
                receiverArgs);
        QVERIFY(s.receiver->start());
        s.credentials = test::addProducer(url, u"chaos"_s, 0);
    }

    static QString unfinished(const QString &url)
    {
        return sql(url, u"SELECT count(*) FROM deliveries WHERE state NOT IN ('succeeded', "
                        "'dead')"_s);
    }

private Q_SLOTS:
    void twoAgentsOneKilledRepeatedly()
    {
        const int events = longRun() ? 20000 : 2000;
        const int kills = longRun() ? 10 : 3;
        test::TestDatabase db(u"chaos_kill"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Setup s;
        prepare(s, db.url(), {u"--fail-rate"_s, u"0.1"_s});
        Agent a = makeAgent(db.url()), b = makeAgent(db.url());
        QVERIFY(a.start());
        QVERIFY(b.start());

        Producer::Options options{s.credentials};
        options.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(a.zmq),
                                         u"tcp://127.0.0.1:%1"_s.arg(b.zmq)};
        options.resendAfter = std::chrono::milliseconds(1000);
        Producer producer(options);
        QVERIFY(producer.start().ok());
        std::atomic<int> acked{0}, failed{0};
        QElapsedTimer clock;
        clock.start();
        int killed = 0;
        qint64 nextKill = 300 + QRandomGenerator::global()->bounded(700);
        for (int i = 0; i < events; ++i) {
            producer.publish(test::cloudEvent(u"c-%1"_s.arg(i)),
                             [&](const PublishResult &r) { (r.ok() ? acked : failed)++; });
            if (i % 200 == 0)
                QTest::qWait(20); // a steady stream rather than one burst
            if (killed < kills && clock.elapsed() >= nextKill) {
                b.process->kill();
                QVERIFY(b.start());
                ++killed;
                nextKill = clock.elapsed() + 200 + QRandomGenerator::global()->bounded(800);
            }
        }
        while (killed < kills) { // the stream was shorter than the kill schedule
            QTest::qWait(int(std::max<qint64>(0, nextKill - clock.elapsed())));
            b.process->kill();
            QVERIFY(b.start());
            ++killed;
            nextKill = clock.elapsed() + 200 + QRandomGenerator::global()->bounded(800);
        }
        QTRY_COMPARE_WITH_TIMEOUT(acked.load() + failed.load(), events, 120000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), QString::number(events));
        QTRY_COMPARE_WITH_TIMEOUT(unfinished(db.url()), u"0"_s, 180000);
        const QString dead = db.scalar(u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s);
        QCOMPARE(dead, u"0"_s);
        const QJsonObject st = stats(s.receiverPort);
        QCOMPARE(st.value("distinct_webhook_ids"_L1).toInt(), events);
        QCOMPARE(st.value("bad_signatures"_L1).toInt(), 0);
        qInfo().noquote() << u"chaos: %1 events, %2 SIGKILLs, lost 0, duplicates at the "
                             "receiver by webhook-id: %3, attempts: %4"_s.arg(events)
                                 .arg(kills)
                                 .arg(st.value("duplicates"_L1).toInt())
                                 .arg(db.scalar(u"SELECT count(*) FROM delivery_attempts"_s));
        producer.close();
        QVERIFY(a.process->terminate());
        QVERIFY(b.process->terminate());
    }

    void frozenAgentIsFencedAfterRescue()
    {
        test::TestDatabase db(u"chaos_stop"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Setup s;
        // Slow answers keep requests in flight long enough to freeze an agent in the middle.
        prepare(s, db.url(), {u"--delay-ms"_s, u"800"_s});
        Agent a = makeAgent(db.url(), {{u"FERRY_DISPATCH_LEASE"_s, u"2s"_s},
                                       {u"FERRY_WEBHOOK_TIMEOUT"_s, u"1500ms"_s}});
        QVERIFY(a.start());
        auto producerEnv = Producer::Options{s.credentials};
        producerEnv.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(a.zmq)};
        Producer producer(producerEnv);
        QVERIFY(producer.start().ok());
        for (int i = 0; i < 40; ++i)
            QVERIFY(producer.publish(test::cloudEvent(u"s-%1"_s.arg(i))).get().ok());
        // Freeze A while it holds leases, then start B to take over.
        QTRY_VERIFY_WITH_TIMEOUT(stats(s.receiverPort).value("requests"_L1).toInt() > 0, 10000);
        ::kill(a.process->pid(), SIGSTOP);
        Agent b = makeAgent(db.url(), {{u"FERRY_DISPATCH_LEASE"_s, u"2s"_s},
                                       {u"FERRY_WEBHOOK_TIMEOUT"_s, u"1500ms"_s}});
        QVERIFY(b.start());
        QTRY_COMPARE_WITH_TIMEOUT(unfinished(db.url()), u"0"_s, 60000);
        ::kill(a.process->pid(), SIGCONT);
        // A wakes up with answers to requests it sent before the freeze; it notices that its
        // leases were taken over, and recording those outcomes changes nothing.
        QTRY_VERIFY2_WITH_TIMEOUT(a.process->output().contains(u"taken over"_s),
                                  qPrintable(a.process->output()), 20000);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded'"_s),
                 u"40"_s);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM (SELECT delivery_id FROM delivery_attempts "
                           "WHERE outcome = 'succeeded' GROUP BY delivery_id HAVING count(*) > 1) "
                           "doubled"_s),
                 u"0"_s);
        QVERIFY(db.scalar(u"SELECT count(*) FROM delivery_attempts WHERE outcome = "
                          "'lease_expired'"_s)
                    .toInt() > 0); // the freeze did cost A its leases
        producer.close();
        QVERIFY(a.process->terminate());
        QVERIFY(b.process->terminate());
    }

    void databaseRestartMidRun()
    {
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start());
        Setup s;
        prepare(s, cluster.url(), {});
        Agent a = makeAgent(cluster.url());
        QVERIFY(a.start());
        Producer::Options options{s.credentials};
        options.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(a.zmq)};
        options.resendAfter = std::chrono::milliseconds(1000);
        Producer producer(options);
        QVERIFY(producer.start().ok());
        const int events = 3000;
        std::atomic<int> acked{0}, failed{0};
        for (int i = 0; i < events; ++i) {
            producer.publish(test::cloudEvent(u"r-%1"_s.arg(i)),
                             [&](const PublishResult &r) { (r.ok() ? acked : failed)++; });
            if (i == events / 2)
                QVERIFY(cluster.restartImmediate()); // crash-restart under load
        }
        QTRY_COMPARE_WITH_TIMEOUT(acked.load() + failed.load(), events, 120000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(sql(cluster.url(), u"SELECT count(*) FROM events"_s), QString::number(events));
        QTRY_COMPARE_WITH_TIMEOUT(unfinished(cluster.url()), u"0"_s, 120000);
        QCOMPARE(stats(s.receiverPort).value("distinct_webhook_ids"_L1).toInt(), events);
        producer.close();
        QVERIFY(a.process->terminate());
    }

    void poisonReachesTheDlqOthersFlow()
    {
        test::TestDatabase db(u"chaos_poison"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Setup s;
        prepare(s, db.url(), {u"--poison-marker"_s, u"POISON"_s, u"--poison-status"_s, u"500"_s});
        Agent a = makeAgent(db.url(), {{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"4"_s}});
        QVERIFY(a.start());
        Producer::Options options{s.credentials};
        options.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(a.zmq)};
        Producer producer(options);
        QVERIFY(producer.start().ok());
        QVERIFY(
            producer.publish(test::cloudEvent(u"poison"_s, u"t"_s, u"\"POISON\""_s)).get().ok());
        std::vector<std::future<PublishResult>> rest;
        for (int i = 0; i < 500; ++i)
            rest.push_back(producer.publish(test::cloudEvent(u"p-%1"_s.arg(i))));
        for (auto &f : rest)
            QVERIFY(f.get().ok());
        QTRY_COMPARE_WITH_TIMEOUT(unfinished(db.url()), u"0"_s, 60000);
        QCOMPARE(db.scalar(u"SELECT e.ce_id || ' ' || d.dead_reason || ' ' || d.attempts FROM "
                           "deliveries d JOIN events e ON e.id = d.event_id WHERE d.state = "
                           "'dead'"_s),
                 u"poison http_5xx 4"_s);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded'"_s),
                 u"500"_s);
        // "On time": the others did not wait behind the poison's retries.
        const double p99 =
            db.scalar(
                  u"SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM "
                  "d.finished_at - d.created_at)) FROM deliveries d WHERE d.state = 'succeeded'"_s)
                .toDouble();
        qInfo() << "poison: p99 time to delivery of the other 500 events:" << p99 << "s";
        producer.close();
        QVERIFY(a.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
