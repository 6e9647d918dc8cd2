// ferryctl send: JSON lines from a file or standard input, over ZeroMQ with the credentials
// file that `ferry-agent producer add` prints; counts and reasons at the end.
#include "tests/support/testsupport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestFerryctl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendReportsAcceptedDuplicateRejected()
    {
        test::TestDatabase db(u"ferryctl"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(!test::createTenant(db.url(), u"cli"_s).isEmpty());
        const quint16 http = test::freePort(), zmqPort = test::freePort();
        auto added =
            test::run(test::agentBinary(), {u"producer"_s, u"add"_s, u"--tenant"_s, u"cli"_s}, env);
        QCOMPARE(added.exitCode, 0);
        QTemporaryDir dir;
        const QString keys = dir.filePath(u"cli.keys"_s);
        QFile f(keys);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(added.out.toUtf8().replace("tcp://localhost:7600",
                                           "tcp://127.0.0.1:" + QByteArray::number(zmqPort)));
        f.close();

        test::Process agent(test::agentBinary(), {u"run"_s},
                            test::agentEnvironment(db.url(), http, zmqPort));
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(http), qPrintable(agent.output()));

        QByteArray lines;
        for (int i = 0; i < 250; ++i)
            lines += test::cloudEvent(u"cli-%1"_s.arg(i)) + "\n";
        lines += test::cloudEvent(u"cli-3"_s) + "\n"; // duplicate
        lines += "this is not json\n";                // not sent
        lines += R"({"specversion":"1.0","id":"x","type":"t"})"
                 "\n"; // no source
        QProcess ctl;
        ctl.start(QStringLiteral(FERRYCTL_BIN),
                  {u"send"_s, u"-"_s, u"--credentials"_s, keys, u"--batch"_s, u"50"_s});
        QVERIFY(ctl.waitForStarted());
        ctl.write(lines);
        ctl.closeWriteChannel();
        QVERIFY(ctl.waitForFinished(60000));
        const QString out = QString::fromUtf8(ctl.readAllStandardOutput());
        QCOMPARE(ctl.exitCode(), 1); // something was rejected
        QVERIFY2(out.contains(u"accepted  250"_s), qPrintable(out));
        QVERIFY2(out.contains(u"duplicate 1"_s), qPrintable(out));
        QVERIFY2(out.contains(u"rejected  2"_s), qPrintable(out));
        QVERIFY2(out.contains(u"line is not JSON"_s), qPrintable(out));
        QVERIFY2(out.contains(u"missing required attribute 'source'"_s), qPrintable(out));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), u"250"_s);

        QProcess bad;
        bad.start(QStringLiteral(FERRYCTL_BIN), {u"send"_s, u"-"_s});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("--credentials"));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestFerryctl)
#include "tst_ferryctl.moc"
