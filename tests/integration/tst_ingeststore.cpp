// The batch writer's SQL (IngestStore) against a real database: an event is stored as the exact
// canonical JSON it was hashed from, and the events of a tenant that no longer exists are
// refused as a whole batch, leaving nothing behind (decision 0015); a commit that creates
// deliveries wakes the other agents' dispatchers, and only then.
#include "agent/ingest/writerequest.h"
#include "agent/store/hotpath/ingeststore.h"
#include "agent/store/migrator.h"
#include "shared/cloudevent.h"
#include "tests/support/testsupport.h"

#include <QTest>

using namespace ferry;
using namespace ferry::agent::store;
using namespace Qt::StringLiterals;

class TestIngestStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_db;
    PgConnection m_conn;
    qint64 m_tenant = 0;

    IngestItem item(qint64 tenant, const QByteArray &json)
    {
        auto event = CloudEvent::parse(json);
        [&] { QVERIFY2(event.ok(), event.ok() ? "" : qPrintable(event.error().message)); }();
        return agent::ingest::makeWriteRequest(*event, {}, tenant, {}).item;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"ingeststore"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QVERIFY(m_conn.open(m_db->url()).ok());
        QVERIFY(Migrator(m_conn).migrate().ok());
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('shop')"_s));
        m_tenant = m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        QVERIFY(m_tenant > 0);
    }

    void theStoredPayloadIsTheCanonicalJson()
    {
        // Keys out of order, whitespace, escapes and non-ASCII text: what is stored (and later
        // delivered) is byte for byte the canonical form that the content hash covers.
        const QByteArray body = "{ \"type\": \"order.created\", \"source\": \"/shop\", "
                                "\"specversion\": \"1.0\", \"id\": \"canon-1\", "
                                "\"data\": {\"z\": [1, 2.5, \"a\\\"b\\\\c\\n\"], "
                                "\"name\": \"J\\u00fcrgen \xe2\x82\xac\", \"a\": null}}";
        const IngestItem i = item(m_tenant, body);
        auto r = IngestStore(m_conn).commitBatch({i});
        QVERIFY2(r.ok(), !r ? qPrintable(r.error().message) : "");
        const auto &outcome = r->outcomes.first();
        QCOMPARE(outcome.kind, IngestOutcome::Kind::Accepted);
        const QString stored =
            m_db->scalar(u"SELECT payload::text FROM events WHERE id = '%1'"_s.arg(
                outcome.eventId.toString(QUuid::WithoutBraces)));
        QCOMPARE(stored.toUtf8(), i.payload);
        QCOMPARE(m_db->scalar(u"SELECT payload->'data'->>'name' FROM events WHERE ce_id = "
                              "'canon-1'"_s),
                 u"J\u00fcrgen \u20ac"_s);
    }

    void eventsOfATenantThatIsGoneAreRefusedAndNothingIsKept()
    {
        const qint64 gone = m_tenant + 1000;
        const QString keysBefore = m_db->scalar(u"SELECT count(*) FROM ingest_keys"_s);
        const QString eventsBefore = m_db->scalar(u"SELECT count(*) FROM events"_s);
        const QList<IngestItem> batch = {item(m_tenant, test::cloudEvent(u"live-1"_s)),
                                         item(gone, test::cloudEvent(u"orphan-1"_s))};
        auto r = IngestStore(m_conn).commitBatch(batch);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(u"tenant was deleted"_s),
                 qPrintable(r.error().message));
        QVERIFY(!r.error().connectionLost);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM ingest_keys"_s), keysBefore);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events"_s), eventsBefore);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE tenant_id = %1"_s.arg(gone)),
                 u"0"_s);

        // The live tenant's event alone (what the batch writer retries one by one) is stored.
        auto alone = IngestStore(m_conn).commitBatch({batch.first()});
        QVERIFY(alone.ok());
        QCOMPARE(alone->outcomes.first().kind, IngestOutcome::Kind::Accepted);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'live-1'"_s), u"1"_s);
    }

    void preparedStatementsLostByTheSessionArePreparedAgain()
    {
        // A connection pooler may DISCARD ALL between transactions: the next batch must still
        // commit, by preparing its statements again.
        QVERIFY(
            IngestStore(m_conn).commitBatch({item(m_tenant, test::cloudEvent(u"pre-1"_s))}).ok());
        QVERIFY(m_conn.exec("DEALLOCATE ALL").ok());
        auto r = IngestStore(m_conn).commitBatch({item(m_tenant, test::cloudEvent(u"pre-2"_s))});
        QVERIFY2(r.ok(), !r ? qPrintable(r.error().message) : "");
        QCOMPARE(r->outcomes.first().kind, IngestOutcome::Kind::Accepted);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id IN ('pre-1', 'pre-2')"_s),
                 u"2"_s);
    }

    void aCommitThatCreatesDeliveriesWakesTheDispatchers()
    {
        // A commit notifies 'ferry_work' (other agents' dispatchers listen) only when it
        // created deliveries and a payload was given.
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('routed')"_s));
        const qint64 routed =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'routed'"_s).toLongLong();
        QVERIFY(m_db->exec(u"INSERT INTO endpoints (tenant_id, url, secret) VALUES (%1, "
                           "'http://127.0.0.1:9/', 's')"_s.arg(routed)));
        PgConnection listener;
        QVERIFY(listener.open(m_db->url()).ok());
        QVERIFY(listener.exec("LISTEN ferry_work").ok());
        // What the listener heard up to a marker sent after the commits: PostgreSQL delivers
        // notifications in commit order, so once the marker is in, every notification of the
        // commits before it is too, and an absence is proved without a fixed wait.
        int markers = 0;
        const auto heard = [&] {
            const QByteArray marker = "marker-" + QByteArray::number(++markers);
            QList<QByteArray> all;
            if (!listener.exec("SELECT pg_notify('ferry_work', $1)", {marker}).ok())
                return QList<QByteArray>{"(the marker could not be sent)"};
            const bool arrived = QTest::qWaitFor(
                [&] {
                    all += listener.takeNotifications();
                    return all.contains(marker);
                },
                10000);
            if (!arrived)
                return QList<QByteArray>{"(no marker within 10 s)"};
            all.removeAll(marker);
            return all;
        };

        auto r = IngestStore(m_conn).commitBatch({item(routed, test::cloudEvent(u"n-1"_s))}, {},
                                                 "agent-a");
        QVERIFY(r.ok());
        QCOMPARE(r->deliveriesCreated, 1);
        QCOMPARE(heard(), QList<QByteArray>{"agent-a"});
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN events e ON "
                              "e.id = d.event_id WHERE e.ce_id = 'n-1'"_s),
                 u"1"_s);

        // No deliveries (a tenant without endpoints), or no payload: no notification.
        r = IngestStore(m_conn).commitBatch({item(m_tenant, test::cloudEvent(u"n-2"_s))}, {},
                                            "agent-a");
        QVERIFY(r.ok());
        r = IngestStore(m_conn).commitBatch({item(routed, test::cloudEvent(u"n-3"_s))}, {}, {});
        QVERIFY(r.ok());
        QCOMPARE(r->deliveriesCreated, 1);
        QVERIFY(heard().isEmpty());
        // Only duplicates: nothing new is inserted, the transaction still ends.
        r = IngestStore(m_conn).commitBatch({item(routed, test::cloudEvent(u"n-1"_s))}, {},
                                            "agent-a");
        QVERIFY(r.ok());
        QCOMPARE(r->outcomes.first().kind, IngestOutcome::Kind::Duplicate);
        QVERIFY(heard().isEmpty());
        // Not left inside a transaction: SAVEPOINT works only inside one.
        QVERIFY(!m_conn.exec("SAVEPOINT still_open").ok());
    }

    void deletingATenantDeletesItsEvents()
    {
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('brief')"_s));
        const qint64 brief =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'brief'"_s).toLongLong();
        auto r = IngestStore(m_conn).commitBatch({item(brief, test::cloudEvent(u"brief-1"_s))});
        QVERIFY(r.ok());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE tenant_id = %1"_s.arg(brief)),
                 u"1"_s);
        QVERIFY(m_db->exec(u"DELETE FROM tenants WHERE id = %1"_s.arg(brief)));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE tenant_id = %1"_s.arg(brief)),
                 u"0"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE tenant_id = %1"_s.arg(m_tenant))
                         .toInt() > 0,
                 true);
    }
};

QTEST_GUILESS_MAIN(TestIngestStore)
#include "tst_ingeststore.moc"
