// The tenants and channel health screens against a real agent: the SLA table (GET /v1/sla with
// the quotas of GET /v1/tenants) marks the tenant below its target, follows the chosen window and
// filter; the channel health table follows the live feed, one row per endpoint, with recent
// errors, and "—" for what the agent does not report yet. Both models and their proxies pass
// QAbstractItemModelTester, also while rows come and go.
#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "console/models/channelfiltermodel.h"
#include "console/models/channelmodel.h"
#include "console/models/highlight.h"
#include "console/models/tenantslafiltermodel.h"
#include "console/models/tenantslamodel.h"
#include "console/widgets/channelswidget.h"
#include "console/widgets/tenantswidget.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPalette>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::ChannelModel;
using console::TenantSlaModel;

namespace {

QJsonObject channel(const QString &tenant, qint64 endpoint, double failures)
{
    return {{u"channel"_s, u"webhook"_s},
            {u"endpoint"_s, endpoint},
            {u"tenant"_s, tenant},
            {u"in_flight"_s, 1},
            {u"latency_p50_ms"_s, 12.0},
            {u"latency_p99_ms"_s, QJsonValue()},
            {u"success_per_s"_s, 5.0},
            {u"failure_per_s"_s, failures},
            {u"breaker"_s, u"closed"_s},
            {u"rate_limit_use"_s, QJsonValue()},
            {u"recent_errors"_s, QJsonArray()}};
}

} // namespace

