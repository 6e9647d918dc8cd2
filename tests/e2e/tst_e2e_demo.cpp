// ferry-demo end to end on a fresh database: webhooks to the receiver, and the shipping notices
// by email (the SMTP server, STARTTLS and AUTH), SMS, WhatsApp and push (ferry-provider-sim).
// It exits 0 only when every channel's messages arrived, and prints per-channel counts.
#include "tests/support/testsupport.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestDemo : public QObject
{
    Q_OBJECT

    struct DemoRun
    {
        int exitCode = -1;
        QString output;
    };

    // Runs ferry-demo in a folder of its own (it keeps its logs in .ferry/demo there).
    static DemoRun runDemo(const QString &databaseUrl, const QStringList &arguments)
    {
        QTemporaryDir dir;
        QProcess demo;
        demo.setWorkingDirectory(dir.path());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"FERRY_DATABASE_URL"_s, databaseUrl);
        demo.setProcessEnvironment(env);
        demo.setProcessChannelMode(QProcess::MergedChannels);
        demo.start(QStringLiteral(FERRY_DEMO_BIN),
                   arguments + QStringList{u"--api-port"_s, QString::number(test::freePort())});
        DemoRun run;
        if (!demo.waitForFinished(240'000)) {
            demo.kill();
            demo.waitForFinished();
        }
        run.output = QString::fromUtf8(demo.readAll());
        if (demo.exitStatus() == QProcess::NormalExit)
            run.exitCode = demo.exitCode();
        return run;
    }

    // The summary's row of `channel`: sent by Ferry, received, by whom, dead, breaker.
    static QStringList row(const QString &output, const QString &channel)
    {
        const QRegularExpression re(u"^\\s+(?:Channels\\s+)?%1\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s+"
                                    "(\\d+)\\s+(\\S+)$"_s.arg(channel),
                                    QRegularExpression::MultilineOption);
        const auto match = re.match(output);
        return match.hasMatch() ? match.capturedTexts().mid(1) : QStringList();
    }

    std::unique_ptr<test::TestDatabase> m_db;

    // ferry-demo with `events` events on a fresh database; a failed check unless it exits 0 with
    // every event delivered as a webhook.
    void runOnFreshDatabase(const QString &name, int events, int messageEvery, DemoRun &run)
    {
        m_db = std::make_unique<test::TestDatabase>(name);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        run = runDemo(m_db->url(), {u"--events"_s, QString::number(events), u"--message-every"_s,
                                    QString::number(messageEvery), u"--timeout"_s, u"120"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const QString n = QString::number(events);
        QCOMPARE(row(run.output, u"webhook"_s),
                 (QStringList{n, n, u"webhook receiver"_s, u"0"_s, u"-"_s}));
    }

    // The jobs example: every slot the schedule fired ran the exec command to the end (its
    // report written), then the schedule was paused.
    void checkJobsExample(const QString &output)
    {
        const auto line = QRegularExpression(u"schedule 'nightly-report' of reports-\\d+: (\\d+) "
                                             "slots fired, (\\d+) exec jobs succeeded \\(report "
                                             "files in (.+)\\)"_s)
                              .match(output);
        QVERIFY2(line.hasMatch(), qPrintable(output));
        QVERIFY2(line.captured(1).toInt() >= 3, qPrintable(line.captured(0)));
        QCOMPARE(line.captured(2), line.captured(1));
        const auto atLeast3 = [this](const QString &sql) { return m_db->scalar(sql).toInt() >= 3; };
        QVERIFY(
            atLeast3(u"SELECT count(*) FROM events WHERE source = '/schedules/nightly-report'"_s));
        QVERIFY(atLeast3(
            u"SELECT count(*) FROM deliveries d JOIN endpoints ep ON ep.id = d.endpoint_id "
            "WHERE ep.channel = 'exec' AND ep.url = 'nightly-report' AND "
            "d.state = 'succeeded'"_s));
        QVERIFY(atLeast3(u"SELECT count(*) FROM jobs WHERE command = 'nightly-report' AND "
                         "state = 'succeeded' AND progress = 100"_s));
        QCOMPARE(m_db->scalar(u"SELECT paused FROM schedules WHERE name = 'nightly-report'"_s),
                 u"t"_s);
    }

private Q_SLOTS:
    void deliversThroughAllFiveChannels()
    {
        DemoRun run;
        runOnFreshDatabase(u"demo"_s, 400, 10, run);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(row(run.output, u"email"_s),
                 (QStringList{u"40"_s, u"40"_s, u"SMTP server"_s, u"0"_s, u"closed"_s}));
        for (const QString &channel : {u"sms"_s, u"whatsapp"_s, u"push"_s})
            QCOMPARE(row(run.output, channel),
                     (QStringList{u"40"_s, u"40"_s, u"provider simulator"_s, u"0"_s, u"closed"_s}));
        // The messages are in the store too: 400 webhooks and 4 × 40 messages succeeded.
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN tenants t ON "
                              "t.id = d.tenant_id WHERE d.state = 'succeeded' AND "
                              "t.name LIKE 'demo-%'"_s),
                 u"560"_s);
        // The workflow example: three customers paid during the grace period.
        QVERIFY2(run.output.contains(u"6 failed payments; 3 completed (email, SMS after the grace "
                                     "period, downgrade webhook), 3 cancelled"_s),
                 qPrintable(run.output));
        QCOMPARE(m_db->scalar(u"SELECT string_agg(state || ' ' || n, ', ' ORDER BY state) FROM "
                              "(SELECT state, count(*) AS n FROM workflow_instances GROUP BY "
                              "state) s"_s),
                 u"cancelled 3, completed 3"_s);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(e.type || ' ' || n, ', ' ORDER BY e.type) FROM "
                              "(SELECT e.type, count(*) AS n FROM deliveries d JOIN events e ON "
                              "e.id = d.event_id WHERE e.source = '/workflows/dunning' AND "
                              "d.state = 'succeeded' GROUP BY e.type) e"_s),
                 u"dunning.email 6, dunning.sms 3, entitlement.downgrade 3"_s);
        checkJobsExample(run.output);
    }

    void webhooksOnlyWithoutMessages()
    {
        DemoRun run;
        runOnFreshDatabase(u"demo_webhooks"_s, 100, 0, run);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(row(run.output, u"email"_s).isEmpty(), qPrintable(run.output));
        QVERIFY(!run.output.contains(u"provider simulator"_s));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_e2e_demo.moc"
