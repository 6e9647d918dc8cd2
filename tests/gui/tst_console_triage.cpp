// Triage by cause in the DLQ inbox against a real agent (one attempt per delivery; a route's
// breaker opens after three failures in a row and stays open): billing's endpoint is down and
// the shop's second endpoint answers 503, so their deliveries die in two groups. The "By cause"
// view lists them, the largest first, with the dead count, tenant, endpoint by name and URL
// (never its id), the reason as a word, first and last seen, the latest error and the breaker
// (from the live feed's guards once it reports the route); the group's pane shows the attempts
// of its newest deliveries and an attempt's whole error. "Open deliveries" lists exactly the
// group's deliveries. "Replay group…" previews with a dry run: the confirmation names the count,
// the tenant, the endpoint's URL and the reason, and warns about an open breaker; Cancel replays
// nothing; Replay replays the group and says when more died between the preview and the replay.
// A viewer token cannot replay (the tooltip says why). The screen is rendered in English and
// German (with FERRY_SCREENSHOT_DIR set, saved there as dlq-groups.png and dlq-groups-de.png).
// The models pass QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/livefeed.h"
#include "console/core/secretstore.h"
#include "console/core/statewords.h"
#include "console/core/tokenstore.h"
#include "console/core/uiformat.h"
#include "console/models/attemptmodel.h"
#include "console/models/dlqfiltermodel.h"
#include "console/models/dlqgroupfiltermodel.h"
#include "console/models/dlqgroupmodel.h"
#include "console/models/dlqmodel.h"
#include "console/models/dlqrecentattemptmodel.h"
#include "console/widgets/deliverydetailwidget.h"
#include "console/widgets/dlqwidget.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/triage/dlqgrouppane.h"
#include "console/widgets/triage/dlqgroupspage.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::DlqGroupModel;
using console::DlqModel;
using console::DlqWidget;
using console::Role;

namespace {

constexpr int kBillingDead = 3; // N: billing's endpoint is down
constexpr int kShopDead = 2;    // M: the shop's second endpoint answers 503

QString text(const QAbstractItemModel *m, int row, int column)
{
    return m->index(row, column).data().toString();
}

// The row of a tenant's group in the groups view (-1: none).
int groupRow(const DlqWidget &inbox, const QString &tenant)
{
    const QAbstractItemModel *m = inbox.groups()->proxy();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (text(m, row, DlqGroupModel::Tenant) == tenant)
            return row;
    }
    return -1;
}

} // namespace

