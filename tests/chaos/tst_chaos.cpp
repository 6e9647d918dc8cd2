// Chaos: the delivery guarantees when agents crash or freeze.
//   - two agents, one killed with SIGKILL again and again while events flow to a webhook route,
//     an ordered webhook route and an SMS route: nothing lost, nothing reordered, the kills
//     catch work in flight (3 of 4, 20 of 24 at full size, at least), and every repeat at a
//     receiver comes from such work;
//   - an agent frozen (SIGSTOP) past its leases: its deliveries are rescued and completed by
//     the other agent; when it thaws (SIGCONT) its late outcomes are fenced off;
//   - a poison event reaches the DLQ after its attempts while everything else is delivered
//     without waiting for its retries.
// Each scenario prints a `CHAOS <scenario>:` line (tests/chaos/chaossupport.h). FERRY_CHAOS_LONG=1
// runs the full size (CTest label chaos-long).
#include "tests/chaos/chaossupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>

#include <csignal>

using namespace ferry;
using namespace ferry::chaos;
using namespace Qt::StringLiterals;

class TestChaos : public QObject
{
    Q_OBJECT

    // Publishes events [published, published + step) when every event so far is answered and
    // fewer than `low` deliveries wait: keeps a backlog up for a kill without flooding.
    struct Feed
    {
        Producer &producer;
        const Scene &scene;
        PublishCount &count;
        int published = 0;

        void topUp(const QString &url, int step, qint64 low)
        {
            if (count.answered() < published ||
                sqlCount(url, u"SELECT count(*) FROM delivery_queue WHERE state IN "
                              "('ready', 'leased')"_s) >= low)
                return;
            publishRange(producer, scene, published, published + step, count);
            published += step;
        }
    };