class TestConsoleHealth : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;

    int count(const QString &state)
    {
        return m_agent->db()
            .scalar(u"SELECT count(*) FROM deliveries WHERE state = '%1'"_s.arg(state))
            .toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_health"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QString shop;
        QString billing;
        m_receiver = m_agent->addShopAndBilling(&shop, &billing);
        QVERIFY(m_receiver);
        QVERIFY2(m_agent->start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s}}),
                 qPrintable(m_agent->output()));
        for (int i = 1; i <= 4; ++i) {
            QCOMPARE(test::publish(m_agent->httpPort(), shop, u"shop-%1"_s.arg(i)), 202);
            QCOMPARE(test::publish(m_agent->httpPort(), billing, u"billing-%1"_s.arg(i)), 202);
        }
        QTRY_COMPARE_WITH_TIMEOUT(count(u"succeeded"_s), 4, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(count(u"dead"_s), 4, 30000);
        // A quota for the tenants screen to show.
        test::HttpRequest patch;
        patch.method = "PATCH";
        patch.url = u"https://127.0.0.1:%1/v1/tenants/shop"_s.arg(m_agent->apiPort());
        patch.caFile = m_agent->certFile();
        patch.body = R"({"quotas":{"events_per_second":250}})";
        patch.headers = {{"Authorization", "Bearer " + m_agent->token(u"admin"_s).toUtf8()},
                         {"Content-Type", "application/json"}};
        QCOMPARE(test::http(patch, 10000).status, 200);
    }

    void cleanupTestCase()
    {
        if (m_receiver)
            m_receiver->terminate();
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void slaTableMarksTheTenantBelowTarget()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        console::TenantsWidget screen(client.get());
        QAbstractItemModelTester modelTester(
            screen.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            screen.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ApiClient::State::Connected, 20000);
        screen.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(screen.dataTime().isValid(), 20000);
        QVERIFY(screen.feedback().isEmpty());

        const TenantSlaModel *m = screen.model();
        const int shop = m->rowOf(u"shop"_s);
        const int billing = m->rowOf(u"billing"_s);
        QVERIFY(shop >= 0 && billing >= 0);
        QCOMPARE(m->item(shop).deliveries, 4);
        QCOMPARE(m->item(shop).withinTarget, 4);
        QCOMPARE(m->item(shop).attainment.value_or(-1), 1.0);
        QCOMPARE(m->item(billing).deliveries, 4);
        QCOMPARE(m->item(billing).attainment.value_or(-1), 0.0);
        QVERIFY(m->item(billing).belowTarget());
        QCOMPARE(m->item(shop).maxEventsPerSecond.value_or(-1), 250);
        // Usage beside the quotas: the events received today, as the database has them.
        const qint64 shopEvents =
            m_agent->db()
                .scalar(u"SELECT count(*) FROM events e JOIN tenants t ON t.id = e.tenant_id "
                        "WHERE t.name = 'shop'"_s)
                .toLongLong();
        QVERIFY(shopEvents > 0);
        QCOMPARE(m->item(shop).eventsToday, shopEvents);
        QCOMPARE(m->index(shop, TenantSlaModel::EventsToday).data().toString(),
                 QLocale().toString(shopEvents));
        QCOMPARE(m->index(shop, TenantSlaModel::EventsPerSecondQuota).data().toString(), u"250"_s);
        QCOMPARE(m->index(billing, TenantSlaModel::EventsPerSecondQuota).data().toString(),
                 u"no limit"_s);
        // Below target: highlighted (and said in the tooltip); the other row is not.
        QVERIFY(m->index(billing, TenantSlaModel::Attainment)
                    .data(Qt::BackgroundRole)
                    .value<QColor>()
                    .isValid());
        QVERIFY(!m->index(billing, TenantSlaModel::Tenant).data(Qt::ToolTipRole).isNull());
        QVERIFY(m->index(shop, TenantSlaModel::Attainment).data(Qt::BackgroundRole).isNull());
        QCOMPARE(m->index(shop, TenantSlaModel::Target).data().toString(), u"99.00 %"_s);

        // The filters.
        screen.proxy()->setAttentionOnly(true);
        QCOMPARE(screen.proxy()->rowCount(), 1);
        QCOMPARE(screen.proxy()->index(0, TenantSlaModel::Tenant).data().toString(), u"billing"_s);
        screen.proxy()->setAttentionOnly(false);
        screen.proxy()->setTenantFilter(u"SHO"_s);
        QCOMPARE(screen.proxy()->rowCount(), 1);
        screen.proxy()->setTenantFilter({});

        // Another window: the agent is asked again, with that window.
        const QDateTime before = screen.dataTime();
        screen.setWindow(u"1h"_s);
        QCOMPARE(screen.window(), u"1h"_s);
        QTRY_VERIFY_WITH_TIMEOUT(screen.dataTime() > before, 20000);
        QCOMPARE(m->item(m->rowOf(u"shop"_s)).windowS, 3600);
    }

    void channelHealthFollowsTheLiveFeed()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        console::LiveFeed feed(client.get());
        console::ChannelsWidget screen;
        QAbstractItemModelTester modelTester(
            screen.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            screen.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&feed, &console::LiveFeed::snapshot, &screen,
                &console::ChannelsWidget::addSnapshot);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ApiClient::State::Connected, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(screen.updates() >= 3, 30000);
        QCOMPARE(screen.model()->rowCount(), 2);
        QVERIFY(screen.dataTime().isValid());

        const ChannelModel *m = screen.model();
        int billing = -1;
        for (int i = 0; i < m->rowCount(); ++i) {
            if (m->item(i).tenant == "billing"_L1)
                billing = i;
            QCOMPARE(m->item(i).channel, u"webhook"_s);
            QVERIFY(m->item(i).endpoint > 0);
            // Not reported by the agent yet: shown as "—".
            QCOMPARE(m->index(i, ChannelModel::RateLimit).data().toString(), u"—"_s);
        }
        QVERIFY(billing >= 0);
        // The endpoint that is down: its failed attempts of the last five minutes.
        QVERIFY(!m->item(billing).recentErrors.isEmpty());
        QVERIFY(
            m->index(billing, ChannelModel::RecentErrors).data().toString().contains(u"last"_s));
        QVERIFY(m->index(billing, ChannelModel::Tenant).data(Qt::BackgroundRole).isValid());

        screen.proxy()->setTenant(u"shop"_s);
        QCOMPARE(screen.proxy()->rowCount(), 1);
        screen.proxy()->setTenant({});
        screen.proxy()->setProblemsOnly(true);
        QCOMPARE(screen.proxy()->rowCount(), 1);
        screen.proxy()->setProblemsOnly(false);
        // Updates keep the rows (and a selection) in place.
        screen.view()->selectRow(0);
        const int updates = screen.updates();
        QTRY_VERIFY_WITH_TIMEOUT(screen.updates() > updates, 10000);
        QCOMPARE(screen.view()->selectionModel()->selectedRows().size(), 1);
    }

    // The highlights are blended into the palette's base: the palette's text stays legible on
    // them, light or dark, and a problem is told apart from a warning and from a plain row.
    void highlightsReadOnLightAndDarkPalettes()
    {
        const QPalette original = QGuiApplication::palette();
        for (const bool dark : {false, true}) {
            QPalette palette = original;
            palette.setColor(QPalette::Base, dark ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white));
            palette.setColor(QPalette::Text, dark ? QColor(0xee, 0xee, 0xee) : QColor(Qt::black));
            QGuiApplication::setPalette(palette);
            const QColor problem = console::severityBackground(console::Severity::Problem);
            const QColor warning = console::severityBackground(console::Severity::Warning);
            for (const QColor &c : {problem, warning}) {
                QVERIFY(c.isValid());
                QVERIFY(c != palette.color(QPalette::Base));
                QVERIFY2(qAbs(c.lightnessF() - palette.color(QPalette::Text).lightnessF()) > 0.4,
                         qPrintable(c.name()));
            }
            QVERIFY(problem != warning);
            QVERIFY(!console::severityBackground(console::Severity::None).isValid());
        }
        QGuiApplication::setPalette(original);
    }

    void channelModelUpdatesRowsInPlace()
    {
        ChannelModel model;
        console::ChannelFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ChannelModel::FailureRate, Qt::DescendingOrder);
        QAbstractItemModelTester modelTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChannels({channel(u"b"_s, 2, 0), channel(u"a"_s, 1, 0)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.item(0).tenant, u"a"_s);
        QPersistentModelIndex kept = model.index(1, 0); // b
        model.setChannels({channel(u"c"_s, 3, 1.0), channel(u"b"_s, 2, 2.0)});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(kept.isValid());
        QCOMPARE(kept.data().toString(), u"b"_s);
        QCOMPARE(proxy.index(0, ChannelModel::Tenant).data().toString(), u"b"_s);
        QCOMPARE(model.index(kept.row(), ChannelModel::LatencyP99).data().toString(), u"—"_s);
        model.setChannels({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestConsoleHealth)
#include "tst_console_health.moc"
