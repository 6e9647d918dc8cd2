// ReportStore's tenant figures against a real database: how a tenant's deliveries ended (the
// demo's summary) and which deliveries are still open, by tenant (the demo's leftover notes).
#include "agent/store/migrator.h"
#include "agent/store/readmodels/reportstore.h"
#include "tests/support/testsupport.h"

#include <QTest>

using namespace ferry::agent::store;
using namespace Qt::StringLiterals;

class TestReportStore : public QObject
{
    Q_OBJECT

    ferry::test::TestDatabase m_db{u"reportstore"_s};
    PgConnection m_conn;
    ReportStore m_reports{m_conn};

    QString tenant(const QString &name) const
    {
        const QString id =
            m_db.scalar(u"INSERT INTO tenants (name) VALUES ('%1') RETURNING id"_s.arg(name));
        [&] {
            QVERIFY(m_db.exec(u"INSERT INTO endpoints (tenant_id, url, secret) VALUES "
                              "(%1, 'http://127.0.0.1:9/hook', 'whsec_x')"_s.arg(id)));
        }();
        return id;
    }

    // A delivery in `state` created at 12:00:00, finished `seconds` later (< 0: not finished),
    // with `retried` retryable attempts. 'in_flight' is a pending delivery whose queue row is
    // leased.
    void delivery(const QString &tenantId, const QString &state, int seconds, int retried = 0)
    {
        const QString created = u"'2026-01-01 12:00:00+00'::timestamptz"_s;
        const QString finished =
            seconds < 0 ? u"NULL"_s : u"%1 + interval '%2 seconds'"_s.arg(created).arg(seconds);
        const bool leased = state == u"in_flight"_s;
        const QString id = m_db.scalar(
            u"WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload, "
            "  received_at) VALUES (gen_random_uuid(), %1, 'test', gen_random_uuid()::text, "
            "  'order.created', '{}', %2) RETURNING id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, finished_at, "
            "  created_at) SELECT e.id, p.id, %1, '%3', %4, %2 FROM e, endpoints p "
            "  WHERE p.tenant_id = %1 RETURNING id"_s.arg(tenantId, created,
                                                          leased ? u"pending"_s : state, finished));
        QVERIFY(!id.isEmpty());
        if (leased)
            QVERIFY(m_db.exec(
                u"UPDATE delivery_queue SET state = 'leased' WHERE delivery_id = '%1'"_s.arg(id)));
        QVERIFY(m_db.exec(u"INSERT INTO delivery_attempts (delivery_id, attempt, started_at, "
                          "outcome) SELECT '%1', g, now(), 'retryable' "
                          "FROM generate_series(1, %2) g"_s.arg(id)
                              .arg(retried)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.ok(), qPrintable(m_db.error()));
        const auto ready = [&]() -> ferry::Result<void> {
            if (auto opened = m_conn.open(m_db.url()); !opened)
                return opened;
            if (auto migrated = Migrator(m_conn).migrate(); !migrated)
                return migrated.error();
            return {};
        }();
        QVERIFY2(ready.ok(), ready.ok() ? "" : qPrintable(ready.error().message));
    }

    void outcomeCountsOneTenantsDeliveries()
    {
        const QString shop = tenant(u"shop"_s), other = tenant(u"other"_s);
        delivery(shop, u"succeeded"_s, 1);
        delivery(shop, u"succeeded"_s, 2, 1);
        delivery(shop, u"succeeded"_s, 4, 2);
        delivery(shop, u"dead"_s, 10, 3);
        delivery(shop, u"retry_wait"_s, -1, 1);
        delivery(other, u"succeeded"_s, 30, 5);

        auto o = m_reports.outcome(shop.toLongLong());
        QVERIFY2(o.ok(), o.ok() ? "" : qPrintable(o.error().message));
        QCOMPARE(o->deliveries, qint64(5));
        QCOMPARE(o->succeeded, qint64(3));
        QCOMPARE(o->dead, qint64(1));
        QCOMPARE(o->retryableAttempts, qint64(7));
        QCOMPARE(o->spanSeconds, 10.0);
        QCOMPARE(o->p50Seconds, 2.0); // of the succeeded ones only
        QVERIFY(o->p99Seconds > 3.9 && o->p99Seconds <= 4.0);
        QCOMPARE(o->lastFinished, QDateTime::fromString(u"2026-01-01T12:00:10Z"_s, Qt::ISODate));

        auto none = m_reports.outcome(0);
        QVERIFY(none.ok());
        QCOMPARE(none->deliveries, qint64(0));
        QCOMPARE(none->spanSeconds, 0.0);
        QVERIFY(!none->lastFinished.isValid());
    }

    void openDeliveriesAreCountedByTenant()
    {
        const QString busy = tenant(u"busy"_s), idle = tenant(u"idle"_s);
        const QString waiting = tenant(u"waiting"_s);
        delivery(waiting, u"retry_wait"_s, -1, 2);
        delivery(busy, u"pending"_s, -1);
        delivery(busy, u"in_flight"_s, -1);
        delivery(busy, u"retry_wait"_s, -1, 1);
        delivery(busy, u"dead"_s, 5, 3);
        delivery(idle, u"succeeded"_s, 1);
        delivery(idle, u"dead"_s, 5, 3);

        auto open = m_reports.openDeliveriesByTenant();
        QVERIFY2(open.ok(), open.ok() ? "" : qPrintable(open.error().message));
        QCOMPARE(open->value(u"busy"_s), qint64(3));
        QVERIFY(!open->contains(u"idle"_s));            // finished and dead ones are not open
        QCOMPARE(open->value(u"waiting"_s), qint64(1)); // waiting for its next attempt: open
    }
};

QTEST_GUILESS_MAIN(TestReportStore)
#include "tst_reportstore.moc"
