// The tenants and channel health screens against a real agent: the SLA table (GET /v1/sla with
// the quotas of GET /v1/tenants) marks the tenant below its target, follows the chosen window and
// filter; the channel health table follows the live feed, one row per endpoint, with recent
// errors, the routes' breakers and "—" for routes without a rate limit. A snapshot with an open
// breaker and a provider account near its limit shows in both tables of the screen (with
// FERRY_SCREENSHOT_DIR set, the screen is saved there as channel-health-guards.png). The models
// and their proxies pass QAbstractItemModelTester, also while rows come and go.
#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "console/models/accountguardfiltermodel.h"
#include "console/models/accountguardmodel.h"
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
#include <QDir>
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
using console::AccountGuardModel;
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

// A route (scope "endpoint") or provider account guard as the live snapshot's `guards` has it.
QJsonObject guard(const QString &scope, qint64 id, const QString &name, const QString &breaker)
{
    return {{u"scope"_s, scope},
            {u"id"_s, id},
            {u"name"_s, name},
            {u"tenant"_s, u"shop"_s},
            {u"channel"_s, scope == "account"_L1 ? u"twilio"_s : u"webhook"_s},
            {u"breaker"_s, breaker},
            {u"retry_at"_s, QJsonValue()},
            {u"opened_count"_s, 0},
            {u"last_error"_s, u""_s},
            {u"rate_per_second"_s, QJsonValue()},
            {u"rate_limit_use"_s, QJsonValue()},
            {u"in_flight"_s, 0},
            {u"max_concurrency"_s, QJsonValue()}};
}

// Endpoint 7's breaker open (it failed with 503), endpoint 8 at a quarter of its limit, the
// "sms-eu" Twilio account at 80 % of its 50/s with 3 of 10 in flight, and a mail account
// without limits.
QJsonObject guardedSnapshot(const QDateTime &retryAt)
{
    QJsonObject down = channel(u"shop"_s, 7, 2.0);
    down[u"breaker"_s] = u"open"_s;
    QJsonObject limited = channel(u"shop"_s, 8, 0);
    limited[u"rate_limit_use"_s] = 0.25;
    QJsonObject route = guard(u"endpoint"_s, 7, u"https://erp.example/hooks"_s, u"open"_s);
    route[u"retry_at"_s] = retryAt.toString(Qt::ISODateWithMs);
    route[u"opened_count"_s] = 3;
    route[u"last_error"_s] = u"HTTP 503 from erp.example"_s;
    QJsonObject limitedRoute = guard(u"endpoint"_s, 8, u"https://crm.example/in"_s, u"closed"_s);
    limitedRoute[u"rate_per_second"_s] = 20.0;
    limitedRoute[u"rate_limit_use"_s] = 0.25;
    QJsonObject sms = guard(u"account"_s, 31, u"sms-eu"_s, u"closed"_s);
    sms[u"rate_per_second"_s] = 50.0;
    sms[u"rate_limit_use"_s] = 0.8;
    sms[u"in_flight"_s] = 3;
    sms[u"max_concurrency"_s] = 10;
    sms[u"last_error"_s] = u"429 Too Many Requests"_s;
    QJsonObject mail = guard(u"account"_s, 32, u"mail"_s, u"half_open"_s);
    mail[u"channel"_s] = u"smtp"_s;
    return {{u"channels"_s, QJsonArray{down, limited, channel(u"billing"_s, 9, 0)}},
            {u"guards"_s, QJsonArray{route, limitedRoute, sms, mail}}};
}

} // namespace

