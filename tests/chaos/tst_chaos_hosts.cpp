// Chaos: agents on separate hosts, one of which drops off the network. Two agents run in network
// namespaces of their own (scripts/netns-hosts.sh: each its own address, routed to this
// namespace, where PostgreSQL and the receivers listen on 10.77.0.1). A producer publishes to
// both through the client library (ferry::Producer) at a steady rate. A quarter of the way in,
// host 1's link goes down: no RST, its packets vanish, as when a host or its switch dies. Then:
//   - the producer keeps publishing: nothing fails, the requests host 1 held are resent to host 2
//     (ZeroMQ heartbeats close the silent connection);
//   - no acknowledged event is lost, none is stored twice, every delivery arrives once (its
//     leases, taken over by host 2, included);
//   - PostgreSQL ends host 1's sessions by TCP keepalive, which frees the advisory locks of the
//     singleton jobs it held: host 1 holds the retention job's at the cut (a failpoint stops its
//     retention thread there), and host 2's retention, refused until then, takes it and runs;
//   - host 1, back on the network, reconnects and is ready again without a restart.
// Prints a `CHAOS hosts-cut` line with the figures.
#include "tests/chaos/chaossupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <unistd.h>

using namespace ferry;
using namespace ferry::chaos;
using namespace Qt::StringLiterals;

class TestChaosHosts : public QObject
{
    Q_OBJECT

    // The sessions host `index` holds on the server.
    static qint64 sessionsOf(const QString &url, int index)
    {
        return sqlCount(url, u"SELECT count(*) FROM pg_stat_activity WHERE client_addr = "
                             "'10.77.%1.2'"_s.arg(index));
    }

    // Whether a session of host `index` holds the retention job's singleton lock.
    static bool holdsRetention(const QString &url, int index)
    {
        return sqlCount(url, u"SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING "
                             "(pid) WHERE l.locktype = 'advisory' AND l.granted AND l.objid = "
                             "7316101 AND a.client_addr = '10.77.%1.2'"_s.arg(index)) > 0;
    }

    // Dedupe keys past ingest.dedupe_retention: what the retention job purges when it runs.
    static qint64 staleKeys(const QString &url)
    {
        return sqlCount(url, u"SELECT count(*) FROM ingest_keys WHERE key LIKE 'stale-%'"_s);
    }

private Q_SLOTS:
    void producersAndSingletonsOutliveACutHost()
    {
        if (::geteuid() != 0)
            QSKIP("network namespaces need root");
        Hosts hosts(2);
        QVERIFY(hosts.ok());
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start({{u"FERRY_PG_LISTEN_ALSO"_s, Hosts::serviceAddress()},
                               {u"FERRY_PG_TRUST_NETWORK"_s, u"10.77.0.0/16"_s}}));
        QUrl reachable(cluster.url());
        reachable.setHost(Hosts::serviceAddress());
        const QString url = reachable.toString();

        Scene scene;
        Scene::Options options;
        options.receiverHost = Hosts::serviceAddress();
        scene.setUp(url, options);
        QVERIFY(!QTest::currentTestFailed());
        // Host 1 takes the retention job's singleton lock first and keeps it: its retention
        // thread stops there (a failpoint), as if the host vanished in the middle of a run.
        auto env = scene.agentEnv();
        env.insert(u"FERRY_MAINTENANCE_INTERVAL"_s, u"1s"_s);
        auto stalled = env;
        stalled.insert(u"FERRY_FAILPOINT"_s, u"retention.locked:1:stall"_s);
        Agent one = makeAgentOnHost(url, 1, stalled);
        Agent two = makeAgentOnHost(url, 2, env);
        QVERIFY2(one.start(), qPrintable(one.process->output()));
        QTRY_VERIFY_WITH_TIMEOUT(holdsRetention(url, 1), 30000);
        QVERIFY2(two.start(), qPrintable(two.process->output()));
        QCOMPARE(sqlCount(url, u"WITH ins AS (INSERT INTO ingest_keys (tenant_id, key, event_id, "
                               "content_hash, created_at) SELECT t.id, 'stale-' || g, "
                               "gen_random_uuid(), '\\x00', now() - interval '30 days' FROM "
                               "(SELECT id FROM tenants LIMIT 1) t, generate_series(1, 100) g "
                               "RETURNING 1) SELECT count(*) FROM ins"_s),
                 qint64(100));
        Producer::Options producerOptions{scene.credentials()};
        producerOptions.credentials.endpoints = {one.endpoint(), two.endpoint()};
        producerOptions.resendAfter = std::chrono::milliseconds(1000);
        producerOptions.giveUpAfter = std::chrono::minutes(5);
        Producer producer(producerOptions);
        QVERIFY(producer.start().ok());

