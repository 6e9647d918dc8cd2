// The ingest dedupe store forgets keys after ingest.dedupe_retention, purged in the background
// in small batches; recent keys stay, and a repeat after the window is a new event.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestDedupeRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oldKeysArePurgedRecentOnesKept()
    {
        test::TestDatabase db(u"retention"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}})
                .exitCode,
            0);
        const QString token = test::createTenant(db.url(), u"ret"_s);
        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(db.url(), port);
        env.insert(u"FERRY_INGEST_DEDUPE_RETENTION"_s, u"1h"_s);
        env.insert(u"FERRY_MAINTENANCE_INTERVAL"_s, u"200ms"_s);
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));

        const auto post = [&](const QString &id) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
            r.body = test::cloudEvent(id);
            r.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            return test::http(r);
        };
        QCOMPARE(post(u"old-1"_s).status, 202);
        QCOMPARE(post(u"recent-1"_s).status, 202);
        // Age one key past the window, and add 12,000 more old keys: several purge batches.
        QVERIFY(db.exec(u"UPDATE ingest_keys SET created_at = now() - interval '2 hours' "
                        "WHERE key LIKE '%old-1'"_s));
        QVERIFY(
            db.exec(u"INSERT INTO ingest_keys (tenant_id, key, event_id, content_hash, "
                    "created_at) SELECT t.id, 'bulk-' || g, gen_random_uuid(), '\\x00', "
                    "now() - interval '3 hours' FROM tenants t, generate_series(1, 12000) g"_s));

        QTRY_COMPARE_WITH_TIMEOUT(db.scalar(u"SELECT count(*) FROM ingest_keys"_s), u"1"_s, 30000);
        QVERIFY(db.scalar(u"SELECT key FROM ingest_keys"_s).endsWith(u"recent-1"_s));
        // Within the window a repeat is a duplicate; after it, a new event.
        QCOMPARE(post(u"recent-1"_s).status, 200);
        const auto again = post(u"old-1"_s);
        QCOMPARE(again.status, 202);
        QCOMPARE(QJsonDocument::fromJson(again.body).object().value("duplicate"_L1).toBool(),
                 false);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events WHERE ce_id = 'old-1'"_s), u"2"_s);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestDedupeRetention)
#include "tst_dedupe_retention.moc"
