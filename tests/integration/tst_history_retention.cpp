// History is kept for its retention windows and then removed in small batches: finished
// deliveries with their attempts and notes, dead ones only when asked, events once no delivery
// is left, the audit log. Open deliveries, and whatever is younger than its window, stay.
#include "tests/support/testsupport.h"

#include "agent/schedule/retentionjob.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"

#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using agent::schedule::RetentionJob;

namespace {

constexpr qint64 kHour = 3'600'000;

// Rows for the tests, written directly: ages are what the retention job reads.
class Seed
{
public:
    explicit Seed(const test::TestDatabase &db)
        : m_db(db)
    {
        tenant = m_db.scalar(u"INSERT INTO tenants (name) VALUES ('hist') RETURNING id"_s);
        endpoint = addEndpoint(u"false"_s, u"block"_s);
        otherEndpoint = addEndpoint(u"false"_s, u"block"_s);
        orderedBlock = addEndpoint(u"true"_s, u"block"_s);
        orderedSkip = addEndpoint(u"true"_s, u"skip"_s);
    }

    QString addEndpoint(const QString &ordered, const QString &onDead) const
    {
        return m_db.scalar(u"INSERT INTO endpoints (tenant_id, url, secret, ordered, on_dead) "
                           "VALUES (%1, 'http://127.0.0.1:9/hook', 'whsec_x', %2, '%3') "
                           "RETURNING id"_s.arg(tenant, ordered, onDead));
    }

    // An event received `age` ago (a PostgreSQL interval such as '3 hours').
    QString event(const QString &age, const QString &source = u"test"_s) const
    {
        return m_db.scalar(
            u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload, received_at) "
            "VALUES (gen_random_uuid(), %1, '%2', gen_random_uuid()::text, 'order.created', "
            "'{}', now() - interval '%3') RETURNING id"_s.arg(tenant, source, age));
    }

    // A delivery in `state`, finished `finishedAge` ago (empty: not finished), with attempts,
    // created when its event was received. 'in_flight' is a pending delivery whose queue row is
    // leased.
    QString delivery(const QString &event, const QString &endpointId, const QString &state,
                     const QString &finishedAge, int attempts = 2) const
    {
        const QString finished =
            finishedAge.isEmpty() ? u"NULL"_s : u"now() - interval '%1'"_s.arg(finishedAge);
        const bool leased = state == u"in_flight"_s;
        const QString id = m_db.scalar(
            u"INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, attempts, "
            "finished_at, created_at) SELECT '%1', %2, %3, '%4', %5, %6, received_at "
            "FROM events WHERE id = '%1' RETURNING id"_s.arg(event, endpointId, tenant,
                                                             leased ? u"pending"_s : state,
                                                             QString::number(attempts), finished));
        if (leased &&
            !m_db.exec(u"UPDATE delivery_queue SET state = 'leased', attempts = 1, "
                       "due_at = now() + interval '1 minute' WHERE delivery_id = '%1'"_s.arg(id)))
            return {};
        addAttempts(id, attempts);
        return id;
    }

    // An event and its succeeded delivery in one statement, safe from a running purge.
    QString succeededWithEvent(const QString &age, const QString &finishedAge) const
    {
        return m_db.scalar(
            u"WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload, "
            "  received_at) VALUES (gen_random_uuid(), %1, 'test', gen_random_uuid()::text, "
            "  'order.created', '{}', now() - interval '%2') RETURNING id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, finished_at, "
            "  created_at) SELECT id, %3, %1, 'succeeded', now() - interval '%4', "
            "  now() - interval '%2' FROM e RETURNING id"_s.arg(tenant, age, endpoint,
                                                                finishedAge));
    }

    // A delivery of an ordered endpoint: the triggers make it the head or queue it.
    QString orderedDelivery(const QString &event, const QString &endpointId,
                            const QString &partitionKey) const
    {
        return m_db.scalar(u"INSERT INTO deliveries (event_id, endpoint_id, tenant_id, "
                           "partition_key, created_at) SELECT '%1', %2, %3, '%4', received_at "
                           "FROM events WHERE id = '%1' RETURNING id"_s.arg(event, endpointId,
                                                                            tenant, partitionKey));
    }

