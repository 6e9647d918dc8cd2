// The dashboard fed by the agent's live feed (wss://…/v1/live) while events flow: at least three
// snapshots arrive and reach the charts, and the agent's version shows. When a route's breaker
// opens (billing's endpoint is down; two failures open it), a red line marks the moment in every
// chart and the incident is named; the value axes end on round numbers with round steps and
// carry their units, the time axis shows this computer's clock (a zone 13:45 ahead of UTC here)
// at whole minutes. Light and dark palettes both read: the labels and the incident line stand
// out from the chart's background. With FERRY_SCREENSHOT_DIR set, the window is saved there as
// dashboard-incident.png and, in a dark palette, dashboard-dark.png.
#include "agent/api/apiserver.h"
#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "console/core/livehistory.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/widgets/dashboardwidget.h"
#include "console/widgets/mainwindow.h"
#include "tests/gui/consoletestagent.h"

#include <QApplication>
#include <QChart>
#include <QDateTimeAxis>
#include <QJsonObject>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QValueAxis>

#include <cmath>
#include <ctime>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::DashboardWidget;

namespace {

// WCAG's contrast ratio of two colours (1 to 21).
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x60));
    return p;
}

// Every chart: the labels and the incident line read on the background, in the palette's theme.
void checkLegible(const DashboardWidget &dashboard, bool dark)
{
    for (int i = 0; i < dashboard.chartCount(); ++i) {
        QChart *chart = dashboard.chart(i);
        QCOMPARE(chart->theme(), dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        const QColor background = chart->backgroundBrush().color();
        QCOMPARE(background.lightness() < 128, dark);
        QVERIFY(contrast(dashboard.valueAxis(i)->labelsColor(), background) >= 7.0);
        QVERIFY(contrast(dashboard.timeAxis(i)->labelsColor(), background) >= 7.0);
        QVERIFY(contrast(chart->titleBrush().color(), background) >= 7.0);
        for (QLineSeries *marker : dashboard.visibleMarkers(i))
            QVERIFY2(contrast(marker->pen().color(), background) >= 3.0,
                     qPrintable(marker->pen().color().name()));
        for (QLegendMarker *legend : chart->legend()->markers()) // the lines, not their names
            QVERIFY(!legend->isVisible() || legend->label() != u"incident"_s);
    }
}

// The value axes start at 0 and end on a round number, in round steps (1, 2 or 5 times a power
// of ten); the first three label their values with the unit, every one names it; the time axis
// ends on whole minutes of this computer's clock.
void checkAxes(const DashboardWidget &dashboard)
{
    const QStringList suffixes = {u"/s"_s, u" s"_s, u" %"_s, QString()};
    for (int i = 0; i < dashboard.chartCount(); ++i) {
        const QValueAxis *y = dashboard.valueAxis(i);
        QCOMPARE(y->min(), 0.0);
        const double step = (y->max() - y->min()) / (y->tickCount() - 1);
        const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
        QVERIFY2(qFuzzyCompare(mantissa, 1.0) || qFuzzyCompare(mantissa, 2.0) ||
                     qFuzzyCompare(mantissa, 5.0),
                 qPrintable(QString::number(step)));
        QVERIFY(std::abs(y->max() / step - std::round(y->max() / step)) < 1e-6);
        QVERIFY(!y->titleText().isEmpty());
        QVERIFY2(y->labelFormat().endsWith(suffixes[i]), qPrintable(y->labelFormat()));
        const QDateTimeAxis *x = dashboard.timeAxis(i);
        QCOMPARE(x->max().toMSecsSinceEpoch() % 60000, 0);
        QCOMPARE(x->min().toMSecsSinceEpoch() % 60000, 0);
        QVERIFY(dashboard.history().newest() <= x->max());
        QVERIFY(dashboard.history().newest() > x->min());
        // Local time: 13:45 ahead of UTC, so no label is the UTC clock's.
        const QStringList labels = dashboard.timeLabels(i);
        QCOMPARE(labels.size(), x->tickCount());
        QCOMPARE(labels.last(), QLocale().toString(x->max().toLocalTime(), x->format()));
        QVERIFY(labels.last() != QLocale().toString(x->max().toUTC(), x->format()));
    }
}

} // namespace

class TestConsoleDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // This computer's clock 13:45 ahead of UTC: local labels cannot pass for UTC ones.
        qputenv("TZ", "Pacific/Chatham");
        tzset();
        QStandardPaths::setTestModeEnabled(true);
    }

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

    void incidentMarkedWhenABreakerOpens()
    {
        test::ConsoleTestAgent agent(u"console_dashboard_incident"_s);
        QString error;
        QVERIFY2(agent.prepare(&error), qPrintable(error));
        QString shop;
        QString billing;
        auto receiver = agent.addShopAndBilling(&shop, &billing);
        QVERIFY(receiver);
        QVERIFY2(agent.start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s},
                              {u"FERRY_BREAKER_CONSECUTIVE_FAILURES"_s, u"2"_s},
                              {u"FERRY_BREAKER_COOLDOWN"_s, u"1h"_s}}),
                 qPrintable(agent.output()));
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        window.connectTo(agent.profile(agent.fingerprint()), agent.token(u"viewer"_s), false);
        window.showScreen(console::MainWindow::Dashboard);
        DashboardWidget *dashboard = window.dashboard();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->updates() >= 2, 30000);
        QVERIFY(dashboard->history().incidents().isEmpty());
        QVERIFY(dashboard->incidentText().isEmpty());
        QVERIFY(dashboard->visibleMarkers(0).isEmpty());

        // Two failures in a row open billing's breaker: one incident, marked in every chart.
        for (const QString &id : {u"invoice-1"_s, u"invoice-2"_s})
            QCOMPARE(test::publish(agent.httpPort(), billing, id, id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(dashboard->history().incidents().size(), 1, 30000);
        const console::LiveHistory::Incident incident = dashboard->history().incidents().first();
        QCOMPARE(incident.kind, console::LiveHistory::Incident::Kind::BreakerOpened);
        QCOMPARE(incident.tenant, u"billing"_s);
        QVERIFY2(incident.subject.endsWith(u"/down"_s), qPrintable(incident.subject));
        for (int i = 0; i < dashboard->chartCount(); ++i) {
            const QList<QLineSeries *> markers = dashboard->visibleMarkers(i);
            QCOMPARE(markers.size(), 1);
            const QList<QPointF> line = markers.first()->points();
            QCOMPARE(line.size(), 2);
            QCOMPARE(line[0].x(), double(incident.at.toMSecsSinceEpoch()));
            QCOMPARE(line[1].x(), line[0].x());
            QCOMPARE(line[1].y(), dashboard->valueAxis(i)->max());
        }
        QVERIFY2(dashboard->incidentText().contains(incident.subject),
                 qPrintable(dashboard->incidentText()));
        checkAxes(*dashboard);

        QVERIFY(test::saveScreenshot(window, u"dashboard-incident.png"_s));
        checkLegible(*dashboard, false);
        // The palette changes (the window's, as a test has no running application to pass the
        // application's on): the charts follow.
        const QPalette light = window.palette();
        window.setPalette(darkPalette());
        checkLegible(*dashboard, true);
        QVERIFY(test::saveScreenshot(window, u"dashboard-dark.png"_s));
        window.setPalette(light);
        checkLegible(*dashboard, false);
    }

    // A dashboard made under a dark application palette starts dark.
    void darkPaletteFromTheStart()
    {
        const QPalette light = QApplication::palette();
        QApplication::setPalette(darkPalette());
        DashboardWidget dashboard;
        QApplication::setPalette(light);
        checkLegible(dashboard, true);
        dashboard.setPalette(light);
        checkLegible(dashboard, false);
    }
};

QTEST_MAIN(TestConsoleDashboard)
#include "tst_console_dashboard.moc"
