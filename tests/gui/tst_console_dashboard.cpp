// The dashboard fed by the agent's live feed (wss://…/v1/live) while events flow: at least three
// snapshots arrive and reach the charts, and the agent's version shows.
#include "agent/api/apiserver.h"
#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "console/core/livehistory.h"
#include "console/widgets/dashboardwidget.h"
#include "tests/gui/consoletestagent.h"

#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;

class TestConsoleDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void receivesLiveUpdatesWhileEventsFlow()
    {
        bool served = false;
        for (const auto &r : agent::api::ApiServer::routes())
            served = served || (QByteArray(r.method) == "GET" && r.path == "/v1/live"_L1);
        // A renamed or lost route is a failure, not a skip: the dashboard has nothing else.
        QVERIFY2(served, "the agent serves no GET /v1/live route, which the dashboard reads");

        test::ConsoleTestAgent agent(u"console_dashboard"_s);
        QString error;
        QVERIFY2(agent.prepare(&error), qPrintable(error));
        const QString producer = test::createTenant(agent.db().url(), u"shop"_s);
        const quint16 receiverPort = test::freePort();
        const QString secret = test::addEndpoint(agent.db().url(), u"shop"_s,
                                                 u"http://127.0.0.1:%1/hook"_s.arg(receiverPort));
        test::Process receiver(
            test::receiverBinary(),
            {u"--listen"_s, u"127.0.0.1:%1"_s.arg(receiverPort), u"--secret"_s, secret});
        QVERIFY(receiver.start());
        QVERIFY2(agent.start(), qPrintable(agent.output()));

        ApiClient client;
        client.setProfile(agent.profile(agent.fingerprint()), agent.token(u"viewer"_s));
        console::LiveFeed feed(&client);
        console::DashboardWidget dashboard;
        connect(&feed, &console::LiveFeed::snapshot, &dashboard,
                &console::DashboardWidget::addSnapshot);
        client.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);

        int sent = 0;
        QTimer flow;
        connect(&flow, &QTimer::timeout, this, [&] {
            QCOMPARE(test::publish(agent.httpPort(), producer, u"e-%1"_s.arg(++sent)), 202);
        });
        flow.start(100);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.updates() >= 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            dashboard.history().latest(console::LiveHistory::Metric::EventsIn) > 0, 30000);
        flow.stop();
        QVERIFY(dashboard.history().size() >= 3);
        QCOMPARE(dashboard.history().series(console::LiveHistory::Metric::DeliveriesOut).size(),
                 dashboard.history().size());
        QVERIFY(!client.agentVersion().isEmpty());
        QVERIFY(dashboard.history().tenants().contains(u"shop"_s));
        receiver.terminate();
    }
};

QTEST_MAIN(TestConsoleDashboard)
#include "tst_console_dashboard.moc"
