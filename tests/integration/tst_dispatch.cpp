// Dispatch guarantees against a real PostgreSQL, agents and receivers: fencing of stale
// completions, per-partition order under several workers and failures, block versus skip when
// a partition's head dies, and the dead-letter workflow (dry run, replay, discard, notes, audit).
#include "agent/store/hotpath/deliverystore.h"
#include "shared/retrypolicy.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestDispatch : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    std::vector<std::unique_ptr<test::Process>> m_receivers;
    quint16 m_port = 0;
    QHash<QString, QString> m_tokens;
    QHash<QString, quint16> m_receiverPorts;

    QHash<QString, QString> env() const
    {
        return {{u"FERRY_DATABASE_URL"_s, m_db->url()},
                {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s}};
    }

    // A tenant with one endpoint and its own receiver.
    void tenant(const QString &name, const QStringList &endpointArgs,
                const QStringList &receiverArgs)
    {
        m_tokens[name] = test::createTenant(m_db->url(), name);
        const quint16 port = test::freePort();
        auto r = test::run(test::agentBinary(),
                           QStringList{u"endpoint"_s, u"add"_s, u"--tenant"_s, name, u"--url"_s,
                                       u"http://127.0.0.1:%1/h"_s.arg(port)} +
                               endpointArgs,
                           env());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        m_receivers.push_back(std::make_unique<test::Process>(
            test::receiverBinary(), QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(port),
                                                u"--secret"_s, r.out.trimmed()} +
                                        receiverArgs));
        QVERIFY(m_receivers.back()->start());
        m_receiverPorts[name] = port;
    }

    int publish(const QString &tenant, const QString &id, const QString &key,
                const QString &data = u"{}"_s)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
        r.body = u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/t\",\"type\":\"t\","
                 "\"partitionkey\":\"%2\",\"data\":%3}"_s.arg(id, key, data)
                     .toUtf8();
        r.headers = {{"Authorization", "Bearer " + m_tokens[tenant].toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        return test::http(r).status;
    }

    QJsonObject receiverOrder(const QString &tenant)
    {
        test::HttpRequest h;
        h.method = "GET";
        h.url = u"http://127.0.0.1:%1/order"_s.arg(m_receiverPorts[tenant]);
        return QJsonDocument::fromJson(test::http(h, 5000).body).object();
    }

    QString states(const QString &tenant, const QString &key)
    {
        return m_db->scalar(
            u"SELECT string_agg(e.ce_id || '=' || d.state, ',' ORDER BY d.seq) "
            "FROM deliveries d JOIN events e ON e.id = d.event_id JOIN tenants t "
            "ON t.id = d.tenant_id WHERE t.name = '%1' AND e.partition_key = '%2'"_s.arg(tenant,
                                                                                         key));
    }

    QString deliveryOf(const QString &ceId)
    {
        return m_db->scalar(u"SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id "
                            "WHERE e.ce_id = '%1'"_s.arg(ceId));
    }

private:
    // Migrates `db`, a database no agent works on, and gives it one tenant with one route
    // (retry_schedule `scheduleSql`, an SQL literal) and one delivery waiting to be claimed.
    static void seedOneDelivery(test::TestDatabase &db, const QString &scheduleSql)
    {
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(
            db.exec(u"INSERT INTO tenants (name) VALUES ('scratch');"
                    "INSERT INTO endpoints (tenant_id, url, secret, retry_schedule) SELECT id, "
                    "'http://127.0.0.1:9/x', 'whsec_AAAA', %1 FROM tenants;"
                    "INSERT INTO events (id, tenant_id, source, ce_id, type, payload) SELECT "
                    "gen_random_uuid(), id, '/s', 'scratch-1', 't', '{}' FROM tenants;"
                    "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT e.id, ep.id, "
                    "e.tenant_id FROM events e, endpoints ep"_s.arg(scheduleSql)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"dispatch"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        tenant(u"ord"_s, {u"--ordered"_s}, {u"--fail-rate"_s, u"0.3"_s});
        tenant(u"blk"_s, {u"--ordered"_s, u"--on-dead"_s, u"block"_s},
               {u"--poison-marker"_s, u"POISON"_s});
        tenant(u"skp"_s, {u"--ordered"_s, u"--on-dead"_s, u"skip"_s},
               {u"--poison-marker"_s, u"POISON"_s});
        tenant(u"dlq"_s, {u"--max-attempts"_s, u"2"_s}, {u"--poison-marker"_s, u"POISON"_s});
        m_port = test::freePort();
        auto agentEnv = test::agentEnvironment(m_db->url(), m_port);
        agentEnv.insert(u"FERRY_DISPATCH_WORKERS"_s, u"4"_s);
        // These scenarios are about order, dead heads and the DLQ, not the circuit breaker: with
        // 30 % of requests failing at random, five failures in a row happen in about a third of
        // the runs, and each opening held every partition of the route for the cool-down.
        agentEnv.insert(u"FERRY_BREAKER_CONSECUTIVE_FAILURES"_s, u"100000"_s);
        agentEnv.insert(u"FERRY_BREAKER_MIN_REQUESTS"_s, u"1000000"_s);
        m_agent =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, agentEnv);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void staleCompletionIsFenced()
    {
        // Directly on the store, in a database no agent works on: a claim, a lease that runs
        // out while its worker is paused, a rescue, a second claim; then the paused worker
        // wakes up and tries to record its outcome.
        test::TestDatabase fenceDb(u"fence"_s);
        seedOneDelivery(fenceDb, u"NULL"_s);
        if (QTest::currentTestFailed())
            return;
        agent::store::PgConnection db;
        QVERIFY(db.open(fenceDb.url()).ok());
        agent::store::DeliveryStore store(db);
        const auto claimOne = [&] {
            auto c = store.claim(10, 60000, 16);
            const auto &list = *c;
            return list.isEmpty() ? agent::store::ClaimedDelivery{} : list.first();
        };
        const auto paused = claimOne();
        QVERIFY(!paused.id.isNull());
        QVERIFY(fenceDb.exec(u"UPDATE delivery_queue SET due_at = now() - interval '1 second'"_s));
        QCOMPARE(store.rescueExpired([](const QString &, int) { return 10; }).value(), 1);
        const auto rescued = claimOne();
        QCOMPARE(rescued.id, paused.id);
        QVERIFY(rescued.leaseToken > paused.leaseToken);

        agent::store::Completion late;
        late.id = paused.id;
        late.leaseToken = paused.leaseToken;
        late.attempt = paused.attempt;
        late.state = agent::store::Completion::State::Succeeded;
        late.outcome = u"succeeded"_s;
        late.startedAt = QDateTime::currentDateTimeUtc();
        QCOMPARE(store.complete({late}).value(), 0); // refused: the token moved on
        QCOMPARE(fenceDb.scalar(u"SELECT ferry_delivery_state(d.state, q.state) FROM deliveries d"
                                " LEFT JOIN delivery_queue q ON q.delivery_id = d.id"_s),
                 u"in_flight"_s);
        agent::store::Completion current = late;
        current.leaseToken = rescued.leaseToken;
        current.attempt = rescued.attempt;
        QCOMPARE(store.complete({current}).value(), 1);
        QCOMPARE(fenceDb.scalar(u"SELECT state FROM deliveries"_s), u"succeeded"_s);
        QCOMPARE(fenceDb.scalar(u"SELECT string_agg(outcome, ',' ORDER BY id) FROM "
                                "delivery_attempts"_s),
                 u"lease_expired,succeeded"_s);
    }

    void rescueDeadLettersTheLastAttempt()
    {
        // The rescue asks its caller how many attempts a route's deliveries get (the
        // dispatcher answers with RetryPolicy, the one definition) and dead-letters a delivery
        // whose expired lease was its last attempt.
        test::TestDatabase rescueDb(u"rescue"_s);
        seedOneDelivery(rescueDb, u"'0s,5s'"_s);
        if (QTest::currentTestFailed())
            return;
        agent::store::PgConnection db;
        QVERIFY(db.open(rescueDb.url()).ok());
        agent::store::DeliveryStore store(db);
        QStringList asked;
        const auto limit = [&asked](const QString &schedule, int maxAttempts) {
            asked.append(u"%1/%2"_s.arg(schedule).arg(maxAttempts));
            return RetryPolicy::parse(schedule, {})->attemptLimit();
        };
        const auto claimAndExpire = [&] {
            QCOMPARE(store.claim(10, 60000, 16)->size(), 1);
            QVERIFY(rescueDb.exec(u"UPDATE delivery_queue SET due_at = now() - interval '1s'"_s));
        };
        claimAndExpire();
        QCOMPARE(store.rescueExpired(limit).value(), 1);
        QCOMPARE(rescueDb.scalar(u"SELECT state FROM deliveries"_s), u"retry_wait"_s);
        claimAndExpire();
        QCOMPARE(store.rescueExpired(limit).value(), 1);
        QCOMPARE(asked, QStringList({u"0s,5s/0"_s, u"0s,5s/0"_s}));
        QCOMPARE(rescueDb.scalar(u"SELECT state || '/' || dead_reason || '/' || attempts FROM "
                                 "deliveries"_s),
                 u"dead/lease_expired/2"_s);
        QCOMPARE(rescueDb.scalar(u"SELECT state FROM delivery_queue"_s), u"dead"_s);
    }

    void claimIsFairAndSkipsEndpointsAtTheirCap()
    {
        // Directly on the store: endpoint 'hot' has 200 due deliveries, 'cold' 3 (enqueued
        // after all of hot's), 'capped' 5 but a cap of 2, 'later' 4 that are not due yet.
        test::TestDatabase db(u"claimfair"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        QVERIFY(db.exec(
            u"INSERT INTO tenants (name) VALUES ('fair');"
            "INSERT INTO endpoints (tenant_id, url, secret, max_concurrency) SELECT t.id,"
            "  'http://127.0.0.1:9/' || n, 'whsec_AAAA', c FROM tenants t,"
            "  (VALUES ('hot', NULL), ('cold', NULL), ('capped', 2), ('later', NULL)) v(n, c);"
            "CREATE FUNCTION pg_temp.enqueue(ep text, n int, due interval) RETURNS void AS $$"
            "  WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload)"
            "    SELECT gen_random_uuid(), t.id, '/f', ep || g, 't', '{}'"
            "    FROM tenants t, generate_series(1, n) g RETURNING id, tenant_id)"
            "  INSERT INTO deliveries (event_id, endpoint_id, tenant_id)"
            "  SELECT e.id, ep2.id, e.tenant_id FROM e, endpoints ep2"
            "  WHERE ep2.url LIKE '%/' || ep;"
            "  UPDATE delivery_queue q SET due_at = now() + due FROM endpoints ep2"
            "  WHERE q.endpoint_id = ep2.id AND ep2.url LIKE '%/' || ep $$ LANGUAGE sql;"
            "SELECT pg_temp.enqueue('hot', 200, '-1 minute');"
            "SELECT pg_temp.enqueue('cold', 3, '-1 second');"
            "SELECT pg_temp.enqueue('capped', 5, '-1 minute');"
            "SELECT pg_temp.enqueue('later', 4, '1 hour');"_s));
        agent::store::PgConnection conn;
        QVERIFY(conn.open(db.url()).ok());
        agent::store::DeliveryStore store(conn);
        auto endpointOf = [&](const QString &name) {
            return db.scalar(u"SELECT id FROM endpoints WHERE url LIKE '%/"_s + name + u"'"_s)
                .toLongLong();
        };
        const qint64 hot = endpointOf(u"hot"_s), cold = endpointOf(u"cold"_s),
                     capped = endpointOf(u"capped"_s);
        const auto claim = [&](int limit, const QHash<qint64, int> &inUse) {
            QHash<qint64, int> byEndpoint;
            auto c = store.claim(limit, 60000, 16, inUse);
            for (const auto &d : *c)
                ++byEndpoint[d.endpointId];
            return byEndpoint;
        };

        // Ten slots: the cold endpoint's rows come first in turn although they are younger;
        // the capped one takes no more than its cap; nothing that is not due is taken.
        auto first = claim(10, {});
        QCOMPARE(first.value(cold), 3);
        QCOMPARE(first.value(capped), 2);
        QCOMPARE(first.value(hot), 5);
        QCOMPARE(first.size(), 3);

        // With hot at its cap in this agent (16 in flight), only the others are claimed.
        auto second = claim(50, {{hot, 16}, {capped, 2}});
        QVERIFY2(second.isEmpty(), "endpoints at their cap, or with nothing due, gave rows");
        // With room for 4 at hot, exactly 4 come from it.
        auto third = claim(50, {{hot, 12}, {capped, 2}});
        QCOMPARE(third.value(hot), 4);
        QCOMPARE(third.size(), 1);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM delivery_queue WHERE state = 'leased'"_s).toInt(),
                 14);
    }

    void orderedPartitionsKeepPublishOrder()
    {
        // 8 keys, 25 events each, published interleaved; 4 workers; 30 % of requests fail.
        QHash<QString, QStringList> published;
        for (int i = 0; i < 25; ++i) {
            for (int k = 0; k < 8; ++k) {
                const QString key = u"key-%1"_s.arg(k);
                const QString id = u"o-%1-%2"_s.arg(k).arg(i);
                QCOMPARE(publish(u"ord"_s, id, key), 202);
                published[key].append(id);
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN tenants t ON t.id = "
                         "d.tenant_id WHERE t.name = 'ord' AND d.state = 'succeeded'"_s),
            u"200"_s, 90000);
        const QJsonObject order = receiverOrder(u"ord"_s);
        for (auto it = published.constBegin(); it != published.constEnd(); ++it) {
            QStringList got;
            for (const auto &v : order.value(it.key()).toArray())
                got.append(v.toString());
            QCOMPARE(got, it.value());
        }
        QVERIFY(m_db->scalar(u"SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON "
                             "d.id = a.delivery_id JOIN tenants t ON t.id = d.tenant_id WHERE "
                             "t.name = 'ord' AND a.outcome = 'retryable'"_s)
                    .toInt() > 0); // failures did happen
        // Every partition let go, and its row went with its last delivery.
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM partitions p JOIN endpoints ep ON ep.id = "
                              "p.endpoint_id JOIN tenants t ON t.id = ep.tenant_id WHERE t.name = "
                              "'ord'"_s),
                 u"0"_s);
    }

    void deadHeadBlocksOrSkips()
    {
        for (const QString &t : {u"blk"_s, u"skp"_s}) {
            QCOMPARE(publish(t, t + u"-a1"_s, u"A"_s), 202);
            QCOMPARE(publish(t, t + u"-a2"_s, u"A"_s, u"\"POISON\""_s), 202);
            QCOMPARE(publish(t, t + u"-a3"_s, u"A"_s), 202);
            QCOMPARE(publish(t, t + u"-a4"_s, u"A"_s), 202);
            QCOMPARE(publish(t, t + u"-b1"_s, u"B"_s), 202);
        }
        // skip: the dead head waits in the DLQ, the partition carries on.
        QTRY_COMPARE_WITH_TIMEOUT(
            states(u"skp"_s, u"A"_s),
            u"skp-a1=succeeded,skp-a2=dead,skp-a3=succeeded,skp-a4=succeeded"_s, 30000);
        // block: the partition holds behind its dead head; other partitions flow.
        QTRY_COMPARE_WITH_TIMEOUT(states(u"blk"_s, u"B"_s), u"blk-b1=succeeded"_s, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(states(u"blk"_s, u"A"_s),
                                  u"blk-a1=succeeded,blk-a2=dead,blk-a3=queued,blk-a4=queued"_s,
                                  30000);
        // An operator discards the head: the rest follow, in order.
        auto discard = test::run(test::agentBinary(),
                                 {u"dlq"_s, u"discard"_s, deliveryOf(u"blk-a2"_s), u"--note"_s,
                                  u"bad data from the shop"_s},
                                 env());
        QVERIFY2(discard.exitCode == 0, qPrintable(discard.err));
        QTRY_COMPARE_WITH_TIMEOUT(
            states(u"blk"_s, u"A"_s),
            u"blk-a1=succeeded,blk-a2=discarded,blk-a3=succeeded,blk-a4=succeeded"_s, 30000);
        QStringList got;
        for (const auto &v : receiverOrder(u"blk"_s).value(u"A"_s).toArray())
            got.append(v.toString());
        QCOMPARE(got, (QStringList{u"blk-a1"_s, u"blk-a3"_s, u"blk-a4"_s}));
    }

    void deadLetterWorkflow()
    {
        // Self-contained: it counts only the audit rows it causes itself.
        const QString auditStart = m_db->scalar(u"SELECT coalesce(max(id), 0) FROM audit_log"_s);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(publish(u"dlq"_s, u"d-%1"_s.arg(i), u"k%1"_s.arg(i), u"\"POISON\""_s), 202);
        QCOMPARE(publish(u"dlq"_s, u"d-ok"_s, u"k9"_s), 202);
        const QString deadCount = u"SELECT count(*) FROM deliveries d JOIN tenants t ON t.id = "
                                  "d.tenant_id WHERE t.name = 'dlq' AND d.state = 'dead'"_s;
        QTRY_COMPARE_WITH_TIMEOUT(m_db->scalar(deadCount), u"5"_s, 30000);

        // Filtered list, inspection, notes and triage.
        auto list = test::run(test::agentBinary(),
                              {u"dlq"_s, u"list"_s, u"--tenant"_s, u"dlq"_s, u"--reason"_s,
                               u"http_4xx"_s, u"--since"_s, u"1h"_s},
                              env());
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.count(u"http_4xx"_s), 5);
        const QString one = deliveryOf(u"d-0"_s);
        auto note = test::run(test::agentBinary(),
                              {u"dlq"_s, u"note"_s, one, u"--note"_s, u"partner says fixed"_s,
                               u"--assignee"_s, u"ana"_s, u"--status"_s, u"investigating"_s},
                              env());
        QVERIFY2(note.exitCode == 0, qPrintable(note.err));
        auto show = test::run(test::agentBinary(), {u"dlq"_s, u"show"_s, one}, env());
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(u"partner says fixed"_s) && show.out.contains(u"ana"_s) &&
                     show.out.contains(u"\"id\": \"d-0\""_s) && show.out.contains(u"#1"_s),
                 qPrintable(show.out));
        auto investigating = test::run(
            test::agentBinary(), {u"dlq"_s, u"list"_s, u"--status"_s, u"investigating"_s}, env());
        QVERIFY(investigating.out.contains(one) && investigating.out.count(u"http_4xx"_s) == 1);

        // Replay by filter: the dry run counts exactly what the replay then queues.
        auto dry = test::run(
            test::agentBinary(),
            {u"dlq"_s, u"replay"_s, u"--all-matching"_s, u"--tenant"_s, u"dlq"_s, u"--dry-run"_s},
            env());
        QVERIFY2(dry.out.startsWith(u"5 dead deliveries match"_s), qPrintable(dry.out));
        QCOMPARE(m_db->scalar(deadCount), u"5"_s); // the dry run changed nothing
        const QString attempts =
            u"SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
            "JOIN tenants t ON t.id = d.tenant_id WHERE t.name = 'dlq' AND d.state = 'dead'"_s;
        const int attemptsBefore = m_db->scalar(attempts).toInt();
        QCOMPARE(attemptsBefore, 5); // a 4xx answer is final: one attempt each
        auto real =
            test::run(test::agentBinary(),
                      {u"dlq"_s, u"replay"_s, u"--all-matching"_s, u"--tenant"_s, u"dlq"_s}, env());
        QVERIFY2(real.out.startsWith(u"5 dead deliveries queued again"_s), qPrintable(real.out));
        QCOMPARE(m_db->scalar(u"SELECT details->>'count' FROM audit_log WHERE action = "
                              "'dlq.replay_matching' ORDER BY id DESC LIMIT 1"_s),
                 u"5"_s);
        // Still poison: they die again, each after its attempts anew (a replay that did nothing
        // would leave the count as it was). The same delivery named twice is queued once.
        QTRY_COMPARE_WITH_TIMEOUT(m_db->scalar(deadCount) + u"/"_s + m_db->scalar(attempts),
                                  u"5/%1"_s.arg(2 * attemptsBefore), 30000);
        const QString before = m_db->scalar(u"SELECT max(id) FROM audit_log"_s);
        auto twice = test::run(test::agentBinary(), {u"dlq"_s, u"replay"_s, one, one}, env());
        QVERIFY2(twice.out.startsWith(u"1 of 2 deliveries queued again"_s), qPrintable(twice.out));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE action = 'dlq.replay' AND "
                              "subject = '%1' AND id > %2"_s.arg(one, before)),
                 u"1"_s);
        auto discard = test::run(
            test::agentBinary(),
            {u"dlq"_s, u"discard"_s, deliveryOf(u"d-4"_s), u"--note"_s, u"order cancelled"_s},
            env());
        QVERIFY2(discard.exitCode == 0, qPrintable(discard.err));
        // Every operator action of this test is in the audit log, with who did it.
        QCOMPARE(m_db->scalar(
                     u"SELECT string_agg(DISTINCT action, ',') FROM audit_log WHERE "
                     "action LIKE 'dlq.%' AND actor LIKE 'cli:%' AND id > %1"_s.arg(auditStart)),
                 u"dlq.annotate,dlq.discard,dlq.replay,dlq.replay_matching"_s);
    }
};

QTEST_GUILESS_MAIN(TestDispatch)
#include "tst_dispatch.moc"
