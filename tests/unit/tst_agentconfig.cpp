#include "agent/app/agentconfig.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using ferry::agent::AgentConfig;
using namespace Qt::StringLiterals;

class TestAgentConfig : public QObject
{
    Q_OBJECT

    // Writes `file` to `path` (when given) and loads it with at most one environment variable.
    static ferry::Result<AgentConfig> load(const QString &path, const QByteArray &file,
                                           const QString &envName, const QString &envValue)
    {
        if (!path.isEmpty()) {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(file) != file.size())
                return ferry::makeError(u"cannot write "_s + path);
        }
        QHash<QString, QString> env;
        if (!envName.isEmpty())
            env.insert(envName, envValue);
        return AgentConfig::load(path, env);
    }

private Q_SLOTS:
    void defaults()
    {
        auto c = AgentConfig::load({}, {});
        QVERIFY(c.ok());
        QCOMPARE(c->string("http.listen"), u"0.0.0.0:7680"_s);
        QCOMPARE(c->integer("http.max_body_bytes"), 1048576);
        QCOMPARE(c->milliseconds("webhook.timeout"), 15000);
        QCOMPARE(c->origin("http.listen"), u"default"_s);
    }

    void fileThenEnvironment()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"agent.conf"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\n[database]\nurl = \"postgresql://db/ferry\"\n\n"
                "[retry]\nbase = 250ms\nmax_attempts = 4\n");
        f.close();
        auto c = AgentConfig::load(path, {{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"6"_s}});
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QCOMPARE(c->string("database.url"), u"postgresql://db/ferry"_s);
        QCOMPARE(c->milliseconds("retry.base"), 250);
        QCOMPARE(c->integer("retry.max_attempts"), 6);
        QCOMPARE(c->origin("retry.max_attempts"), u"FERRY_RETRY_MAX_ATTEMPTS"_s);
        QCOMPARE(c->origin("retry.base"), path);
    }

    void errorsNameTheKeyAndTheFix_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QByteArray("[http]\nlisten_port = 1\n") << QString()
                                     << QString() << u"unknown key 'http.listen_port'"_s;
        QTest::newRow("no equals") << QByteArray("http.listen\n") << QString() << QString()
                                   << u":1: expected 'key = value'"_s;
        QTest::newRow("bad duration")
            << QByteArray() << u"FERRY_WEBHOOK_TIMEOUT"_s << u"soon"_s << u"a duration such as"_s;
        QTest::newRow("bad integer") << QByteArray("[ingest]\nmax_batch = lots\n") << QString()
                                     << QString() << u"a whole number"_s;
        // Found by fuzzing (tests/fuzz/corpus/agentconfig/duration-wraps): this many days in
        // milliseconds wrapped around a qint64 to 30720 ms, inside breaker.window's range.
        QTest::newRow("duration past qint64") << QByteArray("breaker.window = 12560439280744594d\n")
                                              << QString() << QString() << u"a duration such as"_s;
        // libpq would take it for a database name and try the local socket.
        QTest::newRow("database url without a scheme")
            << QByteArray() << u"FERRY_DATABASE_URL"_s << u"ferry:s3cret@db.example/ferry"_s
            << u"FERRY_DATABASE_URL: database.url is neither a postgresql:// URL"_s;
    }

    // A value out of its key's range stops the agent; it is never clamped. The message names
    // the source (file and line, or variable), the value, the key and the allowed range.
    void outOfRangeIsAnError_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("message"); // %1: the file's path
        QTest::newRow("integer above, file")
            << QByteArray("# agent\n[dispatch]\nworkers = 100\n") << QString() << QString()
            << u"%1:3: '100' is out of range for dispatch.workers; allowed: 1 to 64"_s;
        QTest::newRow("integer below, environment")
            << QByteArray() << u"FERRY_DISPATCH_WORKERS"_s << u"0"_s
            << u"FERRY_DISPATCH_WORKERS: '0' is out of range for dispatch.workers; allowed: 1 "
               "to 64"_s;
        QTest::newRow("negative integer, environment")
            << QByteArray() << u"FERRY_INGEST_WRITERS"_s << u"-1"_s
            << u"FERRY_INGEST_WRITERS: '-1' is out of range for ingest.writers; allowed: 1 to "
               "16"_s;
        QTest::newRow("duration below, file")
            << QByteArray("ingest.retry_after = 500ms\n") << QString() << QString()
            << u"%1:1: '500ms' is out of range for ingest.retry_after; allowed: 1s to 1h"_s;
        QTest::newRow("duration above, environment")
            << QByteArray() << u"FERRY_WEBHOOK_TIMEOUT"_s << u"2h"_s
            << u"FERRY_WEBHOOK_TIMEOUT: '2h' is out of range for webhook.timeout; allowed: 100ms "
               "to 1h"_s;
        QTest::newRow("duration below an open range")
            << QByteArray() << u"FERRY_INGEST_DEDUPE_RETENTION"_s << u"30s"_s
            << u"FERRY_INGEST_DEDUPE_RETENTION: '30s' is out of range for "
               "ingest.dedupe_retention; allowed: 1m or more"_s;
        QTest::newRow("unparsable integer names the range")
            << QByteArray() << u"FERRY_DISPATCH_WORKERS"_s << u"many"_s
            << u"FERRY_DISPATCH_WORKERS: 'many' is not valid for dispatch.workers; expected a "
               "whole number (allowed: 1 to 64)"_s;
        QTest::newRow("the environment is checked after a valid file")
            << QByteArray("[dispatch]\nworkers = 4\n") << u"FERRY_DISPATCH_MAX_IN_FLIGHT"_s
            << u"100001"_s
            << u"FERRY_DISPATCH_MAX_IN_FLIGHT: '100001' is out of range for "
               "dispatch.max_in_flight; allowed: 1 to 100000"_s;
    }

    void outOfRangeIsAnError()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = file.isEmpty() ? QString() : dir.filePath(u"agent.conf"_s);
        auto c = load(path, file, envName, envValue);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().message, message.contains(u"%1"_s) ? message.arg(path) : message);
    }

    void boundsAreAllowed()
    {
        for (const QString &workers : {u"1"_s, u"64"_s}) {
            auto c = AgentConfig::load({}, {{u"FERRY_DISPATCH_WORKERS"_s, workers},
                                            {u"FERRY_RETENTION_DEAD"_s, u"36500d"_s},
                                            {u"FERRY_WEBHOOK_TIMEOUT"_s, u"100ms"_s}});
            QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
            QCOMPARE(c->integer("dispatch.workers"), workers.toLongLong());
            QCOMPARE(c->milliseconds("webhook.timeout"), 100);
        }
    }

    // The table's own defaults pass the checks a value from a file or the environment gets.
    void everyDefaultIsInItsRange()
    {
        for (const auto &k : AgentConfig::keys()) {
            const QString name = AgentConfig::environmentName(QString::fromLatin1(k.key));
            auto c = AgentConfig::load({}, {{name, QString::fromLatin1(k.defaultValue)}});
            QVERIFY2(c.ok(), c.ok() ? k.key : qPrintable(c.error().message));
        }
    }

    // What an operator sees: the agent stops before doing anything, with exit code 1.
    void agentRefusesAnOutOfRangeSetting()
    {
        const auto r = ferry::test::run(ferry::test::agentBinary(), {u"config"_s},
                                        {{u"FERRY_DISPATCH_WORKERS"_s, u"100"_s}});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err.trimmed(), u"ferry-agent: FERRY_DISPATCH_WORKERS: '100' is out of range "
                                  "for dispatch.workers; allowed: 1 to 64"_s);
    }

    // `ferry-agent config` is pasted into tickets and chats: it never prints a password, in
    // the URL form of database.url, its key=value form or a query parameter, nor in another
    // URL-valued key.
    void configMasksSecrets_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("kept");
        const QString db = u"FERRY_DATABASE_URL"_s;
        QTest::newRow("url") << db << u"postgresql://ferry:s3cr%40t@db.internal:5432/ferry"_s
                             << u"s3cr"_s << u"postgresql://ferry:****@db.internal:5432/ferry"_s;
        QTest::newRow("url query")
            << db << u"postgresql://db/ferry?user=f&password=hunter2"_s << u"hunter2"_s
            << u"postgresql://db/ferry?user=f&password=****"_s;
        QTest::newRow("key=value")
            << db << u"host=db user=ferry password=hunter2 dbname=ferry"_s << u"hunter2"_s
            << u"host=db user=ferry password=**** dbname=ferry"_s;
        QTest::newRow("key='quoted'")
            << db << u"host=db password = 'hunter 2' sslpassword=x9z"_s << u"hunter"_s
            << u"host=db password = **** sslpassword=****"_s;
        QTest::newRow("callback url")
            << u"FERRY_CHANNELS_STATUS_CALLBACK_URL"_s
            << u"https://ops:t0psecret@hooks.example/cb?token=abc123"_s << u"t0psecret"_s
            << u"https://ops:****@hooks.example/cb?token=****"_s;
    }

    void configMasksSecrets()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, secret);
        QFETCH(QString, kept);
        const auto r = ferry::test::run(ferry::test::agentBinary(), {u"config"_s},
                                        {{variable, value}, {u"FERRY_CONFIG"_s, {}}});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(secret), qPrintable(r.out));
        QVERIFY2(!r.out.contains(u"abc123"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(kept + u"    # "_s + variable), qPrintable(r.out));
    }

    void commandLineErrorsEndTheirLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("unknown option")
            << QStringList{u"--no-such-option"_s} << QString() << QString();
        QTest::newRow("missing file")
            << QStringList{u"run"_s, u"--config"_s, u"/nonexistent/agent.conf"_s} << QString()
            << QString();
        QTest::newRow("bad value")
            << QStringList{u"config"_s} << u"FERRY_DISPATCH_MAX_IN_FLIGHT"_s << u"abc"_s;
    }

    // A failing command prints one line, "ferry-agent: ..." with its final newline: what a shell
    // prints next starts on a line of its own.
    void commandLineErrorsEndTheirLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QHash<QString, QString> env{{u"FERRY_CONFIG"_s, {}}};
        if (!variable.isEmpty())
            env.insert(variable, value);
        const auto r = ferry::test::run(ferry::test::agentBinary(), arguments, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(u"ferry-agent: "_s), qPrintable(r.err));
        QVERIFY2(r.err.endsWith(u'\n') && r.err.count(u'\n') == 1, qPrintable(r.err));
    }

    // `--version` and `version` answer on a host with neither configuration nor database.
    void versionNeedsNothing_data()
    {
        QTest::addColumn<QString>("argument");
        QTest::newRow("option") << u"--version"_s;
        QTest::newRow("command") << u"version"_s;
    }

    void versionNeedsNothing()
    {
        QFETCH(QString, argument);
        const auto r = ferry::test::run(
            ferry::test::agentBinary(), {argument},
            {{u"FERRY_CONFIG"_s, u"/nonexistent/agent.conf"_s},
             {u"FERRY_DATABASE_URL"_s, u"postgresql://nobody@127.0.0.1:1/none"_s}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(u"ferry-agent "_s) && r.out.contains(u"schema version"_s),
                 qPrintable(r.out));
    }

    void errorsNameTheKeyAndTheFix()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = file.isEmpty() ? QString() : dir.filePath(u"agent.conf"_s);
        auto c = load(path, file, envName, envValue);
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(mentions), qPrintable(c.error().message));
        QVERIFY2(!c.error().message.contains(u"s3cret"_s), qPrintable(c.error().message));
    }

    void documentationMatchesTheTable()
    {
        QFile doc(QStringLiteral(FERRY_SOURCE_DIR "/docs/configuration.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        QVERIFY2(text.contains(AgentConfig::markdownTable()),
                 "docs/configuration.md is out of date: regenerate its table with "
                 "'ferry-agent config --markdown'");
    }
};

QTEST_GUILESS_MAIN(TestAgentConfig)
#include "tst_agentconfig.moc"