class TestConsoleTriage : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    std::unique_ptr<test::Process> m_failing;
    QString m_shopToken;
    QString m_billingToken;
    QString m_billingUrl;
    QString m_failingUrl;
    QString m_failingSecret;
    quint16 m_failingPort = 0;
    int m_published = 0;

    int dead(const QString &where = u"true"_s)
    {
        return m_agent->db()
            .scalar(u"SELECT count(*) FROM deliveries d JOIN endpoints ep ON ep.id = d.endpoint_id"
                    " WHERE d.state = 'dead' AND %1"_s.arg(where))
            .toInt();
    }

    QStringList deadIds(const QString &url)
    {
        return m_agent->db()
            .scalar(u"SELECT string_agg(d.id::text, ',' ORDER BY d.id) FROM deliveries d JOIN"
                    " endpoints ep ON ep.id = d.endpoint_id WHERE d.state = 'dead' AND ep.url ="
                    " '%1'"_s.arg(url))
            .split(u',', Qt::SkipEmptyParts);
    }

    void publish(const QString &token, int n)
    {
        for (int i = 0; i < n; ++i) {
            const QString id = u"triage-%1"_s.arg(++m_published);
            QCOMPARE(test::publish(m_agent->httpPort(), token, id, id), 202);
        }
    }

    // Loads both views again until the groups view lists `groups` groups.
    static bool waitForGroups(DlqWidget &inbox, int groups)
    {
        for (int i = 0; i < 100; ++i) {
            QSignalSpy loaded(inbox.groups(), &console::DlqGroupsPage::loaded);
            inbox.refresh();
            if (loaded.wait(10000) && inbox.groups()->model()->rowCount() == groups)
                return true;
            QTest::qWait(200); // the agent dead-letters on its own time
        }
        return false;
    }

    // An inbox with a token of `role`, the role applied, both views loaded (the two groups) and
    // the tenant's group selected.
    struct Inbox
    {
        std::unique_ptr<ApiClient> client;
        std::unique_ptr<DlqWidget> widget;
    };
    bool openInbox(Inbox &inbox, const QString &role, const QString &tenant)
    {
        inbox.client = m_agent->connectedClient(role);
        inbox.widget = std::make_unique<DlqWidget>(inbox.client.get());
        if (!QTest::qWaitFor([&] { return inbox.client->role() != Role::Unknown; }, 20000))
            return false;
        inbox.widget->setRole(inbox.client->role());
        return waitForGroups(*inbox.widget, 2) && selectGroup(*inbox.widget, tenant);
    }

    // The shop's second endpoint's receiver, (re)started with these options.
    bool startSecondReceiver(const QStringList &options)
    {
        if (m_failing)
            m_failing->terminate();
        m_failing = std::make_unique<test::Process>(
            test::receiverBinary(), QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_failingPort),
                                                u"--secret"_s, m_failingSecret} +
                                        options);
        return m_failing->start();
    }

    static bool selectGroup(DlqWidget &inbox, const QString &tenant)
    {
        const int row = groupRow(inbox, tenant);
        if (row < 0)
            return false;
        inbox.groups()->view()->selectRow(row);
        return inbox.groups()->selectedGroup() && inbox.groups()->selectedGroup()->tenant == tenant;
    }

    static QMessageBox *waitForConfirmation(QWidget &inbox)
    {
        QMessageBox *box = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] { return (box = inbox.findChild<QMessageBox *>()) != nullptr; }, 20000);
        return shown ? box : nullptr;
    }

    // The window on the DLQ inbox with both groups, billing's selected and its attempts shown.
    bool showGroups(console::MainWindow &window)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"operator"_s),
                         false);
        if (!QTest::qWaitFor([&] { return window.client()->role() != Role::Unknown; }, 20000))
            return false;
        window.showScreen(console::MainWindow::Dlq);
        DlqWidget *inbox = window.dlq();
        if (!waitForGroups(*inbox, 2) || !selectGroup(*inbox, u"billing"_s))
            return false;
        if (!QTest::qWaitFor(
                [&] { return inbox->groups()->pane()->recentAttempts()->rowCount() > 0; }, 20000))
            return false;
        inbox->groups()->pane()->attemptView()->selectRow(0); // its whole error below
        return !inbox->groups()->pane()->attemptErrorText().isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_triage"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        m_receiver = m_agent->addShopAndBilling(&m_shopToken, &m_billingToken);
        QVERIFY(m_receiver);
        // The shop's second endpoint: a receiver that answers every request with 503.
        m_failingPort = test::freePort();
        m_failingUrl = u"http://127.0.0.1:%1/flaky"_s.arg(m_failingPort);
        m_failingSecret = test::addEndpoint(m_agent->db().url(), u"shop"_s, m_failingUrl);
        QVERIFY(!m_failingSecret.isEmpty());
        QVERIFY(startSecondReceiver({u"--fail-rate"_s, u"1"_s, u"--fail-status"_s, u"503"_s}));
        m_billingUrl = m_agent->db().scalar(
            u"SELECT ep.url FROM endpoints ep JOIN tenants t ON t.id = ep.tenant_id"
            " WHERE t.name = 'billing'"_s);
        QVERIFY(m_billingUrl.endsWith(u"/down"_s));
        // People know billing's route by its name; the shop's second has none.
        QVERIFY(m_agent->db().exec(
            u"UPDATE endpoints SET name = 'billing-erp' WHERE url = '%1'"_s.arg(m_billingUrl)));
        QVERIFY2(m_agent->start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s},
                                 {u"FERRY_BREAKER_CONSECUTIVE_FAILURES"_s, u"3"_s},
                                 {u"FERRY_BREAKER_COOLDOWN"_s, u"1h"_s}}),
                 qPrintable(m_agent->output()));
        publish(m_billingToken, kBillingDead);
        publish(m_shopToken, kShopDead);
        QTRY_COMPARE_WITH_TIMEOUT(dead(), kBillingDead + kShopDead, 30000);
        // Three failures in a row: billing's breaker is open (for an hour).
        QTRY_COMPARE_WITH_TIMEOUT(
            m_agent->db().scalar(
                u"SELECT b.state FROM guard_breakers b JOIN endpoints ep ON"
                " b.scope = 'endpoint' AND b.id = ep.id WHERE ep.url = '%1'"_s.arg(m_billingUrl)),
            u"open"_s, 30000);
    }

    void cleanupTestCase()
    {
        for (auto *p : {m_receiver.get(), m_failing.get()}) {
            if (p)
                p->terminate();
        }
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void groupsShowCountsAndCause()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        DlqWidget inbox(client.get());
        QAbstractItemModelTester modelTester(
            inbox.groups()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            inbox.groups()->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester attemptsTester(
            inbox.groups()->pane()->recentAttempts(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Operator, 20000);
        QVERIFY(inbox.showsGroups()); // the inbox opens by cause
        QVERIFY(waitForGroups(inbox, 2));
        QVERIFY(inbox.dataTime().isValid());

        // The largest group first: billing's, by the route's name and URL, never its id.
        const QAbstractItemModel *m = inbox.groups()->proxy();
        const QString billingReason = m_agent->db().scalar(
            u"SELECT min(dead_reason) FROM deliveries WHERE state = 'dead' AND endpoint_id ="
            " (SELECT id FROM endpoints WHERE url = '%1')"_s.arg(m_billingUrl));
        QCOMPARE(billingReason, u"connect"_s);
        QCOMPARE(text(m, 0, DlqGroupModel::Tenant), u"billing"_s);
        QCOMPARE(text(m, 0, DlqGroupModel::Count), QString::number(kBillingDead));
        QCOMPARE(text(m, 0, DlqGroupModel::Endpoint), u"billing-erp — "_s + m_billingUrl);
        QCOMPARE(text(m, 0, DlqGroupModel::Channel), u"webhook"_s);
        QCOMPARE(text(m, 0, DlqGroupModel::Reason), u"could not connect"_s);
        QCOMPARE(text(m, 0, DlqGroupModel::Route), u"enabled"_s);
        const QDateTime first = QDateTime::fromString(
            m_agent->db().scalar(u"SELECT to_char(min(finished_at) AT TIME ZONE 'UTC',"
                                 " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM deliveries d JOIN"
                                 " endpoints ep ON ep.id = d.endpoint_id WHERE d.state = 'dead'"
                                 " AND ep.url = '%1'"_s.arg(m_billingUrl)),
            Qt::ISODate);
        QVERIFY(first.isValid());
        QCOMPARE(text(m, 0, DlqGroupModel::FirstSeen), console::localDateTimeText(first));
        QVERIFY(!text(m, 0, DlqGroupModel::LastSeen).isEmpty());
        QVERIFY2(!text(m, 0, DlqGroupModel::LastError).isEmpty(),
                 qPrintable(text(m, 0, DlqGroupModel::LastError)));
        // Three failures in a row opened billing's breaker: a red marker.
        QCOMPARE(text(m, 0, DlqGroupModel::Breaker), u"open"_s);
        QVERIFY(!m->index(0, DlqGroupModel::Breaker).data(Qt::DecorationRole).isNull());
        QVERIFY(m->index(0, DlqGroupModel::Breaker).data(Qt::BackgroundRole).isValid());
        // The second: the shop's failing endpoint, by URL (it has no name).
        QCOMPARE(text(m, 1, DlqGroupModel::Tenant), u"shop"_s);
        QCOMPARE(text(m, 1, DlqGroupModel::Count), QString::number(kShopDead));
        QCOMPARE(text(m, 1, DlqGroupModel::Endpoint), m_failingUrl);
        QCOMPARE(text(m, 1, DlqGroupModel::Reason), u"server error (HTTP 5xx)"_s);
        QCOMPARE(text(m, 1, DlqGroupModel::Breaker), u"closed"_s);

        // The filters apply to the groups at once.
        inbox.groups()->setFilters(u"shop"_s, {}, {});
        QCOMPARE(m->rowCount(), 1);
        inbox.groups()->setFilters({}, {}, u"connect"_s);
        QCOMPARE(text(m, 0, DlqGroupModel::Tenant), u"billing"_s);
        QCOMPARE(m->rowCount(), 1);
        inbox.groups()->setFilters({}, {}, {});
        QCOMPARE(m->rowCount(), 2);

        // The group's pane: the endpoint, the breaker and the attempts of its newest deliveries,
        // each with its error; the selected attempt's whole error below.
        QVERIFY(selectGroup(inbox, u"billing"_s));
        console::DlqGroupPane *pane = inbox.groups()->pane();
        QCOMPARE(pane->endpointText(), u"billing-erp — "_s + m_billingUrl);
        QCOMPARE(pane->breakerText(), u"open"_s);
        const console::DlqRecentAttemptModel *attempts = pane->recentAttempts();
        QTRY_COMPARE_WITH_TIMEOUT(attempts->rowCount(), kBillingDead, 20000);
        const QStringList billingIds = deadIds(m_billingUrl);
        for (int row = 0; row < attempts->rowCount(); ++row) {
            QVERIFY(billingIds.contains(attempts->row(row).deliveryId));
            QCOMPARE(attempts->row(row).outcome, u"retryable"_s);
            QVERIFY(!attempts->row(row).error.isEmpty());
        }
        QVERIFY2(pane->attemptsNote().contains(u"newest 3 deliveries"_s),
                 qPrintable(pane->attemptsNote()));
        pane->attemptView()->selectRow(0);
        QCOMPARE(pane->attemptErrorText(), attempts->row(0).error);

        QVERIFY(selectGroup(inbox, u"shop"_s));
        QTRY_VERIFY2_WITH_TIMEOUT(attempts->rowCount() == kShopDead,
                                  qPrintable(pane->attemptsNote()), 20000);
        QCOMPARE(attempts->index(0, console::DlqRecentAttemptModel::StatusCode).data().toInt(),
                 503);
        QCOMPARE(pane->endpointText(), m_failingUrl);
    }

    // With the live feed, the breaker comes from its guards: when it tries again, how often
    // it opened, its last error.
    void breakerFromTheLiveFeed()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        DlqWidget inbox(client.get());
        console::LiveFeed feed(client.get());
        connect(&feed, &console::LiveFeed::snapshot, &inbox, &DlqWidget::addSnapshot);
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Viewer, 20000);
        QVERIFY(waitForGroups(inbox, 2));
        QVERIFY(selectGroup(inbox, u"billing"_s));
        const console::DlqGroup *billing = inbox.groups()->selectedGroup();
        QVERIFY2(
            inbox.groups()->model()->breakerToolTip(*billing).contains(u"groups were loaded"_s),
            qPrintable(inbox.groups()->model()->breakerToolTip(*billing)));
        QTRY_VERIFY_WITH_TIMEOUT(
            inbox.groups()->pane()->breakerToolTip().contains(u"Times opened: 1"_s), 20000);
        QVERIFY2(inbox.groups()->pane()->breakerToolTip().startsWith(u"Open: no attempts until"_s),
                 qPrintable(inbox.groups()->pane()->breakerToolTip()));
        QCOMPARE(inbox.groups()->pane()->breakerText(), u"open"_s);
    }

    void openDeliveriesListsExactlyTheGroup()
    {
        Inbox opened;
        QVERIFY(openInbox(opened, u"operator"_s, u"shop"_s));
        DlqWidget &inbox = *opened.widget;
        QVERIFY(inbox.groups()->openAction()->isEnabled());
        inbox.groups()->openAction()->trigger();

        // The list, narrowed to the group: its tenant, route and reason, named above it.
        QVERIFY(!inbox.showsGroups());
        QVERIFY2(inbox.scopeText().contains(m_failingUrl), qPrintable(inbox.scopeText()));
        QVERIFY2(inbox.scopeText().contains(u"server error (HTTP 5xx)"_s),
                 qPrintable(inbox.scopeText()));
        const QStringList shopIds = deadIds(m_failingUrl);
        QCOMPARE(shopIds.size(), kShopDead);
        QTRY_COMPARE_WITH_TIMEOUT(inbox.proxy()->rowCount(), kShopDead, 20000);
        QStringList listed;
        for (int row = 0; row < inbox.proxy()->rowCount(); ++row)
            listed.append(inbox.proxy()->index(row, DlqModel::Id).data().toString());
        listed.sort();
        QCOMPARE(listed, shopIds);
        // The agent was asked for the group only.
        QTRY_COMPARE_WITH_TIMEOUT(inbox.model()->rowCount(), kShopDead, 20000);
        QCOMPARE(inbox.proxy()->index(0, DlqModel::Endpoint).data().toString(), m_failingUrl);
        // The newest one is selected: its failed attempt and its error in the detail pane.
        QTRY_COMPARE_WITH_TIMEOUT(inbox.detail()->attempts()->rowCount(), 1, 20000);
        const QModelIndex error =
            inbox.detail()->attempts()->index(0, console::AttemptModel::Error);
        QVERIFY2(error.data().toString().contains(u"503"_s), qPrintable(error.data().toString()));

        // Back to every dead delivery.
        inbox.clearScope();
        QVERIFY(inbox.scopeText().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(inbox.proxy()->rowCount(), kBillingDead + kShopDead, 20000);
    }

    void englishScreenshot()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showGroups(window));
        QVERIFY(test::saveScreenshot(window, u"dlq-groups.png"_s));
    }

    void viewerCannotReplayGroup()
    {
        Inbox opened;
        QVERIFY(openInbox(opened, u"viewer"_s, u"billing"_s));
        DlqWidget &inbox = *opened.widget;
        QVERIFY(inbox.groups()->openAction()->isEnabled()); // looking is allowed
        QAction *replay = inbox.groups()->replayAction();
        QVERIFY(!replay->isEnabled());
        QVERIFY2(replay->toolTip().contains(u"operator role"_s), qPrintable(replay->toolTip()));
    }

    void previewThenCancelReplaysNothing()
    {
        Inbox opened;
        QVERIFY(openInbox(opened, u"operator"_s, u"billing"_s));
        DlqWidget &inbox = *opened.widget;
        QVERIFY(inbox.groups()->replayAction()->isEnabled());
        inbox.groups()->replayAction()->trigger();

        // The preview: how many, to where, why they died, and that the breaker is open.
        QMessageBox *confirm = waitForConfirmation(inbox);
        QVERIFY(confirm);
        QVERIFY2(confirm->text().contains(u"to replay: 3."_s), qPrintable(confirm->text()));
        const QString details = confirm->informativeText();
        QVERIFY2(details.contains(u"Tenant: billing"_s), qPrintable(details));
        QVERIFY2(details.contains(u"Endpoint: billing-erp — "_s + m_billingUrl),
                 qPrintable(details));
        QVERIFY2(details.contains(u"Reason: could not connect"_s), qPrintable(details));
        QVERIFY2(details.contains(u"circuit breaker is open"_s), qPrintable(details));
        QCOMPARE(confirm->icon(), QMessageBox::Warning);
        QCOMPARE(confirm->defaultButton(), confirm->button(QMessageBox::Cancel));

        // Cancel: nothing moves; the group keeps its count.
        confirm->button(QMessageBox::Cancel)->click();
        QVERIFY(waitForGroups(inbox, 2));
        QCOMPARE(text(inbox.groups()->proxy(), groupRow(inbox, u"billing"_s), DlqGroupModel::Count),
                 QString::number(kBillingDead));
        QCOMPARE(dead(), kBillingDead + kShopDead);
    }

    // The shop's group, once its endpoint is back: between the preview and the confirmation
    // another operator replays one of its deliveries; the replay takes the other and says that
    // the preview counted more. The replayed deliveries leave the DLQ, and the group is gone.
    void replayGroupAfterPreview()
    {
        Inbox opened;
        QVERIFY(openInbox(opened, u"operator"_s, u"shop"_s));
        DlqWidget &inbox = *opened.widget;
        QSignalSpy done(&inbox, &DlqWidget::actionDone);
        inbox.groups()->replayAction()->trigger();
        QMessageBox *confirm = waitForConfirmation(inbox);
        QVERIFY(confirm);
        QVERIFY2(confirm->text().contains(u"to replay: 2."_s), qPrintable(confirm->text()));
        QVERIFY2(confirm->informativeText().contains(u"Endpoint: "_s + m_failingUrl),
                 qPrintable(confirm->informativeText()));
        QVERIFY(!confirm->informativeText().contains(u"breaker"_s));
        QCOMPARE(confirm->icon(), QMessageBox::Question);

        QVERIFY(startSecondReceiver({})); // the endpoint is back
        const QStringList ids = deadIds(m_failingUrl);
        QCOMPARE(ids.size(), kShopDead);
        const auto state = [this](const QString &id) {
            return m_agent->db().scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(id));
        };
        int status = 0;
        opened.client->post(u"/v1/dlq/replay"_s, QJsonObject{{u"ids"_s, QJsonArray{ids.first()}}},
                            nullptr, [&](const console::ApiResponse &r) { status = r.status; });
        QTRY_COMPARE_WITH_TIMEOUT(status, 200, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(state(ids.first()), u"succeeded"_s, 30000);

        confirm->button(QMessageBox::Yes)->click();
        QVERIFY(done.wait(20000));
        const QString said = done.last().at(0).toString();
        QVERIFY2(said.contains(u"queued again: 1."_s), qPrintable(said));
        QVERIFY2(said.contains(u"The preview counted 2"_s), qPrintable(said));
        QTRY_COMPARE_WITH_TIMEOUT(state(ids.last()), u"succeeded"_s, 30000);
        QCOMPARE(dead(u"ep.url = '%1'"_s.arg(m_failingUrl)), 0);
        QTRY_COMPARE_WITH_TIMEOUT(inbox.groups()->model()->rowCount(), 1, 20000);
        QCOMPARE(inbox.groups()->model()->item(0).tenant, u"billing"_s);
    }

    // Last: the UI language stays German from here on. The shop's second endpoint goes down
    // again (two deliveries die: a group), and its route is disabled.
    void germanScreenshot()
    {
        m_failing->terminate();
        const QString where = u"ep.url = '%1'"_s.arg(m_failingUrl);
        publish(m_shopToken, 2);
        QTRY_COMPARE_WITH_TIMEOUT(dead(where), 2, 30000);
        auto admin = m_agent->connectedClient(u"admin"_s);
        QTRY_COMPARE_WITH_TIMEOUT(admin->role(), Role::Admin, 20000);
        const QString route =
            m_agent->db().scalar(u"SELECT id FROM endpoints WHERE url = '%1'"_s.arg(m_failingUrl));
        int status = 0;
        admin->remove(u"/v1/routes/%1"_s.arg(route), {}, nullptr,
                      [&](const console::ApiResponse &r) { status = r.status; });
        QTRY_COMPARE_WITH_TIMEOUT(status, 204, 20000);

        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showGroups(window));
        const DlqWidget *inbox = window.dlq();
        const QAbstractItemModel *m = inbox->groups()->proxy();
        const int shop = groupRow(*inbox, u"shop"_s);
        QCOMPARE(text(m, shop, DlqGroupModel::Route), u"deaktiviert"_s);
        QCOMPARE(text(m, shop, DlqGroupModel::Reason), u"keine Verbindung"_s);
        QCOMPARE(text(m, groupRow(*inbox, u"billing"_s), DlqGroupModel::Breaker), u"offen"_s);
        QCOMPARE(m->headerData(DlqGroupModel::Count, Qt::Horizontal).toString(), u"Tote"_s);
        QCOMPARE(inbox->views()->tabText(0), u"Nach U&rsache"_s);
        QVERIFY(!inbox->groups()->replayAction()->text().contains(u"Replay"_s));
        QVERIFY(test::saveScreenshot(window, u"dlq-groups-de.png"_s));
    }
};

QTEST_MAIN(TestConsoleTriage)
#include "tst_console_triage.moc"