    // Finishes a delivery the way the dispatcher does (its queue row goes, or is parked when
    // dead; the ordering triggers run), then dates its end `finishedAge` back.
    bool finish(const QString &delivery, const QString &state, const QString &finishedAge) const
    {
        return m_db.exec(
            u"WITH gone AS (DELETE FROM delivery_queue WHERE delivery_id = '%1' "
            "  AND '%2' <> 'dead' RETURNING 1), "
            "parked AS (UPDATE delivery_queue SET state = 'dead', due_at = now() - interval '%3' "
            "  WHERE delivery_id = '%1' AND '%2' = 'dead' RETURNING 1) "
            "UPDATE deliveries SET state = '%2', finished_at = now() - interval '%3' "
            "WHERE id = '%1'"_s.arg(delivery, state, finishedAge));
    }

    void addAttempts(const QString &delivery, int n) const
    {
        QVERIFY(m_db.exec(u"INSERT INTO delivery_attempts (delivery_id, attempt, started_at, "
                          "outcome) SELECT '%1', g, now(), 'retryable' "
                          "FROM generate_series(1, %2) g"_s.arg(delivery)
                              .arg(n)));
    }

    void addNote(const QString &delivery) const
    {
        QVERIFY(m_db.exec(u"INSERT INTO dlq_notes (delivery_id, actor, note) "
                          "VALUES ('%1', 'ana', 'looked at it')"_s.arg(delivery)));
    }

    QString audit(const QString &age) const
    {
        return m_db.scalar(u"INSERT INTO audit_log (at, actor, action) VALUES "
                           "(now() - interval '%1', 'ana', 'dlq.replay') RETURNING id"_s.arg(age));
    }

    // `n` events received `age` ago, each with one delivery succeeded `finishedAge` ago and
    // one attempt.
    bool bulk(int n, const QString &age, const QString &finishedAge) const
    {
        return m_db.exec(
            u"WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload, "
            "  received_at) SELECT gen_random_uuid(), %1, 'bulk', 'b' || g, 'order.created', "
            "  '{}', now() - interval '%3' FROM generate_series(1, %2) g RETURNING id), "
            "d AS (INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, "
            "  finished_at, created_at) SELECT id, %4, %1, 'succeeded', now() - interval '%5', "
            "  now() - interval '%3' FROM e RETURNING id) "
            "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, outcome) "
            "SELECT id, 1, now(), 'succeeded' FROM d"_s.arg(tenant, QString::number(n), age,
                                                            endpoint, finishedAge));
    }

    bool exists(const QString &table, const QString &id) const
    {
        return m_db.scalar(u"SELECT count(*) FROM %1 WHERE id = '%2'"_s.arg(table, id)) == u"1"_s;
    }
    QString state(const QString &delivery) const
    {
        return m_db.scalar(u"SELECT ferry_delivery_state(d.state, q.state) FROM deliveries d "
                           "LEFT JOIN delivery_queue q ON q.delivery_id = d.id "
                           "WHERE d.id = '%1'"_s.arg(delivery));
    }
    QString count(const QString &sql) const { return m_db.scalar(sql); }

    QString tenant;
    QString endpoint;
    QString otherEndpoint;
    QString orderedBlock;
    QString orderedSkip;

private:
    const test::TestDatabase &m_db;
};

RetentionJob::Options options(const test::TestDatabase &db)
{
    RetentionJob::Options o;
    o.databaseUrl = db.url();
    o.deliveriesRetentionMs = kHour;
    o.deadRetentionMs = 0;
    o.eventsRetentionMs = kHour;
    o.auditRetentionMs = kHour;
    o.batch = 1000; // several batches of the bulk rows
    o.batchPauseMs = 1;
    return o;
}

} // namespace

class TestHistoryRetention : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> freshDatabase(const QString &name)
    {
        auto db = std::make_unique<test::TestDatabase>(name);
        if (!db->ok())
            return db;
        agent::store::PgConnection conn;
        if (!conn.open(db->url()))
            return nullptr;
        agent::store::Migrator migrator(conn);
        if (!migrator.migrate())
            return nullptr;
        return db;
    }

