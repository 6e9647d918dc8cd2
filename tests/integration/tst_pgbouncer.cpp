// ferry-agent behind PgBouncer in session pooling. PgBouncer refuses the options the agent sends
// when it connects unless told to ignore them: then the agent's error points at the docs. With
// ignore_startup_parameters = options the agent sets them on the session itself, and events are
// ingested and delivered through the pooler, LISTEN wake-ups included. Transaction pooling is
// not supported (docs/operations.md, "Connection pooling"): the agent refuses to start there.
#include "agent/store/pgconnection.h"
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <unistd.h>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestPgBouncer : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::Process> m_bouncer;
    QString m_url; // the test database through PgBouncer

    // PgBouncer in `poolMode` pooling in front of the test database, on a free port; with
    // `ignoreOptions`, ignore_startup_parameters = options.
    bool startBouncer(bool ignoreOptions, const QString &poolMode = u"session"_s)
    {
        if (m_bouncer)
            m_bouncer->terminate();
        const QUrl db(m_db->url());
        const quint16 port = test::freePort();
        m_dir = std::make_unique<QTemporaryDir>(u"/tmp/ferry-pgbouncer-XXXXXX"_s);
        QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                 QFileDevice::ExeOther);
        QFile users(m_dir->filePath(u"userlist.txt"_s));
        QFile ini(m_dir->filePath(u"pgbouncer.ini"_s));
        if (!users.open(QIODevice::WriteOnly) || !ini.open(QIODevice::WriteOnly))
            return false;
        users.write("\"" + db.userName().toUtf8() + "\" \"\"\n");
        ini.write(u"[databases]\n"
                  "ferry = host=127.0.0.1 port=%1 dbname=%2\n"
                  "[pgbouncer]\n"
                  "listen_addr = 127.0.0.1\nlisten_port = %3\nunix_socket_dir =\n"
                  "auth_type = trust\nauth_file = %4\npool_mode = %6\n"
                  "%5"
                  "max_client_conn = 500\ndefault_pool_size = 200\n"_s.arg(db.port())
                      .arg(db.path().mid(1))
                      .arg(port)
                      .arg(users.fileName(),
                           ignoreOptions ? u"ignore_startup_parameters = options\n"_s : QString(),
                           poolMode)
                      .toUtf8());
        users.close();
        ini.close();
        for (QFile *f : {&users, &ini})
            f->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                              QFileDevice::ReadOther);
        // PgBouncer refuses to run as root.
        const bool root = ::geteuid() == 0;
        m_bouncer = std::make_unique<test::Process>(
            root ? u"runuser"_s : u"pgbouncer"_s,
            root ? QStringList{u"-u"_s, u"postgres"_s, u"--"_s, u"pgbouncer"_s, ini.fileName()}
                 : QStringList{ini.fileName()});
        if (!m_bouncer->start())
            return false;
        m_url = u"postgresql://%1@127.0.0.1:%2/ferry"_s.arg(db.userName()).arg(port);
        for (int i = 0; i < 100; ++i) {
            if (test::run(u"pg_isready"_s,
                          {u"-q"_s, u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port)})
                    .exitCode == 0)
                return true;
            QTest::qWait(100);
        }
        qWarning().noquote() << "PgBouncer did not start:" << m_bouncer->output();
        return false;
    }

    test::RunResult agent(const QStringList &arguments) const
    {
        return test::run(test::agentBinary(), arguments, {{u"FERRY_DATABASE_URL"_s, m_url}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"pgbouncer"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    }

    void cleanupTestCase()
    {
        // SIGTERM, which runuser hands on; PgBouncer's exit code after it does not matter here.
        if (m_bouncer)
            m_bouncer->terminate();
    }

    void optionsRefusedByThePoolerPointAtTheDocs()
    {
        QVERIFY(startBouncer(false));
        const auto r = agent({u"migrate"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"unsupported startup parameter"_s) &&
                     r.err.contains(u"'Connection pooling'"_s),
                 qPrintable(r.err));
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('events') IS NULL"_s), u"t"_s);
    }

    // Under transaction pooling the agent's sessions are not its own: every command that uses
    // the database refuses, says why and what to change, and changes nothing.
    void transactionPoolingIsRefusedAtStart()
    {
        QVERIFY(startBouncer(true, u"transaction"_s));
        const auto expectRefusal = [](const test::RunResult &r) {
            QVERIFY2(r.exitCode != 0, qPrintable(r.out));
            QVERIFY2(r.err.contains(u"transaction or statement pooling"_s) &&
                         r.err.contains(u"pool_mode = session"_s) &&
                         r.err.contains(u"'Connection pooling'"_s),
                     qPrintable(r.err));
        };
        expectRefusal(agent({u"migrate"_s}));
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('events') IS NULL"_s), u"t"_s);
        auto env = test::agentEnvironment(m_url, test::freePort());
        expectRefusal(test::run(test::agentBinary(), {u"run"_s}, env));
        const auto checked =
            test::run(test::agentBinary(), {u"check-config"_s, u"--config"_s, u"/dev/null"_s},
                      {{u"FERRY_DATABASE_URL"_s, m_url}});
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(u"transaction or statement pooling"_s) ||
                     checked.err.contains(u"transaction or statement pooling"_s),
                 qPrintable(checked.out + checked.err));
        QCOMPARE(m_db->scalar(u"SELECT to_regclass('events') IS NULL"_s), u"t"_s);
    }

    void deliversThroughSessionPooling()
    {
        QVERIFY(startBouncer(true));
        // PgBouncer dropped the options; the connection set them on the session itself.
        agent::store::PgConnection pooled;
        QVERIFY(pooled.open(m_url).ok());
        auto settings = pooled.exec("SELECT current_setting('TimeZone'), current_setting('jit'),"
                                    " current_setting('idle_in_transaction_session_timeout')");
        QVERIFY(settings.ok());
        QCOMPARE(settings->text(0, 0), u"UTC"_s);
        QCOMPARE(settings->text(0, 1), u"off"_s);
        QCOMPARE(settings->text(0, 2), u"5s"_s);
        pooled.close();

        auto r = agent({u"migrate"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString token = test::createTenant(m_url, u"shop"_s);
        QVERIFY(token.startsWith(u"fpt_"_s));
        test::RecordingServer receiver;
        QVERIFY(receiver.start());
        QVERIFY(
            test::addEndpoint(m_url, u"shop"_s, receiver.url(u"/hooks"_s)).startsWith(u"whsec_"_s));

        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(m_url, port);
        env.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s); // only LISTEN wakes it
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));
        QList<test::HttpRequest> posts;
        for (int i = 0; i < 50; ++i) {
            test::HttpRequest post;
            post.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
            post.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                            {"Content-Type", "application/cloudevents+json"}};
            post.body = test::cloudEvent(u"pooled-%1"_s.arg(i));
            posts.append(post);
        }
        for (const auto &answer : test::httpMany(posts, 8))
            QCOMPARE(answer.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.received().size(), 50, 30000);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestPgBouncer)
#include "tst_pgbouncer.moc"