class TestConsoleHealth : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;

    static void saveScreenshot(QWidget *screen)
    {
        const QString dir = qEnvironmentVariable("FERRY_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        screen->resize(1100, 560);
        screen->show();
        QVERIFY(QTest::qWaitForWindowExposed(screen));
        QVERIFY(screen->grab().save(QDir(dir).filePath(u"channel-health-guards.png"_s)));
    }

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
            // The routes have no rate limit: "—", and the tooltip says so.
            QCOMPARE(m->index(i, ChannelModel::RateLimit).data().toString(), u"—"_s);
            QCOMPARE(m->index(i, ChannelModel::RateLimit).data(Qt::ToolTipRole).toString(),
                     u"This route has no rate limit."_s);
            // The agent reports each route's breaker, with its entry in `guards`.
            QVERIFY(!m->item(i).breaker.isEmpty());
            QVERIFY(m->item(i).guard.has_value());
            QCOMPARE(m->item(i).guard->breaker, m->item(i).breaker);
            QVERIFY(m->index(i, ChannelModel::Breaker)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(u"Times opened: "_s));
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

    void openBreakerAndBusyAccountShowInBothTables()
    {
        console::ChannelsWidget screen;
        QAbstractItemModelTester accountsTester(
            screen.accounts(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester accountsProxyTester(
            screen.accountsProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime retryAt = QDateTime::currentDateTimeUtc().addSecs(30);
        screen.addSnapshot(guardedSnapshot(retryAt));

        // The channels: the open breaker (red, a problem), its tooltip from the route's guard.
        const QAbstractItemModel *channels = screen.view()->model();
        QCOMPARE(channels->rowCount(), 3);
        const auto channelRow = [channels](qint64 endpoint) {
            for (int r = 0; r < channels->rowCount(); ++r)
                if (channels->index(r, ChannelModel::Endpoint).data().toLongLong() == endpoint)
                    return r;
            return -1;
        };
        const QModelIndex open = channels->index(channelRow(7), ChannelModel::Breaker);
        QCOMPARE(open.data().toString(), u"open"_s);
        QVERIFY(open.data(Qt::DecorationRole).value<QIcon>().isNull() == false);
        QCOMPARE(open.data(Qt::BackgroundRole).value<QColor>(),
                 console::severityBackground(console::Severity::Problem));
        const QString tip = open.data(Qt::ToolTipRole).toString();
        // When it tries again, on this computer's clock to the second.
        QVERIFY2(tip.contains(u"no attempts until %1, then"_s.arg(
                     retryAt.toLocalTime().time().toString(u"HH:mm:ss"_s))),
                 qPrintable(tip));
        QVERIFY2(tip.contains(u"Times opened: 3"_s), qPrintable(tip));
        QVERIFY2(tip.contains(u"Last error: HTTP 503 from erp.example"_s), qPrintable(tip));
        const QModelIndex limited = channels->index(channelRow(8), ChannelModel::RateLimit);
        QCOMPARE(limited.data().toString(), u"25 %"_s);
        QCOMPARE(limited.data(Qt::ToolTipRole).toString(),
                 u"25 % of 20 per second used over the last interval"_s);
        QCOMPARE(channels->index(channelRow(8), ChannelModel::Breaker).data().toString(),
                 u"closed"_s);
        // A route the guards do not list: no tooltip made up for it.
        QVERIFY(
            channels->index(channelRow(9), ChannelModel::Breaker).data(Qt::ToolTipRole).isNull());

        // The provider accounts: only the entries of scope "account".
        const QAbstractItemModel *accounts = screen.accountsView()->model();
        QCOMPARE(accounts->rowCount(), 2);
        const auto text = [accounts](int row, int column) {
            return accounts->index(row, column).data().toString();
        };
        const int sms = text(0, AccountGuardModel::Account) == "sms-eu"_L1 ? 0 : 1;
        QCOMPARE(text(sms, AccountGuardModel::Tenant), u"shop"_s);
        QCOMPARE(text(sms, AccountGuardModel::Provider), u"twilio"_s);
        QCOMPARE(text(sms, AccountGuardModel::Breaker), u"closed"_s);
        QCOMPARE(text(sms, AccountGuardModel::RateLimit), u"50/s"_s);
        QCOMPARE(text(sms, AccountGuardModel::RateLimitUse), u"80 %"_s);
        QCOMPARE(text(sms, AccountGuardModel::InFlight), u"3 / 10"_s);
        QCOMPARE(text(sms, AccountGuardModel::LastError), u"429 Too Many Requests"_s);
        QVERIFY(accounts->index(sms, 0).data(Qt::BackgroundRole).isNull());
        const int mail = 1 - sms;
        QCOMPARE(text(mail, AccountGuardModel::Account), u"mail"_s);
        QCOMPARE(text(mail, AccountGuardModel::Breaker), u"half open"_s);
        QCOMPARE(text(mail, AccountGuardModel::RateLimit), u"no limit"_s);
        QCOMPARE(text(mail, AccountGuardModel::RateLimitUse), u"—"_s);
        QCOMPARE(text(mail, AccountGuardModel::InFlight), u"0 / no cap"_s);
        QCOMPARE(accounts->index(mail, 0).data(Qt::BackgroundRole).value<QColor>(),
                 console::severityBackground(console::Severity::Warning));
        // The tenant filter narrows both tables.
        screen.accountsProxy()->setTenant(u"billing"_s);
        QCOMPARE(accounts->rowCount(), 0);
        screen.accountsProxy()->setTenant({});

        // The next snapshot without the mail account: its row goes, the other stays.
        QJsonObject next = guardedSnapshot(retryAt);
        QJsonArray guards = next.value(u"guards"_s).toArray();
        guards.removeLast();
        next[u"guards"_s] = guards;
        const int smsRow = screen.accounts()->item(0).name == "sms-eu"_L1 ? 0 : 1;
        QPersistentModelIndex kept = screen.accounts()->index(smsRow, 0);
        screen.addSnapshot(next);
        QCOMPARE(screen.accounts()->rowCount(), 1);
        QVERIFY(kept.isValid());
        QCOMPARE(screen.accounts()->item(kept.row()).name, u"sms-eu"_s);
        screen.addSnapshot(guardedSnapshot(retryAt));
        saveScreenshot(&screen);
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
