#include "agent/app/agentconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using ferry::agent::AgentConfig;
using namespace Qt::StringLiterals;

class TestAgentConfig : public QObject
{
    Q_OBJECT
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
    }

    void errorsNameTheKeyAndTheFix()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QString path;
        if (!file.isEmpty()) {
            path = dir.filePath(u"agent.conf"_s);
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(file);
        }
        QHash<QString, QString> env;
        if (!envName.isEmpty())
            env.insert(envName, envValue);
        auto c = AgentConfig::load(path, env);
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(mentions), qPrintable(c.error().message));
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