    // Kills `victim` while it works through a backlog, and restarts it. The deliveries leased
    // right after the kill are recorded under `label`: the leases the victim held are among
    // them, as it left them. The feed keeps the backlog up while the restarted victim comes
    // back: the other agent alone can drain a chunk before that.
    static void killMidRun(Agent &victim, const QString &url, Snapshot &snapshot, int label,
                           Feed &feed)
    {
        // -1 while its metrics endpoint is not up yet: count from 0 then.
        const qint64 before = std::max<qint64>(0, attemptsOf(victim));
        const auto busy = [&] {
            return attemptsOf(victim) > before + 50 &&
                   sqlCount(url, u"SELECT count(*) FROM delivery_queue WHERE state IN "
                                 "('ready', 'leased')"_s) > 100;
        };
        // Its own loop: QTRY_* evaluates busy() once more after the wait, and the backlog can
        // dip below its mark between two claims.
        QDeadlineTimer deadline(120000);
        bool wasBusy = false;
        while (!(wasBusy = busy()) && !deadline.hasExpired()) {
            feed.topUp(url, 200, 400);
            QTest::qWait(20);
        }
        QVERIFY2(wasBusy, "the restarted agent never worked through a backlog");
        victim.process->kill();
        snapshot.takeLeased(label);
        QVERIFY(victim.start());
    }

private Q_SLOTS:
    void twoAgentsOneKilledRepeatedly()
    {
        int events = scaled(3000, 100000);
        // One kill more than must land mid-run: a kill can meet the victim between two claims,
        // holding no lease at that instant. Misses are counted and reported.
        const int kills = scaled(4, 24);
        const int mustLand = scaled(3, 20);
        test::TestDatabase db(u"chaos_kill"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Scene scene;
        // Answers after 20 ms: every lease lasts a while, so the victim holds some at a kill.
        scene.setUp(db.url(), {0.1, true, true, {u"--delay-ms"_s, u"20"_s}, scaled(50, 200)});
        QVERIFY(!QTest::currentTestFailed());
        // Room for many requests per route, so that both agents hold leases at any time.
        auto env = scene.agentEnv();
        env.insert(u"FERRY_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT"_s, u"128"_s);
        Agent a = makeAgent(db.url(), env), b = makeAgent(db.url(), env);
        QVERIFY(a.start());
        QVERIFY(b.start());
        Producer::Options options{scene.credentials()};
        options.credentials.endpoints = {a.endpoint(), b.endpoint()};
        options.resendAfter = std::chrono::milliseconds(1000);
        options.giveUpAfter = std::chrono::minutes(10);
        Producer producer(options);
        QVERIFY(producer.start().ok());

        // Events go out in chunks, one before each kill, and more while a kill waits for a
        // backlog, so each kill finds work to do; `events` is the least that goes out.
        Snapshot snapshot(db.url());
        PublishCount count;
        Feed feed{producer, scene, count};
        const int chunk = events / (kills + 1);
        for (int killed = 0; killed < kills; ++killed) {
            publishRange(producer, scene, feed.published, feed.published + chunk, count);
            feed.published += chunk;
            killMidRun(b, db.url(), snapshot, killed, feed);
            if (QTest::currentTestFailed())
                return;
        }
        if (feed.published < events) {
            publishRange(producer, scene, feed.published, events, count);
            feed.published = events;
        }
        events = feed.published;
        QTRY_COMPARE_WITH_TIMEOUT(count.answered(), events, 600000);
        QCOMPARE(count.failed.load(), 0);
        scene.waitForDrain(events, scaled(180000, 1800000));
        Figures f;
        scene.measure(events, f);
        if (QTest::currentTestFailed())
            return;
        const qint64 caught = snapshot.labelsWithExpiredLease();
        const qint64 unexplained = scene.repeatsNotFromInFlight();
        f.extra = u"%1 SIGKILLs, %2 of them with deliveries in flight; %3 repeats explained by "
                  "neither a kill nor a lost answer"_s.arg(kills)
                      .arg(caught)
                      .arg(unexplained);
        report(u"sigkill"_s, f);
        // Kills that caught deliveries in flight: a lease the victim held at the kill ran out.
        QVERIFY2(caught >= mustLand, qPrintable(u"%1 of %2 kills caught deliveries in flight; at "
                                                "least %3 must"_s.arg(caught)
                                                    .arg(kills)
                                                    .arg(mustLand)));
        // Every repeat at a receiver is a delivery in flight at a kill or left without an answer.
        QCOMPARE(unexplained, 0);
        producer.close();
        QVERIFY(a.process->terminate());
        QVERIFY(b.process->terminate());
    }

    void frozenAgentIsFencedAfterRescue()
    {
        const int events = 40;
        test::TestDatabase db(u"chaos_stop"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Scene scene;
        // Slow answers keep requests in flight long enough to freeze an agent in the middle.
        scene.setUp(db.url(), {0.0, false, false, {u"--delay-ms"_s, u"800"_s}, 1});
        QVERIFY(!QTest::currentTestFailed());
        const QHash<QString, QString> timings{{u"FERRY_DISPATCH_LEASE"_s, u"2s"_s},
                                              {u"FERRY_WEBHOOK_TIMEOUT"_s, u"1500ms"_s}};
        Agent a = makeAgent(db.url(), timings);
        QVERIFY(a.start());
        Producer::Options options{scene.credentials()};
        options.credentials.endpoints = {a.endpoint()};
        Producer producer(options);
        QVERIFY(producer.start().ok());
        for (int i = 0; i < events; ++i)
            QVERIFY(producer.publish(scene.event(i)).get().ok());
        // Freeze A while it holds leases, then start B to take over.
        Snapshot snapshot(db.url());
        QTRY_VERIFY_WITH_TIMEOUT(scene.receiverStats().value("requests"_L1).toInt() > 0, 10000);
        ::kill(a.process->pid(), SIGSTOP);
        QVERIFY(snapshot.takeLeased(0) > 0); // frozen with leases
        Agent b = makeAgent(db.url(), timings);
        QVERIFY(b.start());
        scene.waitForDrain(events, 60000);
        ::kill(a.process->pid(), SIGCONT);
        // A wakes up with outcomes of requests it sent before the freeze; its leases were taken
        // over, so recording them changes nothing (the fencing message, no other).
        QTRY_VERIFY2_WITH_TIMEOUT(
            a.process->output().contains(u"outcomes ignored: their lease had been taken over"_s),
            qPrintable(a.process->output()), 20000);
        // The takeover, by data: A's leases ran out (the freeze cost it them) and each of those
        // deliveries then succeeded, once, in a later attempt.
        QCOMPARE(snapshot.labelsWithExpiredLease(), 1);
        const QString rescued = u"(SELECT delivery_id, attempt FROM delivery_attempts WHERE "
                                "outcome = 'lease_expired')"_s;
        const qint64 takenOver =
            sqlCount(db.url(), u"SELECT count(DISTINCT r.delivery_id) FROM %1 r"_s.arg(rescued));
        QVERIFY(takenOver > 0);
        QCOMPARE(
            sqlCount(db.url(), u"SELECT count(DISTINCT r.delivery_id) FROM %1 r JOIN "
                               "delivery_attempts s ON s.delivery_id = r.delivery_id AND "
                               "s.outcome = 'succeeded' AND s.attempt > r.attempt"_s.arg(rescued)),
            takenOver);
        QCOMPARE(sqlCount(db.url(), u"SELECT count(*) FROM (SELECT delivery_id FROM "
                                    "delivery_attempts WHERE outcome = 'succeeded' GROUP BY "
                                    "delivery_id HAVING count(*) > 1) doubled"_s),
                 0);
        Figures f;
        scene.measure(events, f);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(scene.repeatsNotFromInFlight(), 0);
        f.extra =
            u"%1 deliveries taken over from the frozen agent, 0 completed twice"_s.arg(takenOver);
        report(u"sigstop"_s, f);
        producer.close();
        QVERIFY(a.process->terminate());
        QVERIFY(b.process->terminate());
    }

    void poisonReachesTheDlqOthersFlow()
    {
        const int events = 500;
        test::TestDatabase db(u"chaos_poison"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Scene scene;
        scene.setUp(db.url(), {0.0,
                               false,
                               false,
                               {u"--poison-marker"_s, u"POISON"_s, u"--poison-status"_s, u"500"_s},
                               1});
        QVERIFY(!QTest::currentTestFailed());
        // The poison waits 4 s before each of its retries: it takes at least 12 s to die.
        constexpr qint64 kPoisonLifeMs = 3 * 4000;
        Agent a = makeAgent(db.url(), {{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"4"_s},
                                       {u"FERRY_RETRY_SCHEDULE"_s, u"0s,4s,4s,4s"_s}});
        QVERIFY(a.start());
        Producer::Options options{scene.credentials()};
        options.credentials.endpoints = {a.endpoint()};
        Producer producer(options);
        QVERIFY(producer.start().ok());
        QVERIFY(producer
                    .publish(R"({"specversion":"1.0","id":"poison","source":"/chaos","type":"t",)"
                             R"("data":"POISON"})")
                    .get()
                    .ok());
        std::vector<std::future<PublishResult>> rest;
        for (int i = 0; i < events; ++i)
            rest.push_back(producer.publish(scene.event(i)));
        for (auto &f : rest)
            QVERIFY(f.get().ok());
        scene.waitForDrain(events + 1, 60000);
        QCOMPARE(sql(db.url(), u"SELECT e.ce_id || ' ' || d.dead_reason || ' ' || d.attempts FROM "
                               "deliveries d JOIN events e ON e.id = d.event_id WHERE d.state = "
                               "'dead'"_s),
                 u"poison http_5xx 4"_s);
        const qint64 poisonLifeMs = sqlCount(
            db.url(), u"SELECT (extract(epoch FROM max(a.finished_at) - min(a.started_at)) * "
                      "1000)::bigint FROM delivery_attempts a JOIN deliveries d ON d.id = "
                      "a.delivery_id JOIN events e ON e.id = d.event_id WHERE e.ce_id = "
                      "'poison'"_s);
        QVERIFY2(poisonLifeMs >= kPoisonLifeMs, qPrintable(QString::number(poisonLifeMs)));
        // The others did not wait behind the poison's retries: had they queued behind it, each
        // would have taken at least the poison's retry waits; the slowest took less.
        const qint64 slowestMs =
            sqlCount(db.url(), u"SELECT (extract(epoch FROM max(d.finished_at - d.created_at)) * "
                               "1000)::bigint FROM deliveries d WHERE d.state = 'succeeded'"_s);
        QVERIFY2(slowestMs < kPoisonLifeMs, qPrintable(QString::number(slowestMs)));
        Figures f;
        scene.measure(events + 1, f, 1);
        if (QTest::currentTestFailed())
            return;
        f.extra = u"the poison dead after 4 attempts in %1 ms, the slowest other delivery took "
                  "%2 ms"_s.arg(poisonLifeMs)
                      .arg(slowestMs);
        report(u"poison"_s, f);
        producer.close();
        QVERIFY(a.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
