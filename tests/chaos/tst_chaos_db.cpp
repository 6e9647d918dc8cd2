// Chaos: the delivery guarantees when PostgreSQL goes away under the agents.
//   - PostgreSQL stopped with `-m immediate` and restarted while deliveries are in flight: the
//     agent reconnects by itself, nothing acknowledged is lost;
//   - every connection to PostgreSQL cut for 10 s (and 30 s in the long run) by a TCP proxy that
//     then swallows new ones: the agent waits it out and catches up;
//   - the agent's LISTEN connection killed with pg_terminate_backend: it listens again, and work
//     committed by others still wakes it (its poll interval is an hour, so nothing else could).
// Each scenario prints a `CHAOS <scenario>:` line. FERRY_CHAOS_LONG=1 runs the full size.
#include "tests/chaos/chaossupport.h"

#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace ferry;
using namespace ferry::chaos;
using namespace Qt::StringLiterals;

class TestChaosDb : public QObject
{
    Q_OBJECT

    struct Run
    {
        Scene scene;
        Agent agent;
        std::unique_ptr<Producer> producer;
        PublishCount count;
        int events = 0;
    };

    // A scene on `url`, one agent on `agentUrl`, and every event published (not yet answered).
    static void begin(Run &run, const QString &url, const QString &agentUrl, int events)
    {
        run.events = events;
        run.scene.setUp(url, {0.1, true, false, {}, 50});
        QVERIFY(!QTest::currentTestFailed());
        run.agent = makeAgent(agentUrl, run.scene.agentEnv());
        QVERIFY(run.agent.start());
        Producer::Options options{run.scene.credentials()};
        options.credentials.endpoints = {run.agent.endpoint()};
        options.resendAfter = std::chrono::milliseconds(1000);
        options.giveUpAfter = std::chrono::minutes(10);
        run.producer = std::make_unique<Producer>(options);
        QVERIFY(run.producer->start().ok());
        publishRange(*run.producer, run.scene, 0, events, run.count);
    }

    // Waits until a share of the work is done and deliveries are leased (recorded under
    // `label`): the fault that follows lands mid-run.
    static void waitForMidRun(Run &run, Snapshot &snapshot, int label, double share)
    {
        const qint64 total = qint64(run.events) * run.scene.routes();
        QTRY_VERIFY_WITH_TIMEOUT(run.scene.delivered() >= qint64(total * share), 120000);
        // Its own loop: QTRY_* stops waiting once anything has marked the test failed.
        QDeadlineTimer deadline(30000);
        qint64 leased = 0;
        while ((leased = snapshot.takeLeased(label)) <= 0 && !deadline.hasExpired())
            QTest::qWait(20);
        QVERIFY2(leased > 0, qPrintable(u"%1 leased; the agent said: %2"_s.arg(leased).arg(
                                 run.agent.process->output().right(3000))));
    }

    static void finish(Run &run, const QString &scenario, const QString &extra)
    {
        QTRY_COMPARE_WITH_TIMEOUT(run.count.answered(), run.events, 600000);
        QCOMPARE(run.count.failed.load(), 0);
        run.scene.waitForDrain(run.events, 600000);
        if (QTest::currentTestFailed())
            return;
        Figures f;
        run.scene.measure(run.events, f);
        if (QTest::currentTestFailed())
            return;
        f.extra = extra;
        report(scenario, f);
        run.producer->close();
        QVERIFY(run.agent.process->terminate());
    }

    static QString postgresPort(const QString &url) { return QString::number(QUrl(url).port()); }

