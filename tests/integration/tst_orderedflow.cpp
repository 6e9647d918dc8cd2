// An ordered route delivers the events of a partition one after the other, and the next one
// goes out as soon as the one before it is recorded: not at the dispatcher's next poll. With
// a poll interval of ten minutes, five events of one partition arrive in seconds.
#include "tests/chaos/edgesupport.h"

#include <QTest>

using namespace ferry;
using namespace ferry::test::edges;
using namespace Qt::StringLiterals;

class TestOrderedFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextOfAPartitionDoesNotWaitForThePoll()
    {
        test::TestDatabase db(u"orderedflow"_s);
        QVERIFY2(migrate(db), qPrintable(db.error()));
        const auto route = ReceiverRoute::make(db.url(), u"ord"_s, {u"--ordered"_s}, {});
        QVERIFY(!route.tenant.isEmpty());
        AgentProcess agent(db.url(), {{u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"10m"_s}});
        QVERIFY(agent.start());
        QList<test::HttpRequest> events;
        for (int i = 0; i < 5; ++i) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(agent.http);
            r.body = u"{\"specversion\":\"1.0\",\"id\":\"o-%1\",\"source\":\"/o\",\"type\":\"t\","
                     "\"partitionkey\":\"one\",\"data\":{}}"_s.arg(i)
                         .toUtf8();
            r.headers = {{"Authorization", "Bearer " + route.token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            QCOMPARE(test::http(r).status, 202);
        }
        // Well inside the poll interval: each completion lets the next one out at once.
        QTRY_COMPARE_WITH_TIMEOUT(openWork(db, route.tenant), u"0"_s, 20000);
        const Tally t = tally(db, route);
        QCOMPARE(t.succeeded, 5);
        QCOMPARE(t.reordered, 0);
        QVERIFY(agent.process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestOrderedFlow)
#include "tst_orderedflow.moc"
