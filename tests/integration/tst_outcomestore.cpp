// Recording outcomes (DeliveryStore::complete) against a real database, where the chaos runs
// found it wanting:
// - The rows of `partitions` (one per open partition of an ordered endpoint) are taken in one
//   order, (endpoint, partition key), by every writer: a batch of outcomes that finishes heads
//   of several partitions, and an ingest commit that enters several. Two writers in different
//   orders deadlock; PostgreSQL broke the tie after a second and the outcomes were recorded one
//   by one. The tests hold the row of partition "b", start a writer whose input names "b"
//   before "a", wait until it is blocked, and check that it already holds "a".
// - A claim undone by a crash of PostgreSQL (claims commit without waiting for the disk) must
//   not hand out its fencing token again: the first worker's late outcome, flushed in one batch
//   with the second worker's, was taken for it; the record said "retry" while its queue row was
//   gone, and its partition stopped for good.
// - A delivery's seq is taken when it enters its partition: taken before (the column default),
//   two transactions could enter in the other order than their seq, and the partition was
//   delivered in neither (a chaos run counted one delivery out of order).
// - A process frozen inside a transaction (SIGSTOP) held the claim lock until it thawed, and
//   no other agent claimed anything meanwhile (a chaos run drained nothing for a minute): the
//   server now ends a session idle in a transaction, and its locks go with it.
// - A replayed delivery that had let go of its partition (on_dead = 'skip') enters it again
//   behind what is open there: it kept its old seq and overtook the deliveries held there.
#include "agent/ingest/writerequest.h"
#include "agent/store/admin/dlqstore.h"
#include "agent/store/hotpath/deliverystore.h"
#include "agent/store/hotpath/guardstore.h"
#include "agent/store/hotpath/ingeststore.h"
#include "agent/store/migrator.h"
#include "shared/cloudevent.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QTest>

#include <atomic>
#include <functional>
#include <optional>
#include <thread>

using namespace ferry;
using namespace ferry::agent::store;
using namespace Qt::StringLiterals;

class TestOutcomeStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_db;
    PgConnection m_conn;
    qint64 m_tenant = 0;
    int m_counter = 0;

    IngestItem item(const QString &partitionKey)
    {
        const QString id = u"ev-%1"_s.arg(++m_counter);
        const QByteArray json = "{\"specversion\":\"1.0\",\"id\":\"" + id.toUtf8() +
                                "\",\"source\":\"/shop\",\"type\":\"t\",\"partitionkey\":\"" +
                                partitionKey.toUtf8() + "\",\"data\":{}}";
        auto event = CloudEvent::parse(json);
        [&] { QVERIFY2(event.ok(), event.ok() ? "" : qPrintable(event.error().message)); }();
        return agent::ingest::makeWriteRequest(*event, {}, m_tenant, {}).item;
    }

    // Holds the row of partition `key` in an open transaction on `holder`.
    static bool lockPartition(PgConnection &holder, const char *key)
    {
        if (!holder.command("BEGIN"))
            return false;
        auto r = holder.exec("SELECT 1 FROM partitions WHERE partition_key = $1 FOR UPDATE",
                             {QByteArray(key)});
        return r && r->rows() == 1;
    }

    // True once the backend `pid` waits for a lock.
    bool waitsForALock(const QString &pid)
    {
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired()) {
            if (m_db->scalar(u"SELECT wait_event_type FROM pg_stat_activity WHERE pid = %1"_s.arg(
                    pid)) == u"Lock"_s)
                return true;
            QTest::qWait(20);
        }
        return false;
    }

    // True when the row of partition `key` is locked by someone else now.
    bool partitionIsTaken(const char *key)
    {
        PgConnection probe;
        if (!probe.open(m_db->url()))
            return false;
        auto r = probe.exec("SELECT 1 FROM partitions WHERE partition_key = $1 FOR UPDATE NOWAIT",
                            {QByteArray(key)});
        return !r && r.error().sqlState == "55P03";
    }

    static QString backendPid(PgConnection &db)
    {
        auto r = db.exec("SELECT pg_backend_pid()");
        return r ? r->text(0, 0) : QString();
    }

    // "a=2,b=1": the open count of each partition of the shop.
    QString partitionCounts() const
    {
        return m_db->scalar(u"SELECT string_agg(partition_key || '=' || open, ',' ORDER BY "
                            "partition_key) FROM partitions WHERE endpoint_id IN (SELECT id FROM "
                            "endpoints WHERE tenant_id = %1)"_s.arg(m_tenant));
    }

    // An event of `tenant` (0: the shop) and its delivery to the tenant's endpoint, written by
    // SQL; `seq` 0: the column default.
    bool insertDelivery(const QString &ceId, const QString &key, qint64 seq = 0,
                        qint64 tenant = 0) const
    {
        return m_db->exec(
            u"WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, partition_key, "
            "payload) VALUES (gen_random_uuid(), %1, '/shop', '%2', 't', '%3', '{}') RETURNING id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, partition_key%4) SELECT "
            "e.id, ep.id, %1, '%3'%5 FROM e, endpoints ep WHERE ep.tenant_id = %1"_s
                .arg(tenant ? tenant : m_tenant)
                .arg(ceId, key, seq ? u", seq"_s : QString(),
                     seq ? u", "_s + QString::number(seq) : QString()));
    }

    QUuid deliveryOf(const QString &ceId) const
    {
        return QUuid(m_db->scalar(u"SELECT d.id FROM deliveries d JOIN events e ON e.id = "
                                  "d.event_id WHERE e.ce_id = '%1'"_s.arg(ceId)));
    }

    // Claims until `id` is among the claimed, and returns its claim.
    static std::optional<ClaimedDelivery> claimOf(DeliveryStore &store, const QUuid &id)
    {
        for (int round = 0; round < 10; ++round) {
            auto claimed = store.claim(50, 60000, 16);
            if (!claimed)
                return std::nullopt;
            for (const auto &c : *claimed)
                if (c.id == id)
                    return c;
        }
        return std::nullopt;
    }

    enum class Held { NeverWaited, OnlyWaitsForB, AAndWaitsForB };

    // Runs `write` on m_conn in a thread of its own while another session holds partition "b";
    // says whether it came to wait for "b" and, if so, whether it held "a" by then.
    Held whileBIsHeld(const std::function<void()> &write)
    {
        PgConnection holder;
        if (!holder.open(m_db->url()) || !lockPartition(holder, "b"))
            return Held::NeverWaited;
        const QString pid = backendPid(m_conn);
        std::thread writer(write);
        Held held = Held::NeverWaited;
        if (waitsForALock(pid))
            held = partitionIsTaken("a") ? Held::AAndWaitsForB : Held::OnlyWaitsForB;
        holder.rollback();
        writer.join();
        return held;
    }

    static Completion outcome(const ClaimedDelivery &c, Completion::State state)
    {
        Completion s;
        s.id = c.id;
        s.leaseToken = c.leaseToken;
        s.attempt = c.attempt;
        s.state = state;
        s.outcome = state == Completion::State::Succeeded ? u"succeeded"_s : u"retryable"_s;
        s.retryDelayMs = 1000;
        s.startedAt = QDateTime::currentDateTimeUtc();
        return s;
    }

    QString idText(const QUuid &id) const { return id.toString(QUuid::WithoutBraces); }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"outcomestore"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QVERIFY(m_conn.open(m_db->url()).ok());
        QVERIFY(Migrator(m_conn).migrate().ok());
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('shop');"
                           "INSERT INTO endpoints (tenant_id, url, secret, ordered) SELECT id, "
                           "'http://127.0.0.1:9/x', 'whsec_AAAA', true FROM tenants"_s));
        m_tenant = m_db->scalar(u"SELECT id FROM tenants"_s).toLongLong();
        // Two events per partition: the heads are claimed, the second ones wait behind them,
        // so each partition's row stays when its head finishes. Written one by one, "b" first,
        // so that the table holds b's rows before a's, as a writer meets them.
        for (const char *key : {"b", "a", "b", "a"}) {
            QVERIFY(insertDelivery(u"seed-%1"_s.arg(++m_counter), QString::fromLatin1(key)));
        }
        QCOMPARE(partitionCounts(), u"a=2,b=2"_s);
    }

    void outcomesTakeTheirPartitionsInOneOrder()
    {
        DeliveryStore store(m_conn);
        auto claimed = store.claim(10, 60000, 16);
        QVERIFY(claimed.ok());
        QCOMPARE(claimed->size(), 2); // the two heads
        QList<Completion> done;
        for (const auto &c : *claimed)
            done.append(outcome(c, Completion::State::Succeeded));
        // "b" first in the batch.
        const QString firstKey =
            m_db->scalar(u"SELECT partition_key FROM deliveries WHERE id = '%1'"_s.arg(
                done.first().id.toString(QUuid::WithoutBraces)));
        if (firstKey == u"a"_s)
            std::swap(done[0], done[1]);

        Result<qint64> recorded = qint64(-1);
        QCOMPARE(whileBIsHeld([&] { recorded = store.complete(done); }), Held::AAndWaitsForB);
        QVERIFY2(recorded.ok(), recorded ? "" : qPrintable(recorded.error().message));
        QCOMPARE(*recorded, qint64(2));
        QCOMPARE(partitionCounts(), u"a=1,b=1"_s);
    }

    void ingestTakesItsPartitionsInOneOrder()
    {
        Result<IngestStore::BatchResult> committed = makeError(u"not run"_s);
        const QList<IngestItem> batch = {item(u"b"_s), item(u"a"_s)};
        QCOMPARE(whileBIsHeld([&] { committed = IngestStore(m_conn).commitBatch(batch); }),
                 Held::AAndWaitsForB);
        QVERIFY2(committed.ok(), committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(partitionCounts(), u"a=2,b=2"_s);
    }

    void aClaimUndoneByACrashHandsOutANewToken()
    {
        DeliveryStore store(m_conn);
        auto first = store.claim(50, 60000, 16);
        QVERIFY(first.ok() && !first->isEmpty());
        const ClaimedDelivery lost = first->first();
        // What a crash of PostgreSQL does to a claim whose commit had not reached the disk:
        // the row is back as it was before (ready, the token and attempts of before).
        QVERIFY(m_db->exec(u"UPDATE delivery_queue SET state = 'ready', lease_token = %1, "
                           "attempts = attempts - 1, due_at = now() WHERE delivery_id = '%2'"_s
                               .arg(m_db->scalar(u"SELECT lease_token - 1 FROM delivery_queue "
                                                 "WHERE delivery_id = '%1'"_s.arg(idText(lost.id))))
                               .arg(idText(lost.id))));
        auto second = store.claim(50, 60000, 16);
        QVERIFY(second.ok());
        const auto again = std::find_if(second->cbegin(), second->cend(),
                                        [&](const ClaimedDelivery &c) { return c.id == lost.id; });
        QVERIFY(again != second->cend());
        QVERIFY2(again->leaseToken != lost.leaseToken, "the undone claim's token came back");

        // The first worker's late "retry" and the second worker's success, in one batch: only
        // the success counts.
        const QString open = m_db->scalar(
            u"SELECT p.open FROM partitions p JOIN deliveries d ON d.endpoint_id = p.endpoint_id "
            "AND d.partition_key = p.partition_key WHERE d.id = '%1'"_s.arg(idText(lost.id)));
        auto recorded = store.complete({outcome(lost, Completion::State::RetryWait),
                                        outcome(*again, Completion::State::Succeeded)});
        QVERIFY2(recorded.ok(), recorded ? "" : qPrintable(recorded.error().message));
        QCOMPARE(*recorded, qint64(1));
        const QString id = idText(lost.id);
        QCOMPARE(m_db->scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(id)),
                 u"succeeded"_s);
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM delivery_queue WHERE delivery_id = '%1'"_s.arg(id)),
            u"0"_s);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(outcome, ',') FROM delivery_attempts WHERE "
                              "delivery_id = '%1'"_s.arg(id)),
                 u"succeeded"_s);
        // Its partition moved on: one fewer open, the next delivery ready.
        QCOMPARE(m_db->scalar(u"SELECT p.open FROM partitions p JOIN deliveries d ON "
                              "d.endpoint_id = p.endpoint_id AND d.partition_key = "
                              "p.partition_key WHERE d.id = '%1'"_s.arg(id))
                     .toInt(),
                 open.toInt() - 1);
    }

    // A delivery's place in its partition (seq) is taken when it enters the partition, under
    // the partition's lock, whatever the row held before: so the head, chosen by entry, is
    // always the lowest seq, and the deliveries behind it are promoted in the order they came.
    void seqIsTakenOnEntryToThePartition()
    {
        // The first to enter carries a seq from far ahead, the second one from far behind (as
        // defaults taken in one order by transactions that then enter in the other).
        QVERIFY(insertDelivery(u"first-in"_s, u"c"_s, 1'000'000'000));
        QVERIFY(insertDelivery(u"second-in"_s, u"c"_s, 1));
        const auto field = [&](const QString &ceId, const QString &sql) {
            return m_db->scalar(
                u"SELECT %1 FROM deliveries d JOIN events e ON e.id = d.event_id "
                "LEFT JOIN delivery_queue q ON q.delivery_id = d.id WHERE e.ce_id = "
                "'%2'"_s.arg(sql, ceId));
        };
        QVERIFY2(field(u"first-in"_s, u"d.seq"_s).toLongLong() <
                     field(u"second-in"_s, u"d.seq"_s).toLongLong(),
                 "the delivery that entered first does not come first");
        QCOMPARE(field(u"first-in"_s, u"q.state"_s), u"ready"_s); // the head
        QCOMPARE(field(u"second-in"_s, u"q.state"_s), u"held"_s);
        QCOMPARE(field(u"second-in"_s, u"q.seq = d.seq"_s), u"t"_s); // the queue row agrees
    }

    // A replay of a delivery that let go of its partition when it died (on_dead = 'skip')
    // queues it behind the deliveries open in the partition: they go first, in their order.
    void replayAfterSkipQueuesBehindWhatIsOpen()
    {
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('skipper');"
                           "INSERT INTO endpoints (tenant_id, url, secret, ordered, on_dead) "
                           "SELECT id, 'http://127.0.0.1:9/y', 'whsec_AAAA', true, 'skip' FROM "
                           "tenants WHERE name = 'skipper'"_s));
        const qint64 tenant =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'skipper'"_s).toLongLong();
        DeliveryStore store(m_conn);
        QVERIFY(insertDelivery(u"s-1"_s, u"s"_s, 0, tenant));
        const auto first = claimOf(store, deliveryOf(u"s-1"_s));
        QVERIFY(first);
        Completion dead = outcome(*first, Completion::State::Dead);
        dead.outcome = u"permanent"_s;
        dead.deadReason = u"permanent"_s;
        QVERIFY(store.complete({dead}).ok());
        QCOMPARE(
            m_db->scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(idText(first->id))),
            u"dead"_s);
        // It let go: the partition is closed, the next ones enter it as head and held.
        QVERIFY(insertDelivery(u"s-2"_s, u"s"_s, 0, tenant));
        QVERIFY(insertDelivery(u"s-3"_s, u"s"_s, 0, tenant));

        auto replayed = DlqStore(m_conn, u"test"_s).replay({deliveryOf(u"s-1"_s)});
        QVERIFY2(replayed.ok(), replayed ? "" : qPrintable(replayed.error().message));
        QCOMPARE(*replayed, qint64(1));
        const auto order = [&] {
            return m_db->scalar(u"SELECT string_agg(e.ce_id || '=' || q.state, ',' ORDER BY "
                                "q.seq) FROM delivery_queue q JOIN events e ON e.id = q.event_id "
                                "JOIN deliveries d ON d.id = q.delivery_id WHERE q.tenant_id = "
                                "%1 AND q.seq = d.seq"_s.arg(tenant));
        };
        QCOMPARE(order(), u"s-2=ready,s-3=held,s-1=held"_s);
        // The head succeeds: the one held longest is next, not the replayed one.
        const auto head = claimOf(store, deliveryOf(u"s-2"_s));
        QVERIFY(head);
        QVERIFY(store.complete({outcome(*head, Completion::State::Succeeded)}).ok());
        QCOMPARE(order(), u"s-3=ready,s-1=held"_s);
    }

    // An agent frozen while it holds the claim lock (between two statements of its claim)
    // holds up the other agents' claims only until the server ends its idle session.
    void aFrozenTransactionLetsGoOfTheClaimLock()
    {
        PgConnection frozen;
        QVERIFY(frozen.open(m_db->url()).ok());
        QVERIFY(frozen.command("BEGIN").ok());
        QVERIFY(GuardStore(frozen).lockForClaim().ok());
        // Another agent claims meanwhile (in a thread: it waits for the lock).
        std::atomic<bool> done{false};
        Result<QList<ClaimedDelivery>> claimed = makeError(u"not run"_s);
        std::thread other([&] {
            bool outOfTokens = false;
            claimed = DeliveryStore(m_conn).claimGuarded(10, 60000, 16, &outOfTokens);
            done = true;
        });
        // Far longer than kIdleInTransactionMs: without the timeout it waits for good.
        QDeadlineTimer deadline(PgConnection::kIdleInTransactionMs + 25000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(50);
        const bool claimedInTime = done;
        if (!claimedInTime)
            frozen.rollback(); // let it go, so that the thread ends
        other.join();
        QVERIFY2(claimedInTime, "the claim waited for the frozen transaction's lock");
        QVERIFY2(claimed.ok(), claimed ? "" : qPrintable(claimed.error().message));
        // The frozen session is gone: once it runs again it finds its connection lost.
        auto after = frozen.exec("SELECT 1");
        QVERIFY(!after.ok());
        QVERIFY(after.error().connectionLost);
    }
};

QTEST_GUILESS_MAIN(TestOutcomeStore)
#include "tst_outcomestore.moc"