        const int events = scaled(3000, 15000);
        SteadyLoad load(producer, scene, events, 3); // 150 events/s
        load.start();
        QTRY_VERIFY_WITH_TIMEOUT(load.acked() >= events / 4, 60000);
        // The work is shared: both hosts delivered before the cut.
        QTRY_VERIFY_WITH_TIMEOUT(attemptsOf(one) > 0 && attemptsOf(two) > 0, 30000);
        QVERIFY(sessionsOf(url, 1) > 0);
        // Host 2 has run its retention every second meanwhile, and found the lock taken.
        QVERIFY(holdsRetention(url, 1));
        QCOMPARE(staleKeys(url), qint64(100));
        const qint64 cutAt = load.now();
        QVERIFY(hosts.cut(1));
        QVERIFY2(!load.allPublished(), "the load ended before the cut: raise the events");

        QElapsedTimer sessionsEnd;
        sessionsEnd.start();
        while (sessionsOf(url, 1) > 0 && sessionsEnd.elapsed() < 90000)
            QTest::qWait(250);
        QVERIFY2(sessionsOf(url, 1) == 0,
                 qPrintable(sql(url, u"SELECT string_agg(state || ' ' || coalesce(wait_event, "
                                     "'') || ' ' || left(query, 80), ' | ') FROM "
                                     "pg_stat_activity WHERE client_addr = '10.77.1.2'"_s)));
        const qint64 sessionsEndedMs = sessionsEnd.elapsed();
        // The singleton moves: host 2's retention takes the lock and purges.
        QTRY_COMPARE_WITH_TIMEOUT(staleKeys(url), qint64(0), 30000);
        const qint64 retentionMovedMs = sessionsEnd.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(load.answered(), events, 300000);
        QCOMPARE(load.failed(), 0);
        const qint64 silenceMs = load.longestSilenceAfter(cutAt - 1000);
        const qint64 longestWaitMs = load.longestWait();
        QCOMPARE(sqlCount(url, u"SELECT count(DISTINCT ce_id) FROM events"_s), qint64(events));
        QCOMPARE(sqlCount(url, u"SELECT count(*) - count(DISTINCT ce_id) FROM events"_s), 0);
        scene.waitForDrain(events, 300000);
        if (QTest::currentTestFailed())
            return;

        // Host 1 comes back: it was never restarted, and it reconnects by itself.
        QVERIFY(hosts.restore(1));
        QTRY_VERIFY_WITH_TIMEOUT(one.ready(), 60000);
        QVERIFY(one.process->isRunning() && two.process->isRunning());

        Figures f;
        scene.measure(events, f);
        if (QTest::currentTestFailed())
            return;
        // Deliveries host 1 held at the cut, finished by host 2 once their leases ran out.
        const qint64 rescued = sqlCount(
            url, u"SELECT count(DISTINCT delivery_id) FROM delivery_attempts WHERE outcome = "
                 "'lease_expired'"_s);
        f.extra = u"host 1 of 2 cut off the network at a quarter of the load; 0 publishes "
                  "failed; longest time without an acknowledgement %1 s, longest wait of one "
                  "publish %2 s; the server ended host 1's sessions %3 s after the cut; the "
                  "retention job host 1 held ran on host 2 %4 s after the cut; %5 deliveries "
                  "host 1 held taken over after their leases; host 1 ready again after the "
                  "link returned"_s.arg(silenceMs / 1000.0, 0, 'f', 1)
                      .arg(longestWaitMs / 1000.0, 0, 'f', 1)
                      .arg(sessionsEndedMs / 1000.0, 0, 'f', 1)
                      .arg(retentionMovedMs / 1000.0, 0, 'f', 1)
                      .arg(rescued);
        report(u"hosts-cut"_s, f);
        producer.close();
        one.process->kill(); // its retention thread is stopped for good: it would not finish
        QVERIFY(two.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaosHosts)
#include "tst_chaos_hosts.moc"