private Q_SLOTS:
    void oldFinishedHistoryGoesOpenAndYoungStays()
    {
        auto db = freshDatabase(u"hist_finished"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);

        // Succeeded and discarded long ago: they go, with attempts, notes and their events.
        const QString e1 = s.event(u"3 hours"_s);
        const QString d1 = s.delivery(e1, s.endpoint, u"succeeded"_s, u"2 hours"_s, 3);
        s.addNote(d1);
        const QString e2 = s.event(u"3 hours"_s);
        const QString d2 = s.delivery(e2, s.endpoint, u"discarded"_s, u"2 hours"_s);
        s.addNote(d2);
        // Finished recently: it stays, and so does its event.
        const QString e3 = s.event(u"3 hours"_s);
        const QString d3 = s.delivery(e3, s.endpoint, u"succeeded"_s, u"10 minutes"_s);
        // One delivery finished long ago, one still retrying: the event stays.
        const QString e4 = s.event(u"3 hours"_s);
        const QString d4a = s.delivery(e4, s.endpoint, u"succeeded"_s, u"2 hours"_s);
        const QString d4b = s.delivery(e4, s.otherEndpoint, u"retry_wait"_s, {});
        // Open deliveries are never touched, even carrying an old finished_at.
        QStringList openDeliveries, openEvents;
        for (const QString &state : {u"queued"_s, u"pending"_s, u"in_flight"_s, u"retry_wait"_s}) {
            openEvents.append(s.event(u"3 hours"_s));
            openDeliveries.append(s.delivery(openEvents.last(), s.endpoint, state, u"2 hours"_s));
        }
        // Dead: kept, retention.dead is off.
        const QString e6 = s.event(u"3 hours"_s);
        const QString d6 = s.delivery(e6, s.endpoint, u"dead"_s, u"2 hours"_s);
        // Events without deliveries: the old one goes, the young one stays.
        const QString e7 = s.event(u"3 hours"_s);
        const QString e8 = s.event(u"10 minutes"_s);
        // An ordered partition: the finished head goes, the partition keeps counting the rest.
        const QString ep1 = s.event(u"3 hours"_s);
        const QString ep2 = s.event(u"3 hours"_s);
        const QString ep3 = s.event(u"3 hours"_s);
        const QString p1 = s.orderedDelivery(ep1, s.orderedBlock, u"p"_s);
        const QString p2 = s.orderedDelivery(ep2, s.orderedBlock, u"p"_s);
        const QString p3 = s.orderedDelivery(ep3, s.orderedBlock, u"p"_s);
        QCOMPARE(s.state(p2), u"queued"_s);
        QVERIFY(s.finish(p1, u"succeeded"_s, u"2 hours"_s));
        QCOMPARE(s.state(p2), u"pending"_s);
        // Audit: the old entry goes.
        const QString a1 = s.audit(u"2 hours"_s);
        const QString a2 = s.audit(u"10 minutes"_s);
        // 3,500 more old ones: several batches.
        QVERIFY(s.bulk(3500, u"3 hours"_s, u"2 hours"_s));

        RetentionJob job(options(*db));
        const auto purged = job.runOnce();
        QVERIFY(purged.ran);
        QCOMPARE(purged.deliveries, 3504); // d1, d2, d4a, p1 and the bulk
        QCOMPARE(purged.deadDeliveries, 0);
        QCOMPARE(purged.events, 3504); // e1, e2, ep1, e7 and the bulk
        QCOMPARE(purged.auditEntries, 1);

        for (const QString &gone : {d1, d2, d4a, p1})
            QVERIFY2(!s.exists(u"deliveries"_s, gone), qPrintable(gone));
        for (const QString &gone : {e1, e2, ep1, e7})
            QVERIFY2(!s.exists(u"events"_s, gone), qPrintable(gone));
        QCOMPARE(s.count(u"SELECT count(*) FROM events WHERE source = 'bulk'"_s), u"0"_s);
        // Nothing left behind by the cascade: attempts and notes went with their deliveries.
        QCOMPARE(s.count(u"SELECT count(*) FROM delivery_attempts a WHERE NOT EXISTS "
                         "(SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)"_s),
                 u"0"_s);
        QCOMPARE(s.count(u"SELECT count(*) FROM dlq_notes"_s), u"0"_s);

        for (const QString &kept : QStringList{d3, d4b, d6, p2, p3} + openDeliveries)
            QVERIFY2(s.exists(u"deliveries"_s, kept), qPrintable(kept));
        QCOMPARE(s.count(u"SELECT count(*) FROM deliveries"_s), u"9"_s);
        QCOMPARE(
            s.count(u"SELECT count(*) FROM delivery_attempts WHERE delivery_id = '%1'"_s.arg(d4b)),
            u"2"_s);
        QCOMPARE(s.state(openDeliveries[0]), u"queued"_s);
        QCOMPARE(s.state(openDeliveries[1]), u"pending"_s);
        QCOMPARE(s.state(openDeliveries[2]), u"in_flight"_s);
        QCOMPARE(s.state(openDeliveries[3]), u"retry_wait"_s);
        for (const QString &kept : QStringList{e3, e4, e6, e8, ep2, ep3} + openEvents)
            QVERIFY2(s.exists(u"events"_s, kept), qPrintable(kept));
        QVERIFY(!s.exists(u"audit_log"_s, a1));
        QVERIFY(s.exists(u"audit_log"_s, a2));

        // The partition still works: two holders left, and finishing the head promotes the next.
        QCOMPARE(
            s.count(u"SELECT open FROM partitions WHERE endpoint_id = %1"_s.arg(s.orderedBlock)),
            u"2"_s);
        QVERIFY(s.finish(p2, u"succeeded"_s, u"0 seconds"_s));
        QCOMPARE(s.state(p3), u"pending"_s);

        // Nothing older is left: the next pass finds nothing.
        const auto again = job.runOnce();
        QVERIFY(again.ran);
        QCOMPARE(again.deliveries + again.events + again.auditEntries, 0);
    }

    void eventGoesWithItsLastDeliveryOnceOldEnough()
    {
        auto db = freshDatabase(u"hist_events"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        // Old enough itself, but its delivery finished recently: it stays for now.
        const QString e1 = s.event(u"3 hours"_s);
        const QString d1 = s.delivery(e1, s.endpoint, u"succeeded"_s, u"30 minutes"_s);
        // Its delivery is old enough, the event is kept longer (retention.events 1 day).
        const QString e2 = s.event(u"3 hours"_s);
        const QString d2 = s.delivery(e2, s.endpoint, u"succeeded"_s, u"2 hours"_s);

        auto o = options(*db);
        o.eventsRetentionMs = 24 * kHour;
        RetentionJob job(o);
        auto purged = job.runOnce();
        QCOMPARE(purged.deliveries, 1);
        QCOMPARE(purged.events, 0);
        QVERIFY(!s.exists(u"deliveries"_s, d2));
        QVERIFY(s.exists(u"events"_s, e2));
        QVERIFY(s.exists(u"deliveries"_s, d1));
        QVERIFY(s.exists(u"events"_s, e1));

        // With events kept for an hour: e2 (no delivery left) goes by the sweep; e1 stays
        // while its delivery does, and goes with it once that delivery is old enough, although
        // the sweep already passed over it.
        o.eventsRetentionMs = kHour;
        RetentionJob shorter(o);
        purged = shorter.runOnce();
        QCOMPARE(purged.deliveries, 0);
        QCOMPARE(purged.events, 1);
        QVERIFY(!s.exists(u"events"_s, e2));
        QVERIFY(s.exists(u"events"_s, e1));
        QVERIFY(db->exec(u"UPDATE deliveries SET finished_at = now() - interval '2 hours' "
                         "WHERE id = '%1'"_s.arg(d1)));
        purged = shorter.runOnce();
        QCOMPARE(purged.deliveries, 1);
        QCOMPARE(purged.events, 1);
        QVERIFY(!s.exists(u"events"_s, e1));
    }

    void eventSweepWalksPastEventsStillHeld()
    {
        auto db = freshDatabase(u"hist_sweep"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        // 4,000 events received at the same instant (as one writer transaction's are); the
        // first 1,500 by id still have a delivery retrying, so whole batches find nothing to
        // delete and must still move on.
        QVERIFY(db->exec(
            u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload, received_at) "
            "SELECT gen_random_uuid(), %1, 'same', 's' || g, 'order.created', '{}', "
            "now() - interval '3 hours' FROM generate_series(1, 4000) g"_s.arg(s.tenant)));
        QVERIFY(db->exec(u"INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state) "
                         "SELECT id, %1, %2, 'retry_wait' FROM events ORDER BY id LIMIT 1500"_s.arg(
                             s.endpoint, s.tenant)));

        const auto purged = RetentionJob(options(*db)).runOnce();
        QCOMPARE(purged.events, 2500);
        QCOMPARE(s.count(u"SELECT count(*) FROM events"_s), u"1500"_s);
        QCOMPARE(s.count(u"SELECT count(*) FROM events e WHERE NOT EXISTS "
                         "(SELECT 1 FROM deliveries d WHERE d.event_id = e.id)"_s),
                 u"0"_s);
    }

    void deadDeliveriesOnlyWhenAskedAndNeverABlockedHead()
    {
        auto db = freshDatabase(u"hist_dead"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        // Dead long ago: goes with its attempts, notes and event.
        const QString e1 = s.event(u"3 hours"_s);
        const QString x1 = s.delivery(e1, s.endpoint, u"dead"_s, u"2 hours"_s);
        s.addNote(x1);
        // Dead recently: stays.
        const QString x2 =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"dead"_s, u"10 minutes"_s);
        // The dead head of a blocking partition: stays, and so does what waits behind it.
        const QString b1 = s.orderedDelivery(s.event(u"3 hours"_s), s.orderedBlock, u"k"_s);
        const QString b2 = s.orderedDelivery(s.event(u"3 hours"_s), s.orderedBlock, u"k"_s);
        QVERIFY(s.finish(b1, u"dead"_s, u"2 hours"_s));
        QCOMPARE(s.state(b2), u"queued"_s);
        // The dead head of a skipping partition let go of it: it goes, the next one stays.
        const QString k1 = s.orderedDelivery(s.event(u"3 hours"_s), s.orderedSkip, u"k"_s);
        const QString k2 = s.orderedDelivery(s.event(u"3 hours"_s), s.orderedSkip, u"k"_s);
        QVERIFY(s.finish(k1, u"dead"_s, u"2 hours"_s));
        QCOMPARE(s.state(k2), u"pending"_s);
        // Discarded long ago, but retention.deliveries is 0 here: stays.
        const QString c1 =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"discarded"_s, u"2 hours"_s);

        // Off (the default): no dead delivery goes.
        auto o = options(*db);
        o.deliveriesRetentionMs = 0;
        auto purged = RetentionJob(o).runOnce();
        QVERIFY(purged.ran);
        QCOMPARE(purged.deadDeliveries, 0);
        QCOMPARE(purged.deliveries, 0);
        QCOMPARE(s.count(u"SELECT count(*) FROM deliveries"_s), u"7"_s);

        o.deadRetentionMs = kHour;
        purged = RetentionJob(o).runOnce();
        QCOMPARE(purged.deadDeliveries, 2); // x1, k1
        QCOMPARE(purged.events, 2);
        QVERIFY(!s.exists(u"deliveries"_s, x1));
        QVERIFY(!s.exists(u"events"_s, e1));
        QVERIFY(!s.exists(u"deliveries"_s, k1));
        QCOMPARE(s.count(u"SELECT count(*) FROM dlq_notes"_s), u"0"_s);
        for (const QString &kept : {x2, b1, b2, k2, c1})
            QVERIFY2(s.exists(u"deliveries"_s, kept), qPrintable(kept));
        QCOMPARE(s.state(b1), u"dead"_s);
        QCOMPARE(s.state(b2), u"queued"_s);
        QCOMPARE(
            s.count(u"SELECT open FROM partitions WHERE endpoint_id = %1"_s.arg(s.orderedBlock)),
            u"2"_s);
    }

    void zeroTurnsEachPurgeOff()
    {
        auto db = freshDatabase(u"hist_zero"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        s.delivery(s.event(u"3 hours"_s), s.endpoint, u"succeeded"_s, u"2 hours"_s);
        s.delivery(s.event(u"3 hours"_s), s.endpoint, u"dead"_s, u"2 hours"_s);
        s.event(u"3 hours"_s);
        s.audit(u"2 hours"_s);

        auto o = options(*db);
        o.deliveriesRetentionMs = 0;
        o.eventsRetentionMs = 0;
        o.auditRetentionMs = 0;
        o.deadRetentionMs = 0;
        const auto purged = RetentionJob(o).runOnce();
        QVERIFY(purged.ran);
        QCOMPARE(purged.deliveries + purged.deadDeliveries + purged.events + purged.auditEntries,
                 0);
        QCOMPARE(s.count(u"SELECT count(*) FROM deliveries"_s), u"2"_s);
        QCOMPARE(s.count(u"SELECT count(*) FROM delivery_attempts"_s), u"4"_s);
        QCOMPARE(s.count(u"SELECT count(*) FROM events"_s), u"3"_s);
        QCOMPARE(s.count(u"SELECT count(*) FROM audit_log"_s), u"1"_s);
    }

    // The keys reach the job: a running agent purges by retention.*, and 0 keeps.
    void agentAppliesTheConfiguredWindows()
    {
        auto db = freshDatabase(u"hist_agent"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        const QString oldSucceeded =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"succeeded"_s, u"2 hours"_s);
        const QString youngSucceeded =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"succeeded"_s, u"10 minutes"_s);
        const QString oldDead =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"dead"_s, u"2 hours"_s);
        const QString lonelyEvent = s.event(u"3 hours"_s);
        const QString oldAudit = s.audit(u"2 hours"_s);

        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(db->url(), port);
        env.insert(u"FERRY_MAINTENANCE_INTERVAL"_s, u"200ms"_s);
        env.insert(u"FERRY_RETENTION_DELIVERIES"_s, u"1h"_s);
        env.insert(u"FERRY_RETENTION_DEAD"_s, u"1h"_s);
        env.insert(u"FERRY_RETENTION_EVENTS"_s, u"1h"_s);
        env.insert(u"FERRY_RETENTION_AUDIT"_s, u"0"_s);
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));

        QTRY_VERIFY_WITH_TIMEOUT(!s.exists(u"deliveries"_s, oldSucceeded), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!s.exists(u"deliveries"_s, oldDead), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!s.exists(u"events"_s, lonelyEvent), 20000);
        // A witness for a later pass: once it is gone, the pass that purged the others (and
        // would have purged the audit log) is over.
        const QString witness = s.succeededWithEvent(u"3 hours"_s, u"2 hours"_s);
        QVERIFY(!witness.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!s.exists(u"deliveries"_s, witness), 20000);
        QVERIFY(s.exists(u"deliveries"_s, youngSucceeded));
        QVERIFY(s.exists(u"audit_log"_s, oldAudit));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
        QVERIFY2(agent.output().contains(u"purged history past retention.*"_s),
                 qPrintable(agent.output()));
    }

    void agentKeepsWhatIsSetToZero()
    {
        auto db = freshDatabase(u"hist_agent_zero"_s);
        QVERIFY(db && db->ok());
        const Seed s(*db);
        const QString oldSucceeded =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"succeeded"_s, u"2 hours"_s);
        const QString oldDead =
            s.delivery(s.event(u"3 hours"_s), s.endpoint, u"dead"_s, u"2 hours"_s);
        const QString lonelyEvent = s.event(u"3 hours"_s);
        const QString oldAudit = s.audit(u"2 hours"_s);

        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(db->url(), port);
        env.insert(u"FERRY_MAINTENANCE_INTERVAL"_s, u"200ms"_s);
        env.insert(u"FERRY_RETENTION_DELIVERIES"_s, u"0"_s);
        env.insert(u"FERRY_RETENTION_EVENTS"_s, u"0"_s);
        env.insert(u"FERRY_RETENTION_AUDIT"_s, u"1h"_s); // retention.dead: its default, off
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));

        // The audit log is purged last in a pass: once the old entry is gone, a pass went
        // through the other purges, which were off.
        QTRY_VERIFY_WITH_TIMEOUT(!s.exists(u"audit_log"_s, oldAudit), 20000);
        QVERIFY(s.exists(u"deliveries"_s, oldSucceeded));
        QVERIFY(s.exists(u"deliveries"_s, oldDead));
        QVERIFY(s.exists(u"events"_s, lonelyEvent));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestHistoryRetention)
#include "tst_history_retention.moc"
