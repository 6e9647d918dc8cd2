// `ferry-agent check-config` names every problem of a configuration, not only the first, and
// says whether the agent would start on its database; database.auto_migrate=false makes the
// agent wait for `ferry-agent migrate`.
#include "agent/store/migrator.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestCheckConfig : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    QTemporaryDir m_dir;

    QString writeConfig(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return {};
        return path;
    }
    static test::RunResult checkConfig(const QStringList &arguments,
                                       const QHash<QString, QString> &env = {})
    {
        return test::run(test::agentBinary(), QStringList{u"check-config"_s} + arguments, env);
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<test::TestDatabase>(u"checkconfig"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    }
    void cleanup() { m_db.reset(); }

    // A database URL libpq cannot read is named without its value, which may hold a password.
    void unreadableDatabaseUrlIsNamedNotRepeated()
    {
        const auto r = checkConfig(
            {u"--config"_s, u"/dev/null"_s, u"--offline"_s},
            {{u"FERRY_DATABASE_URL"_s, m_db->url()},
             {u"FERRY_DATABASE_READ_URL"_s, u"postgresql://reader:s3cr%zzet@db2/ferry"_s}});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"database.read_url (from FERRY_DATABASE_READ_URL): libpq cannot "
                                "read it"_s),
                 qPrintable(r.out + r.err));
        QVERIFY2(!(r.out + r.err).contains(u"s3cr"_s), qPrintable(r.out + r.err));
    }

    // database.partitions: each kind of mistake named, with the entry and what to write.
    void partitionsThatDoNotParse_data()
    {
        QTest::addColumn<QString>("partitions");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no url") << u"eu tenants=a"_s << u"partition eu has no url="_s;
        QTest::newRow("no tenants")
            << u"eu url=postgresql://db-eu/ferry"_s << u"partition eu names no tenants="_s;
        QTest::newRow("unknown field") << u"eu url=postgresql://db-eu/ferry tenant=a"_s
                                       << u"'tenant' is not url=, api= or tenants="_s;
        QTest::newRow("bad name") << u"Main! url=postgresql://db-eu/ferry tenants=a"_s
                                  << u"'Main!' is not a partition name"_s;
        QTest::newRow("main") << u"main url=postgresql://db-eu/ferry tenants=a"_s
                              << u"'main' is not a partition name"_s;
        QTest::newRow("twice")
            << u"eu url=postgresql://db-eu/ferry tenants=a; eu url=postgresql://db-us/ferry "
               "tenants=b"_s
            << u"partition eu is named twice"_s;
        QTest::newRow("same database")
            << u"eu url=%1 tenants=a"_s << u"partitions main and eu have the same url"_s;
        QTest::newRow("tenant in two")
            << u"eu url=postgresql://db-eu/ferry tenants=a,b; us url=postgresql://db-us/ferry "
               "tenants=b"_s
            << u"tenant b is placed in both eu and us"_s;
        QTest::newRow("bad api") << u"eu url=postgresql://db-eu/ferry api=nowhere tenants=a"_s
                                 << u"partition eu's api= is 'nowhere'"_s;
        QTest::newRow("bad url password")
            << u"eu url=postgresql://u:s3cr%zzet@db-eu/ferry tenants=a"_s
            << u"partition eu's url: libpq cannot read it"_s;
    }

    void partitionsThatDoNotParse()
    {
        QFETCH(QString, partitions);
        QFETCH(QString, problem);
        const auto r = checkConfig(
            {u"--config"_s, u"/dev/null"_s, u"--offline"_s},
            {{u"FERRY_DATABASE_URL"_s, m_db->url()},
             {u"FERRY_DATABASE_PARTITIONS"_s, partitions.replace(u"%1"_s, m_db->url())}});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(problem), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"s3cr"_s), qPrintable(r.err));
    }

    void namesEveryProblem()
    {
        const QString path = writeConfig(u"bad.conf"_s, "[http]\n"
                                                        "listen = 127.0.0.1:7680\n"
                                                        "lissten = 0.0.0.0:7680\n"
                                                        "[dispatch]\n"
                                                        "workers = many\n"
                                                        "[shutdown]\n"
                                                        "grace = 2m\n"
                                                        "[api]\n"
                                                        "certificate = /nonexistent/api.crt\n"
                                                        "private_key = /nonexistent/api.key\n");
        const auto r = checkConfig({u"--config"_s, path, u"--offline"_s},
                                   {{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"-1"_s}});
        QCOMPARE(r.exitCode, 1);
        for (const QString &expected :
             {path + u":3: unknown key 'http.lissten'"_s,
              path + u":5: 'many' is not valid for dispatch.workers"_s,
              u"FERRY_RETRY_MAX_ATTEMPTS: '-1' is out of range for retry.max_attempts"_s,
              u"shutdown.grace (120000 ms) must be shorter than dispatch.lease"_s,
              u"/nonexistent/api.crt"_s, u"5 problem(s) in the configuration"_s})
            QVERIFY2(r.err.contains(expected), qPrintable(expected + u"\n---\n"_s + r.err));
        QVERIFY2(r.out.contains(u"with FERRY_RETRY_MAX_ATTEMPTS"_s), qPrintable(r.out));
        // The same file stops the agent, which points at check-config.
        const auto run = test::run(test::agentBinary(), {u"run"_s, u"--config"_s, path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"unknown key 'http.lissten'"_s), qPrintable(run.err));
    }

    void aFileThatCannotBeRead()
    {
        const auto r = checkConfig({u"--config"_s, m_dir.filePath(u"missing.conf"_s)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"cannot read the configuration file"_s), qPrintable(r.err));
    }

    void reportsTheDatabaseState()
    {
        const QString path =
            writeConfig(u"good.conf"_s, "[database]\nurl = \"" + m_db->url().toUtf8() + "\"\n");
        auto r = checkConfig({u"--config"_s, path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"migration(s) to apply, which the agent does when it starts"_s),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(u"configuration OK"_s), qPrintable(r.out));
        // Checking changed nothing: the database is still empty.
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('schema_migrations') IS NULL"_s), u"t"_s);

        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s, u"--config"_s, path}).exitCode, 0);
        r = checkConfig({u"--config"_s, path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"schema at version %1, as this agent expects"_s.arg(
                     agent::store::Migrator::latestVersion())),
                 qPrintable(r.out));

        // A database an newer agent migrated: the check fails as the agent would.
        QVERIFY(m_db->exec(u"INSERT INTO schema_migrations (version, name, checksum) "
                           "VALUES (9999, '9999_future.sql', 'x')"_s));
        r = checkConfig({u"--config"_s, path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"newer than this ferry-agent"_s), qPrintable(r.err));
    }

    void autoMigrateOffWaitsForTheMigrateCommand()
    {
        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), port);
        env.insert(u"FERRY_DATABASE_AUTO_MIGRATE"_s, u"false"_s);
        auto r = checkConfig({}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"database.auto_migrate is off: run 'ferry-agent migrate'"_s),
                 qPrintable(r.err));

        r = test::run(test::agentBinary(), {u"run"_s}, env, 30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"run 'ferry-agent migrate'"_s), qPrintable(r.err));
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('events') IS NULL"_s), u"t"_s);

        r = test::run(test::agentBinary(), {u"migrate"_s}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));
        QVERIFY(agent.terminate());
    }
};

QTEST_GUILESS_MAIN(TestCheckConfig)
#include "tst_checkconfig.moc"
