// Chaos: an agent that dies between the receiver's 2xx and the commit of that success (the
// failpoint dispatch.after_delivered, shared/failpoint.h; built only with FERRY_FAILPOINTS). The
// delivery is attempted again after its lease runs out, with the same webhook-id (and the same
// SMS idempotency key), so the receiver can tell the repeat; nothing is lost. The number of such
// repeats is reported. FERRY_CHAOS_LONG=1 runs the full size.
#include "tests/chaos/chaossupport.h"

#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace ferry::chaos;
using namespace Qt::StringLiterals;

class TestChaosCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crashAfterDeliveredBeforeCommit()
    {
        const int events = scaled(2000, 20000);
        const int crashes = scaled(3, 10);
        const int successesBeforeCrash = scaled(300, 2000);
        test::TestDatabase db(u"chaos_crash"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        Scene scene;
        scene.setUp(db.url(), {0.1, true, true, {}, 50});
        QVERIFY(!QTest::currentTestFailed());
        auto env = scene.agentEnv();
        env.insert(u"FERRY_FAILPOINT"_s,
                   u"dispatch.after_delivered:%1"_s.arg(successesBeforeCrash));
        Agent a = makeAgent(db.url(), env);
        QVERIFY(a.start());
        Producer::Options options{scene.credentials()};
        options.credentials.endpoints = {a.endpoint()};
        options.resendAfter = std::chrono::milliseconds(1000);
        options.giveUpAfter = std::chrono::minutes(10);
        Producer producer(options);
        QVERIFY(producer.start().ok());
        PublishCount count;
        publishRange(producer, scene, 0, events, count);
        // Each life of the agent ends at the failpoint; the next one starts armed again, until
        // the last, which drains the rest.
        for (int crash = 0; crash < crashes; ++crash) {
            QTRY_VERIFY_WITH_TIMEOUT(!a.process->isRunning(), 120000);
            if (crash + 1 == crashes)
                a.env.remove(u"FERRY_FAILPOINT"_s);
            QVERIFY(a.start());
        }
        QTRY_COMPARE_WITH_TIMEOUT(count.answered(), events, 600000);
        QCOMPARE(count.failed.load(), 0);
        scene.waitForDrain(events, scaled(180000, 900000));
        Figures f;
        scene.measure(events, f);
        if (QTest::currentTestFailed())
            return;
        // The repeat carries the webhook-id of the first try: one id per event at each
        // receiver, and some of them seen twice.
        for (bool ordered : {false, true}) {
            const QJsonObject st = scene.receiverStats(ordered);
            QCOMPARE(st.value("distinct_webhook_ids"_L1).toInt(), events);
            QCOMPARE(st.value("distinct_event_ids"_L1).toInt(), events);
        }
        // At least the delivery that hit the failpoint is repeated after each crash.
        QVERIFY2(f.repeatedWebhookIds + f.repeatedIdempotencyKeys >= crashes,
                 qPrintable(f.line(u"crash"_s)));
        QCOMPARE(scene.repeatsNotFromInFlight(), 0);
        f.extra = u"%1 crashes between the receiver's 2xx and the commit; every repeat with the "
                  "first try's webhook-id"_s.arg(crashes);
        report(u"crash-after-2xx"_s, f);
        producer.close();
        QVERIFY(a.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaosCrash)
#include "tst_chaos_crash.moc"