    // Events and their deliveries to every route, committed by this test as another agent
    // would, with the notification such a commit sends.
    static bool insertEvents(const QString &url, int from, int to)
    {
        return sql(url,
                   u"WITH ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
                   "SELECT gen_random_uuid(), t.id, '/chaos', 'c-' || i, 'order.shipped', "
                   "json_build_object('specversion', '1.0', 'id', 'c-' || i, 'source', "
                   "'/chaos', 'type', 'order.shipped', 'data', json_build_object('order', i)) "
                   "FROM tenants t, generate_series(%1, %2) i WHERE t.name = 'chaos' "
                   "RETURNING id, tenant_id), "
                   "d AS (INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT ev.id, "
                   "ep.id, ev.tenant_id FROM ev, endpoints ep RETURNING 1) "
                   "SELECT (SELECT count(*) FROM d), pg_notify('ferry_work', 'chaos-test')"_s
                       .arg(from)
                       .arg(to - 1))
                   .toInt() == to - from;
    }

private Q_SLOTS:
    void databaseRestartMidRun()
    {
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start());
        const int restarts = scaled(1, 3);
        Run run;
        begin(run, cluster.url(), cluster.url(), scaled(3000, 20000));
        QVERIFY(!QTest::currentTestFailed());
        Snapshot snapshot(cluster.url());
        for (int i = 0; i < restarts; ++i) {
            waitForMidRun(run, snapshot, i, double(i + 1) / (restarts + 2));
            if (QTest::currentTestFailed())
                return; // later checks would only report the same failure again
            QVERIFY(cluster.restartImmediate()); // a crash of the server, and its recovery
            // The restart landed mid-run: work was leased before it and was left after it.
            QVERIFY(run.scene.delivered() < qint64(run.events) * run.scene.routes());
        }
        finish(run, u"postgres-restart"_s,
               u"%1 restarts of PostgreSQL (-m immediate), each with deliveries leased"_s.arg(
                   restarts));
    }

    void connectionsCutByProxy_data()
    {
        QTest::addColumn<int>("cutSeconds");
        QTest::newRow("10s") << 10;
        if (longRun())
            QTest::newRow("30s") << 30;
    }

    void connectionsCutByProxy()
    {
        QFETCH(int, cutSeconds);
        test::TestDatabase db(u"chaos_cut%1"_s.arg(cutSeconds));
        QVERIFY2(db.ok(), qPrintable(db.error()));
        TcpProxy proxy(postgresPort(db.url()).toUShort());
        QVERIFY(proxy.start());
        Run run;
        begin(run, db.url(), proxy.through(db.url()), scaled(3000, 20000));
        QVERIFY(!QTest::currentTestFailed());
        Snapshot snapshot(db.url());
        waitForMidRun(run, snapshot, 0, 0.3);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(proxy.connections() > 0);
        proxy.cut();
        const qint64 before = run.scene.delivered();
        // The cut lasts as long as the scenario says; meanwhile the agent records nothing.
        QTest::qWait(cutSeconds * 1000);
        QCOMPARE(proxy.connections(), 0);
        proxy.restore();
        QVERIFY(before < qint64(run.events) * run.scene.routes()); // it landed mid-run
        finish(run, u"postgres-cut-%1s"_s.arg(cutSeconds),
               u"every connection to PostgreSQL cut for %1 s with deliveries leased"_s.arg(
                   cutSeconds));
    }

    void listenConnectionKilled()
    {
        const int rounds = scaled(2, 10);
        const int perBatch = 100;
        test::TestDatabase db(u"chaos_listen"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Scene scene;
        scene.setUp(db.url(), {0.0, false, false, {}, 1});
        QVERIFY(!QTest::currentTestFailed());
        // Polling once an hour: only a notification (or a reconnect) makes it claim. Room for
        // a whole batch at once: a claim that finds the route full waits for the next poll.
        Agent agent =
            makeAgent(db.url(), {{u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s},
                                 {u"FERRY_DISPATCH_WORKERS"_s, u"1"_s},
                                 {u"FERRY_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT"_s, u"1000"_s}});
        QVERIFY(agent.start());
        int inserted = 0;
        const auto batch = [&] {
            QVERIFY(insertEvents(db.url(), inserted, inserted + perBatch));
            inserted += perBatch;
            QTRY_COMPARE_WITH_TIMEOUT(scene.delivered(), qint64(inserted), 60000);
        };
        batch(); // the notification wakes it
        QVERIFY(!QTest::currentTestFailed());
        int terminated = 0;
        for (int round = 0; round < rounds; ++round) {
            // Its connections, the listening one among them, killed by the server.
            QStringList ports;
            for (quint16 p : localPortsOf(agent.process->pid()))
                ports << QString::number(p);
            const qint64 killed = sqlCount(
                db.url(), u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE application_name = 'ferry-agent' AND client_port IN (%1)"_s.arg(
                              ports.join(u',')));
            QVERIFY(killed > 0);
            terminated += int(killed);
            batch(); // committed while it reconnects: it looks once back
            QVERIFY(!QTest::currentTestFailed());
            batch(); // committed after it is back: only the new LISTEN can wake it
            QVERIFY(!QTest::currentTestFailed());
        }
        QVERIFY(agent.process->isRunning());
        Figures f;
        scene.measure(inserted, f);
        if (QTest::currentTestFailed())
            return;
        f.extra = u"%1 times its connections (LISTEN included) terminated, %2 backends; every "
                  "batch after it woke the agent"_s.arg(rounds)
                      .arg(terminated);
        report(u"listen-killed"_s, f);
        QVERIFY(agent.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaosDb)
#include "tst_chaos_db.moc"
