// Chaos: PostgreSQL fails over under load. A pg_auto_failover formation (a monitor, a primary and
// a secondary on loopback ports, scripts/pg-autofailover.sh) serves two agents through one
// multi-host URL with target_session_attrs=read-write. Under a steady stream of published events
// the primary's host dies (its keeper killed, PostgreSQL stopped with -m immediate); the monitor
// promotes the secondary and the agents find it by themselves.
//   - synchronous replication (pg_auto_failover's default for two nodes): no acknowledged event
//     is lost, no idempotency key is stored twice, every delivery arrives;
//   - asynchronous replication: the same run, measured and reported rather than asserted (what
//     an acknowledged-but-unreplicated commit costs is the figure operators choose by).
// Each prints a `CHAOS failover-…` line with the unavailability window (the longest time
// without an acknowledgement).
#include "tests/chaos/chaossupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace ferry;
using namespace ferry::chaos;
using namespace Qt::StringLiterals;

namespace {

QString script()
{
    return QStringLiteral(FERRY_SOURCE_DIR) + u"/scripts/pg-autofailover.sh"_s;
}

test::RunResult formation(const QStringList &arguments)
{
    return test::run(u"bash"_s, QStringList{script()} + arguments, {}, 180000);
}

// The pg_auto_failover formation of one test, destroyed at the end.
class Formation
{
public:
    Formation()
        : m_dir(QDir::tempPath() + u"/ferry-failover-XXXXXX"_s)
    {}
    ~Formation() { formation({u"destroy"_s, dir()}); }
    QString dir() const { return m_dir.path() + u"/formation"_s; }

    // Starts it; returns the multi-host URL (empty on failure, with a warning).
    QString start(const QString &mode)
    {
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                                QFileDevice::ExeOther);
        const auto r =
            formation({u"start"_s, dir(), QString::number(test::freePort()),
                       QString::number(test::freePort()), QString::number(test::freePort()), mode});
        if (r.exitCode != 0)
            qWarning().noquote() << "formation did not start:" << r.err;
        return r.exitCode == 0 ? r.out.trimmed() : QString();
    }
    QString primary() const { return formation({u"primary"_s, dir()}).out.trimmed(); }
    bool crash(const QString &node) const
    {
        return formation({u"crash"_s, dir(), node}).exitCode == 0;
    }
    bool waitForPrimary(const QString &node) const
    {
        return formation({u"wait-primary"_s, dir(), node, u"90"_s}).exitCode == 0;
    }

private:
    QTemporaryDir m_dir;
};

} // namespace

class TestChaosFailover : public QObject
{
    Q_OBJECT

    struct Outcome
    {
        int events = 0;
        qint64 ackedLost = 0;    // acknowledged, not in the database after the failover
        qint64 repeatedKeys = 0; // events stored twice under one idempotency key (CloudEvent id)
        qint64 silenceMs = 0;    // the longest time without an acknowledgement
        qint64 promotionMs = 0;  // from the crash until the monitor reported the new primary
    };

    // One run: the formation started in `mode`, two agents, steady load, the primary's host dies a
    // quarter of the way in. QVERIFY inside.
    static void failOver(Formation &db, const QString &mode, Scene &scene, Outcome &outcome)
    {
        const QString url = db.start(mode);
        QVERIFY(!url.isEmpty());
        QCOMPARE(db.primary(), u"node1"_s);
        scene.setUp(url, {0.1, true, false, {}, 50});
        QVERIFY(!QTest::currentTestFailed());
        Agent a = makeAgent(url, scene.agentEnv());
        Agent b = makeAgent(url, scene.agentEnv());
        QVERIFY(a.start());
        QVERIFY(b.start());
        Producer::Options options{scene.credentials()};
        options.credentials.endpoints = {a.endpoint(), b.endpoint()};
        options.resendAfter = std::chrono::milliseconds(1000);
        options.giveUpAfter = std::chrono::minutes(5);
        Producer producer(options);
        QVERIFY(producer.start().ok());

        outcome.events = scaled(4000, 20000);
        SteadyLoad load(producer, scene, outcome.events, 4); // 200 events/s
        load.start();
        QTRY_VERIFY_WITH_TIMEOUT(load.acked() >= outcome.events / 4, 60000);
        const qint64 crashAt = load.now();
        QVERIFY(db.crash(u"node1"_s));
        QVERIFY(db.waitForPrimary(u"node2"_s));
        outcome.promotionMs = load.now() - crashAt;
        QVERIFY2(!load.allPublished(), "the load ended before the failover: raise the events");
        QTRY_COMPARE_WITH_TIMEOUT(load.answered(), outcome.events, 300000);
        QCOMPARE(load.failed(), 0);
        outcome.silenceMs = load.longestSilenceAfter(crashAt - 1000);
        outcome.ackedLost =
            outcome.events - sqlCount(url, u"SELECT count(DISTINCT ce_id) FROM events"_s);
        outcome.repeatedKeys =
            sqlCount(url, u"SELECT count(*) - count(DISTINCT ce_id) FROM events"_s);
        QVERIFY(a.process->isRunning() && b.process->isRunning()); // they followed, no restart
        if (outcome.ackedLost == 0) {
            scene.waitForDrain(outcome.events, 300000);
            if (QTest::currentTestFailed())
                return;
        }
        producer.close();
        QVERIFY(a.process->terminate());
        QVERIFY(b.process->terminate());
    }

    static QString extra(const QString &mode, const Outcome &o)
    {
        return u"%1 replication; primary crashed at a quarter of the load, promotion after %2 s; "
               "%3 acknowledged events lost, %4 idempotency keys stored twice; longest time "
               "without an acknowledgement %5 s"_s.arg(mode)
                   .arg(o.promotionMs / 1000.0, 0, 'f', 1)
                   .arg(o.ackedLost)
                   .arg(o.repeatedKeys)
                   .arg(o.silenceMs / 1000.0, 0, 'f', 1);
    }

private Q_SLOTS:
    void synchronousReplicationLosesNothing()
    {
        Formation db; // outlives the scene, which measures on it
        Scene scene;
        Outcome o;
        failOver(db, u"sync"_s, scene, o);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(o.ackedLost, 0);
        QCOMPARE(o.repeatedKeys, 0);
        Figures f;
        scene.measure(o.events, f);
        if (QTest::currentTestFailed())
            return;
        f.extra = extra(u"synchronous"_s, o);
        report(u"failover-sync"_s, f);
    }

    void asynchronousReplicationIsMeasured()
    {
        Formation db;
        Scene scene;
        Outcome o;
        failOver(db, u"async"_s, scene, o);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(o.repeatedKeys, 0); // losing a commit never stores a key twice
        Figures f;
        if (o.ackedLost == 0) {
            // Nothing acknowledged went missing in this run: then every delivery must arrive.
            scene.measure(o.events, f);
            if (QTest::currentTestFailed())
                return;
        } else {
            f.events = o.events;
            f.lost = o.ackedLost * scene.routes();
        }
        f.extra = extra(u"asynchronous"_s, o);
        report(u"failover-async"_s, f);
    }
};

QTEST_GUILESS_MAIN(TestChaosFailover)
#include "tst_chaos_failover.moc"
