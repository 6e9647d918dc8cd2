// Exactly-once ingest over ZeroMQ with the producer library: resends across an agent SIGKILL
// create no duplicate; 50 concurrent publishes of each of 1,000 keys create 1,000 events.
// Backpressure: with PostgreSQL frozen, the ingest queue stays bounded and producers get 503.
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include "shared/producer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestZmqIngest : public QObject
{
    Q_OBJECT

    struct Agent
    {
        std::unique_ptr<test::Process> process;
        quint16 http = 0;
        quint16 zmq = 0;
    };

    static bool startAgent(Agent &a, const QString &url, QHash<QString, QString> extra = {})
    {
        auto env = test::agentEnvironment(url, a.http, a.zmq);
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            env.insert(it.key(), it.value());
        a.process =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        return a.process->start() && test::waitForHealthy(a.http);
    }

private Q_SLOTS:
    void resendsAcrossSigkillCreateNoDuplicate()
    {
        test::TestDatabase db(u"zmqkill"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(!test::createTenant(db.url(), u"k"_s).isEmpty());
        Agent agent{nullptr, test::freePort(), test::freePort()};
        Producer::Options options;
        options.credentials = test::addProducer(db.url(), u"k"_s, agent.zmq);
        options.resendAfter = std::chrono::milliseconds(500);
        QVERIFY(startAgent(agent, db.url()));

        Producer producer(options);
        QVERIFY(producer.start().ok());
        constexpr int kEvents = 3000;
        std::atomic<int> ok{0}, failed{0};
        for (int i = 0; i < kEvents; ++i) {
            producer.publish(test::cloudEvent(u"k-%1"_s.arg(i)),
                             [&](const PublishResult &r) { (r.ok() ? ok : failed)++; });
            if (i == kEvents / 3) {
                // Mid-stream, with requests in flight: SIGKILL, then a new agent on the same
                // ports. The producer resends what was not acknowledged.
                QTest::qWait(int(QRandomGenerator::global()->bounded(50)));
                agent.process->kill();
                QVERIFY(startAgent(agent, db.url()));
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(ok.load() + failed.load(), kEvents, 60000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), QString::number(kEvents));
        QCOMPARE(db.scalar(u"SELECT count(DISTINCT ce_id) FROM events"_s),
                 QString::number(kEvents));
        producer.close();
        QVERIFY2(agent.process->terminate(), qPrintable(agent.process->output()));
    }

    void concurrentSameKeyPublishes()
    {
        test::TestDatabase db(u"zmqrace"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(!test::createTenant(db.url(), u"r"_s).isEmpty());
        Agent agent{nullptr, test::freePort(), test::freePort()};
        const auto credentials = test::addProducer(db.url(), u"r"_s, agent.zmq);
        QVERIFY(startAgent(agent, db.url()));

        // Five producers, each publishing every key ten times: 50 publishes per key, 50,000
        // in all, racing each other through the same group commit.
        constexpr int kKeys = 1000;
        std::vector<std::unique_ptr<Producer>> producers;
        for (int p = 0; p < 5; ++p) {
            producers.push_back(std::make_unique<Producer>(Producer::Options{credentials}));
            QVERIFY(producers.back()->start().ok());
        }
        std::atomic<int> created{0}, duplicates{0}, other{0};
        for (int copy = 0; copy < 10; ++copy) {
            for (int key = 0; key < kKeys; ++key) {
                for (auto &p : producers)
                    p->publish(
                        test::cloudEvent(u"race-%1"_s.arg(key)), [&](const PublishResult &r) {
                            (r.status == 202 ? created : r.status == 200 ? duplicates : other)++;
                        });
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(created.load() + duplicates.load() + other.load(), 50 * kKeys,
                                  120000);
        QCOMPARE(other.load(), 0);
        QCOMPARE(created.load(), kKeys);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), QString::number(kKeys));
        // Same key, other content: refused.
        auto conflict = producers.front()->publish(
            test::cloudEvent(u"race-7"_s, u"order.created"_s, u"{\"n\":2}"_s));
        QCOMPARE(conflict.get().status, 422);
        producers.clear();
        QVERIFY2(agent.process->terminate(), qPrintable(agent.process->output()));
    }

    void eachProducerCommitsInTheOrderItSent()
    {
        // The batch writer runs several lanes in parallel; a producer's pipelined requests must
        // still be stored in the order it sent them (deliveries are numbered as they are
        // inserted), while other producers load the other lanes.
        test::TestDatabase db(u"zmqorder"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(!test::createTenant(db.url(), u"o"_s).isEmpty());
        // Nobody listens there: the deliveries only serve as the insertion order.
        QVERIFY(
            !test::addEndpoint(db.url(), u"o"_s, u"http://127.0.0.1:%1/"_s.arg(test::freePort()))
                 .isEmpty());
        Agent agent{nullptr, test::freePort(), test::freePort()};
        const auto credentials = test::addProducer(db.url(), u"o"_s, agent.zmq);
        QVERIFY(startAgent(agent, db.url(), {{u"FERRY_INGEST_WRITERS"_s, u"2"_s}}));

        constexpr int kProducers = 4, kEach = 1500;
        std::vector<std::unique_ptr<Producer>> producers;
        for (int p = 0; p < kProducers; ++p) {
            producers.push_back(std::make_unique<Producer>(Producer::Options{credentials}));
            QVERIFY(producers.back()->start().ok());
        }
        std::atomic<int> accepted{0}, other{0};
        for (int n = 0; n < kEach; ++n) {
            for (int p = 0; p < kProducers; ++p)
                producers[size_t(p)]->publish(
                    test::cloudEvent(u"p%1-%2"_s.arg(p).arg(n, 5, 10, QChar(u'0'))),
                    [&](const PublishResult &r) { (r.status == 202 ? accepted : other)++; });
        }
        QTRY_COMPARE_WITH_TIMEOUT(accepted.load() + other.load(), kProducers * kEach, 60000);
        QCOMPARE(other.load(), 0);
        // Per producer, the event ids in insertion order must be sorted (zero-padded numbers).
        for (int p = 0; p < kProducers; ++p) {
            const QString outOfOrder = db.scalar(
                u"SELECT count(*) FROM (SELECT e.ce_id, lag(e.ce_id) OVER (ORDER BY d.seq) AS prev "
                "FROM deliveries d JOIN events e ON e.id = d.event_id "
                "WHERE e.ce_id LIKE 'p%1-%%') s WHERE prev > ce_id"_s.arg(p));
            QCOMPARE(outOfOrder, u"0"_s);
        }
        QCOMPARE(db.scalar(u"SELECT count(*) FROM deliveries"_s),
                 QString::number(kProducers * kEach));
        producers.clear();
        QVERIFY2(agent.process->terminate(), qPrintable(agent.process->output()));
    }

    void producerSpreadsOverTwoAgentsAndSurvivesOne()
    {
        test::TestDatabase db(u"zmqtwo"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(!test::createTenant(db.url(), u"two"_s).isEmpty());
        Agent a{nullptr, test::freePort(), test::freePort()};
        Agent b{nullptr, test::freePort(), test::freePort()};
        Producer::Options options;
        options.credentials = test::addProducer(db.url(), u"two"_s, a.zmq);
        options.credentials.endpoints.append(u"tcp://127.0.0.1:%1"_s.arg(b.zmq));
        options.resendAfter = std::chrono::milliseconds(500);
        QVERIFY(startAgent(a, db.url()));
        QVERIFY(startAgent(b, db.url()));
        Producer producer(options);
        QVERIFY(producer.start().ok());
        std::atomic<int> ok{0}, failed{0};
        for (int i = 0; i < 2000; ++i) {
            producer.publish(test::cloudEvent(u"two-%1"_s.arg(i)),
                             [&](const PublishResult &r) { (r.ok() ? ok : failed)++; });
            if (i == 500)
                b.process->kill(); // the other agent carries on alone
        }
        QTRY_COMPARE_WITH_TIMEOUT(ok.load() + failed.load(), 2000, 60000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), u"2000"_s);
        producer.close();
        QVERIFY2(a.process->terminate(), qPrintable(a.process->output()));
    }

    void frozenDatabaseKeepsTheQueueBounded()
    {
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start());
        const QString url = cluster.url();
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, url}})
                     .exitCode,
                 0);
        const QString token = test::createTenant(url, u"b"_s);
        QVERIFY(!token.isEmpty());
        Agent agent{nullptr, test::freePort(), test::freePort()};
        const auto credentials = test::addProducer(url, u"b"_s, agent.zmq);
        QVERIFY(startAgent(
            agent, url,
            {{u"FERRY_INGEST_QUEUE_LIMIT"_s, u"500"_s}, {u"FERRY_INGEST_MAX_BATCH"_s, u"100"_s}}));
        test::ZmqClient client(u"tcp://127.0.0.1:%1"_s.arg(agent.zmq), credentials);
        QVERIFY(client.send({"ferry/1", "warm", "PUB", {}, test::cloudEvent(u"warm"_s)}));
        QCOMPARE(client.receive().value(2), QByteArray("ACK"));

        QVERIFY(cluster.pause());
        constexpr int kSent = 3000;
        for (int i = 0; i < kSent; ++i)
            QVERIFY(client.send(
                {"ferry/1", QByteArray::number(i), "PUB", {}, test::cloudEvent(u"b-%1"_s.arg(i))}));
        // With the database frozen, only what fits in the queue (500) and the commit in
        // progress (100) may wait; everything else is refused at once with 503.
        int nack503 = 0;
        for (int i = 0; i < kSent - 600; ++i) {
            const auto reply = client.receive(10000);
            QVERIFY2(reply.size() == 4, "the agent stopped answering while the database froze");
            QCOMPARE(reply[2], QByteArray("NACK"));
            const auto body = QJsonDocument::fromJson(reply[3]).object();
            QCOMPARE(body.value("status"_L1).toInt(), 503);
            QVERIFY(body.value("retry_after"_L1).toInt() >= 1);
            ++nack503;
        }
        QCOMPARE(nack503, kSent - 600);
        // HTTP producers are refused the same way, at once.
        test::HttpRequest post;
        post.url = u"http://127.0.0.1:%1/v1/events"_s.arg(agent.http);
        post.body = test::cloudEvent(u"http-frozen"_s);
        post.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                        {"Content-Type", "application/cloudevents+json"}};
        const auto refusedHttp = test::http(post, 5000);
        QCOMPARE(refusedHttp.status, 503);
        QVERIFY(refusedHttp.headers.contains("retry-after"));
        QVERIFY(cluster.resume());
        // Thawed: the queued events commit and are acknowledged; nothing else was stored.
        int acked = 0, refused = nack503;
        while (acked + refused < kSent) {
            const auto reply = client.receive(20000);
            QVERIFY(reply.size() == 4);
            (reply[2] == "ACK" ? acked : refused)++;
        }
        QCOMPARE(db_scalar(url, u"SELECT count(*) FROM events WHERE ce_id LIKE 'b-%'"_s),
                 QString::number(acked));
        QVERIFY(acked >= 1);
        QVERIFY2(agent.process->terminate(), qPrintable(agent.process->output()));
    }

private:
    static QString db_scalar(const QString &url, const QString &sql)
    {
        agent::store::PgConnection db;
        if (!db.open(url))
            return u"<no connection>"_s;
        auto r = db.exec(sql.toUtf8().constData());
        return r.ok() && r->rows() ? r->text(0, 0) : u"<error>"_s;
    }
};

QTEST_GUILESS_MAIN(TestZmqIngest)
#include "tst_e2e_zmqingest.moc"
