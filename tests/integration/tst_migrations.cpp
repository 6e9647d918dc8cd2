#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestMigrations : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<test::TestDatabase>(u"migrations"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    }
    void cleanup() { m_db.reset(); }

private:
    // Applies the bundled migrations older than `version` by hand, as an older agent had.
    void migrateBefore(agent::store::PgConnection &db, int version)
    {
        QVERIFY(m_db->exec(u"CREATE TABLE schema_migrations (version integer PRIMARY KEY, name "
                           "text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT "
                           "NULL DEFAULT now())"_s));
        for (const auto &m : agent::store::Migrator::bundled()) {
            if (m.version >= version)
                continue;
            QVERIFY(db.execScript(m.sql).ok());
            QVERIFY(m_db->exec(u"INSERT INTO schema_migrations (version, name, checksum) VALUES "
                               "(%1, '%2', '%3')"_s.arg(m.version)
                                   .arg(m.name, QString::fromLatin1(m.checksum))));
        }
    }

private Q_SLOTS:

    void appliesToEmptyDatabaseThenIsIdempotent()
    {
        agent::store::PgConnection db;
        QVERIFY(db.open(m_db->url()).ok());
        agent::store::Migrator migrator(db);
        QVERIFY(!migrator.checkCurrent().ok()); // empty: pending migrations

        auto first = migrator.migrate();
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QCOMPARE(first->fromVersion, 0);
        QCOMPARE(first->toVersion, agent::store::Migrator::latestVersion());
        QCOMPARE(first->applied.size(), agent::store::Migrator::bundled().size());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM schema_migrations"_s),
                 QString::number(first->applied.size()));
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('deliveries') IS NOT NULL"_s), u"t"_s);

        const QString tablesBefore =
            m_db->scalar(u"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                         "information_schema.tables WHERE table_schema = 'public'"_s);
        auto second = migrator.migrate();
        QVERIFY(second.ok());
        QVERIFY(second->applied.isEmpty());
        QCOMPARE(second->toVersion, first->toVersion);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                              "information_schema.tables WHERE table_schema = 'public'"_s),
                 tablesBefore);
        QVERIFY(migrator.checkCurrent().ok());
    }

    void migrateCommandReportsWhatItDid()
    {
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, m_db->url()}};
        auto r = test::run(test::agentBinary(), {u"migrate"_s}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"applied 0001_initial.sql"_s), qPrintable(r.out));
        r = test::run(test::agentBinary(), {u"migrate"_s}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"schema is current"_s), qPrintable(r.out));
    }

    void refusesNewerSchema()
    {
        const QHash<QString, QString> env{
            {u"FERRY_DATABASE_URL"_s, m_db->url()},
            {u"FERRY_HTTP_LISTEN"_s, u"127.0.0.1:%1"_s.arg(test::freePort())},
            {u"FERRY_ZMQ_LISTEN"_s, u"tcp://127.0.0.1:%1"_s.arg(test::freePort())}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(m_db->exec(u"INSERT INTO schema_migrations (version, name, checksum) "
                           "VALUES (999, '0999_future.sql', 'x')"_s));
        auto r = test::run(test::agentBinary(), {u"run"_s}, env, 30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"newer than this ferry-agent"_s), qPrintable(r.err));
        QVERIFY2(r.err.endsWith(u'\n'), qPrintable(r.err)); // the next output starts on its line
        QCOMPARE(m_db->scalar(u"SELECT max(version) FROM schema_migrations"_s), u"999"_s);
    }

    void routesKeepTheirEventTypeAcrossMigration6()
    {
        // A database at version 5 with endpoints of one event type and of every type.
        agent::store::PgConnection db;
        QVERIFY(db.open(m_db->url()).ok());
        migrateBefore(db, 6);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_db->exec(u"INSERT INTO tenants (name) VALUES ('shop');"
                           "INSERT INTO endpoints (tenant_id, url, event_type, secret) SELECT id, "
                           "'http://a/', 'order.created', 's' FROM tenants;"
                           "INSERT INTO endpoints (tenant_id, url, secret) SELECT id, "
                           "'http://b/', 's' FROM tenants"_s));
        auto report = agent::store::Migrator(db).migrate();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QVERIFY(report->applied.contains(u"0006_routes_credentials.sql"_s));
        QCOMPARE(m_db->scalar(u"SELECT array_to_string(event_types, ',') FROM endpoints WHERE "
                              "url = 'http://a/'"_s),
                 u"order.created"_s);
        QCOMPARE(m_db->scalar(u"SELECT event_types IS NULL FROM endpoints WHERE url = "
                              "'http://b/'"_s),
                 u"t"_s);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(channel, ',') FROM endpoints"_s),
                 u"webhook,webhook"_s);
    }

    void eventsKeepTheirPayloadAndCascadeAcrossMigration7()
    {
        // A database at version 6 with an event (jsonb payload) and its delivery.
        agent::store::PgConnection db;
        QVERIFY(db.open(m_db->url()).ok());
        migrateBefore(db, 7);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_db->exec(
            u"INSERT INTO tenants (name) VALUES ('shop'), ('other');"
            "INSERT INTO endpoints (tenant_id, url, secret) SELECT id, 'http://a/', 's' FROM "
            "tenants;"
            "INSERT INTO events (id, tenant_id, source, ce_id, type, payload) SELECT "
            "gen_random_uuid(), id, '/s', 'e-' || name, 't', "
            "'{\"data\":{\"x\":[1,2]},\"id\":\"e-1\"}'::jsonb FROM tenants;"
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT e.id, ep.id, "
            "e.tenant_id FROM events e JOIN endpoints ep USING (tenant_id)"_s));
        const QString before = m_db->scalar(u"SELECT payload::text FROM events LIMIT 1"_s);

        auto report = agent::store::Migrator(db).migrate();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QVERIFY(report->applied.contains(u"0007_ingest_hot_path.sql"_s));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events"_s), u"2"_s);
        QCOMPARE(m_db->scalar(u"SELECT payload::text FROM events LIMIT 1"_s), before);
        QCOMPARE(m_db->scalar(u"SELECT payload->'data'->'x'->>1 FROM events LIMIT 1"_s), u"2"_s);
        QCOMPARE(m_db->scalar(u"SELECT data_type FROM information_schema.columns WHERE "
                              "table_name = 'events' AND column_name = 'payload'"_s),
                 u"json"_s);
        // Deleting a tenant still takes its events and their deliveries, and only those.
        QVERIFY(m_db->exec(u"DELETE FROM tenants WHERE name = 'shop'"_s));
        QCOMPARE(m_db->scalar(u"SELECT string_agg(ce_id, ',') FROM events"_s), u"e-other"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries"_s), u"1"_s);
    }

    void refusesEditedMigration()
    {
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, m_db->url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(
            m_db->exec(u"UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"_s));
        auto r = test::run(test::agentBinary(), {u"migrate"_s}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"changed after it was applied"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
