// The reconciliation page against a real agent: seeded runs and drifts (written to the agent's
// database, as its reconciler would) and the tenant's messages with their cost show in their
// tables, newest run first; selecting a run shows only its drifts. "Reconcile now" requests a run
// and follows it, without blocking, until the agent's reconciler finished it (nothing to ask
// about: 0 checked), then selects it. A viewer token sees the button disabled and says why.
// Finally the page is rendered in German (with FERRY_SCREENSHOT_DIR set, saved there as
// reconciliation.png). The models pass QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/reconcilefollower.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/reconciliation/providermessagemodel.h"
#include "console/models/reconciliation/reconciledriftmodel.h"
#include "console/models/reconciliation/reconcilerunmodel.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/reconciliationwidget.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QImage>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::ProviderMessageModel;
using console::ReconcileDriftModel;
using console::ReconcileRunModel;
using console::ReconciliationWidget;
using console::Role;

namespace {

// The text a view shows in `column` of the row whose `keyColumn` reads `key`.
QString cell(const QTableView *view, int keyColumn, const QString &key, int column)
{
    const QAbstractItemModel *m = view->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, keyColumn).data().toString() == key)
            return m->index(row, column).data().toString();
    }
    return u"<no row %1>"_s.arg(key);
}

} // namespace

class TestConsoleReconciliation : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    qint64 m_scheduledRun = 0; // two drifts
    qint64 m_requestedRun = 0; // one drift, newer

    QString sql(const QString &statement) { return m_agent->db().scalar(statement); }

    // Three SMS the provider accepted for the shop's deliveries: their receipts and ledger.
    bool seedMessages()
    {
        const QStringList ids =
            sql(u"SELECT string_agg(id::text, ',' ORDER BY created_at) FROM deliveries"_s)
                .split(u',');
        if (ids.size() != 3)
            return false;
        const QString receipt =
            u"INSERT INTO delivery_receipts (delivery_id, tenant_id, channel, provider_message_id,"
            " status, rank, error, receipts, accepted_at, updated_at) SELECT '%1', id, 'sms', '%2',"
            " '%3', %4, %5, %6, now() - interval '%7 minutes', now() - interval '%8 minutes'"
            " FROM tenants WHERE name = 'shop'"_s;
        const QString ledger =
            u"INSERT INTO billing_ledger (delivery_id, tenant_id, channel, provider_message_id,"
            " cost, currency, estimated) SELECT '%1', id, 'sms', '%2', %3, '%4', %5 FROM tenants"
            " WHERE name = 'shop'"_s;
        return m_agent->db().exec(receipt.arg(ids[0], u"SM0001"_s, u"delivered"_s, u"3"_s,
                                              u"NULL"_s, u"2"_s, u"180"_s, u"170"_s)) &&
               m_agent->db().exec(receipt.arg(ids[1], u"SM0002"_s, u"sent"_s, u"2"_s, u"NULL"_s,
                                              u"1"_s, u"150"_s, u"149"_s)) &&
               m_agent->db().exec(receipt.arg(ids[2], u"SM0003"_s, u"undelivered"_s, u"3"_s,
                                              u"'30003 unreachable'"_s, u"1"_s, u"120"_s,
                                              u"100"_s)) &&
               m_agent->db().exec(
                   ledger.arg(ids[0], u"SM0001"_s, u"0.0079"_s, u"USD"_s, u"false"_s)) &&
               m_agent->db().exec(
                   ledger.arg(ids[1], u"SM0002"_s, u"0.0415"_s, u"EUR"_s, u"true"_s));
    }

    // A scheduled run two hours ago with two drifts, a requested one an hour ago with one.
    bool seedRuns()
    {
        const QString run =
            u"INSERT INTO reconcile_runs (tenant_id, trigger, requested_by, requested_at,"
            " started_at, finished_at, checked, drifts, failures) SELECT id, '%1', '%2',"
            " now() - interval '%3 minutes', now() - interval '%3 minutes',"
            " now() - interval '%3 minutes' + interval '4 seconds', %4, %5, %6 FROM tenants"
            " WHERE name = 'shop' RETURNING id"_s;
        m_scheduledRun =
            sql(run.arg(u"schedule"_s, u"reconciler"_s, u"120"_s, u"5"_s, u"2"_s, u"1"_s))
                .toLongLong();
        m_requestedRun =
            sql(run.arg(u"request"_s, u"api:token/2"_s, u"60"_s, u"1"_s, u"1"_s, u"0"_s))
                .toLongLong();
        const QString drift =
            u"INSERT INTO reconcile_drifts (run_id, tenant_id, delivery_id, channel,"
            " provider_message_id, believed, provider_said, action, found_at) SELECT %1, t.id,"
            " r.delivery_id, 'sms', '%2', '%3', '%4', '%5', r2.finished_at FROM tenants t"
            " JOIN delivery_receipts r ON r.provider_message_id = '%2' AND r.tenant_id = t.id"
            " JOIN reconcile_runs r2 ON r2.id = %1 WHERE t.name = 'shop'"_s;
        const QString a = QString::number(m_scheduledRun);
        const QString b = QString::number(m_requestedRun);
        return m_scheduledRun > 0 && m_requestedRun > 0 &&
               m_agent->db().exec(drift.arg(a, u"SM0001"_s, u"sent"_s, u"delivered"_s,
                                            u"moved from sent to delivered"_s)) &&
               m_agent->db().exec(drift.arg(a, u"SM0003"_s, u"accepted"_s, u"undelivered"_s,
                                            u"moved from accepted to undelivered"_s)) &&
               m_agent->db().exec(
                   drift.arg(b, u"SM0001"_s, u"delivered"_s, u"sent"_s,
                             u"kept delivered: the provider reports an earlier state"_s));
    }

    // The page of a `role` token with the shop's report loaded (at least `runs` runs).
    bool load(ReconciliationWidget &page, ApiClient &client, Role role, int runs)
    {
        if (!QTest::qWaitFor([&] { return client.role() == role; }, 20000))
            return false;
        page.setRole(role);
        page.refreshTenants();
        if (!QTest::qWaitFor([&] { return page.tenants().contains(u"shop"_s); }, 20000))
            return false;
        page.setTenant(u"shop"_s);
        return QTest::qWaitFor(
            [&] { return page.runs()->rowCount() >= runs && page.messages()->rowCount() == 3; },
            20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_reconciliation"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        const QString shop = test::createTenant(m_agent->db().url(), u"shop"_s);
        QVERIFY(!shop.isEmpty());
        QVERIFY(!test::createTenant(m_agent->db().url(), u"billing"_s).isEmpty());
        // The shop's deliveries go nowhere: the test needs their rows, not their outcome.
        QVERIFY(!test::addEndpoint(m_agent->db().url(), u"shop"_s,
                                   u"http://127.0.0.1:%1/down"_s.arg(test::freePort()))
                     .isEmpty());
        QVERIFY2(m_agent->start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s}}),
                 qPrintable(m_agent->output()));
        for (const QString &id : {u"sms-1"_s, u"sms-2"_s, u"sms-3"_s})
            QCOMPARE(test::publish(m_agent->httpPort(), shop, id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(sql(u"SELECT count(*) FROM deliveries"_s), u"3"_s, 30000);
        QVERIFY(seedMessages());
        QVERIFY(seedRuns());
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void runsNewestFirst()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        ReconciliationWidget page(client.get());
        QAbstractItemModelTester tester(page.runs(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Viewer, 2));
        QCOMPARE(page.tenants(), (QStringList{u"billing"_s, u"shop"_s}));
        QVERIFY(page.dataTime().isValid());

        // Newest first, their state and trigger in words, their counts.
        const QTableView *runs = page.runView();
        QCOMPARE(runs->model()->rowCount(), 2);
        QCOMPARE(runs->model()->index(0, ReconcileRunModel::Id).data().toString(),
                 QString::number(m_requestedRun));
        QCOMPARE(runs->model()->index(1, ReconcileRunModel::Id).data().toString(),
                 QString::number(m_scheduledRun));
        const QString id = QString::number(m_scheduledRun);
        QCOMPARE(cell(runs, ReconcileRunModel::Id, id, ReconcileRunModel::State), u"finished"_s);
        QCOMPARE(cell(runs, ReconcileRunModel::Id, id, ReconcileRunModel::Trigger),
                 u"by schedule"_s);
        QCOMPARE(cell(runs, ReconcileRunModel::Id, id, ReconcileRunModel::Checked),
                 QLocale().toString(5));
        QCOMPARE(cell(runs, ReconcileRunModel::Id, id, ReconcileRunModel::Failures),
                 QLocale().toString(1));
        QCOMPARE(cell(runs, ReconcileRunModel::Id, QString::number(m_requestedRun),
                      ReconcileRunModel::Trigger),
                 u"on request"_s);
    }

    void driftsOfTheSelectedRunOrEvery()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        ReconciliationWidget page(client.get());
        QAbstractItemModelTester tester(page.drifts(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Viewer, 2));
        // Nothing selected: the drifts of every run.
        QCOMPARE(page.selectedRun(), 0);
        QCOMPARE(page.drifts()->rowCount(), 3);
        QCOMPARE(page.driftsTitle(), u"Drifts of every run"_s);

        // A run selected: only its drifts, with what Ferry believed and what the provider said.
        page.selectRun(m_scheduledRun);
        QCOMPARE(page.selectedRun(), m_scheduledRun);
        QTRY_COMPARE_WITH_TIMEOUT(page.drifts()->rowCount(), 2, 20000);
        QCOMPARE(page.driftsTitle(), u"Drifts of run %1"_s.arg(m_scheduledRun));
        const QTableView *view = page.driftView();
        const int key = ReconcileDriftModel::ProviderMessageId;
        QCOMPARE(cell(view, key, u"SM0003"_s, ReconcileDriftModel::Channel), u"sms"_s);
        QCOMPARE(cell(view, key, u"SM0003"_s, ReconcileDriftModel::Believed), u"accepted"_s);
        QCOMPARE(cell(view, key, u"SM0003"_s, ReconcileDriftModel::ProviderSaid), u"undelivered"_s);
        QCOMPARE(cell(view, key, u"SM0003"_s, ReconcileDriftModel::Action),
                 u"moved from accepted to undelivered"_s);
        QCOMPARE(cell(view, key, u"SM0001"_s, ReconcileDriftModel::Run),
                 QString::number(m_scheduledRun));
        QVERIFY(page.drifts()->drift(0).foundAt.isValid());

        // Back to every run's drifts.
        page.showAllDrifts();
        QCOMPARE(page.selectedRun(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(page.drifts()->rowCount(), 3, 20000);
        QCOMPARE(cell(view, ReconcileDriftModel::Run, QString::number(m_requestedRun),
                      ReconcileDriftModel::Action),
                 u"kept delivered: the provider reports an earlier state"_s);
    }

    void messagesWithTheirCost()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        ReconciliationWidget page(client.get());
        QAbstractItemModelTester tester(page.messages(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Viewer, 2));
        const QTableView *view = page.messageView();
        const int id = ProviderMessageModel::ProviderMessageId;
        QCOMPARE(view->model()->index(0, id).data().toString(), u"SM0003"_s); // newest
        QCOMPARE(cell(view, id, u"SM0001"_s, ProviderMessageModel::Status), u"delivered"_s);
        QCOMPARE(cell(view, id, u"SM0001"_s, ProviderMessageModel::Cost),
                 QLocale().toString(0.0079, 'f', 4));
        QCOMPARE(cell(view, id, u"SM0001"_s, ProviderMessageModel::Currency), u"USD"_s);
        QCOMPARE(cell(view, id, u"SM0001"_s, ProviderMessageModel::Estimated), u"no"_s);
        QCOMPARE(cell(view, id, u"SM0002"_s, ProviderMessageModel::Estimated), u"yes"_s);
        QCOMPARE(cell(view, id, u"SM0002"_s, ProviderMessageModel::Receipts),
                 QLocale().toString(1));
        QCOMPARE(cell(view, id, u"SM0003"_s, ProviderMessageModel::Status), u"undelivered"_s);
        QCOMPARE(cell(view, id, u"SM0003"_s, ProviderMessageModel::Cost), u"—"_s);
        QCOMPARE(cell(view, id, u"SM0003"_s, ProviderMessageModel::Error), u"30003 unreachable"_s);
    }

    void reconcileNowFollowsTheRunUntilFinished()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        ReconciliationWidget page(client.get());
        QVERIFY(load(page, *client, Role::Operator, 2));
        QAction *reconcile = page.reconcileAction();
        QVERIFY(reconcile->isEnabled());
        const int before = page.runs()->rowCount();

        QSignalSpy progress(page.follower(), &console::ReconcileFollower::progress);
        QSignalSpy finished(&page, &ReconciliationWidget::reconcileFinished);
        reconcile->trigger();
        // Following: the button waits for the run, and says so.
        QVERIFY(page.follower()->isRunning());
        QVERIFY(!reconcile->isEnabled());
        QVERIFY2(reconcile->toolTip().contains(u"wait"_s), qPrintable(reconcile->toolTip()));
        QVERIFY2(page.progressText().contains(u"Requesting a run for shop"_s),
                 qPrintable(page.progressText()));
        QVERIFY(finished.wait(30000));

        // The agent took the request and finished it: nothing to ask about.
        const qint64 run = finished.at(0).at(0).toLongLong();
        QVERIFY(run > m_requestedRun);
        // (A reconciler may take the run before the agent answers the request: then there was
        // nothing to wait for.)
        for (const QList<QVariant> &p : progress) {
            const QString state = p.at(0).toJsonObject().value("state"_L1).toString();
            QVERIFY2(state == "waiting"_L1 || state == "running"_L1, qPrintable(state));
        }
        QCOMPARE(sql(u"SELECT trigger || ' ' || (finished_at IS NOT NULL) || ' ' || checked FROM "
                     "reconcile_runs WHERE id = %1"_s.arg(run)),
                 u"request true 0"_s);
        // Listed, newest first, finished, and selected.
        QCOMPARE(page.runs()->rowCount(), before + 1);
        QCOMPARE(page.selectedRun(), run);
        const QTableView *runs = page.runView();
        QCOMPARE(runs->model()->index(0, ReconcileRunModel::Id).data().toString(),
                 QString::number(run)); // newest first
        QCOMPARE(runs->model()->index(0, ReconcileRunModel::State).data().toString(),
                 u"finished"_s);
        QCOMPARE(runs->model()->index(0, ReconcileRunModel::Checked).data().toString(),
                 QLocale().toString(0));
        QVERIFY2(page.progressText().contains(u"finished: checked 0"_s),
                 qPrintable(page.progressText()));
        QTRY_COMPARE_WITH_TIMEOUT(page.drifts()->rowCount(), 0, 20000);
        QVERIFY(!page.follower()->isRunning());
        QVERIFY(reconcile->isEnabled());
        QVERIFY(page.feedback().isEmpty());
    }

    void viewerSeesTheButtonDisabled()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        ReconciliationWidget page(client.get());
        QVERIFY(load(page, *client, Role::Viewer, 2));
        QAction *reconcile = page.reconcileAction();
        QVERIFY(!reconcile->isEnabled());
        QVERIFY2(reconcile->toolTip().contains(u"operator role"_s),
                 qPrintable(reconcile->toolTip()));
        reconcile->trigger();
        QVERIFY(!page.follower()->isRunning());

        // Asked anyway, the agent refuses, and the page says why.
        const QString runs = sql(u"SELECT count(*) FROM reconcile_runs"_s);
        page.reconcileNow();
        QTRY_VERIFY_WITH_TIMEOUT(page.feedback().contains(u"role"_s), 20000);
        QVERIFY(!page.follower()->isRunning());
        QCOMPARE(sql(u"SELECT count(*) FROM reconcile_runs"_s), runs);
    }

    void mainWindowHasThePage()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"viewer"_s),
                         false);
        QTRY_COMPARE_WITH_TIMEOUT(window.client()->role(), Role::Viewer, 20000);
        QVERIFY(window.isScreenAvailable(console::MainWindow::Reconciliation));
        window.showScreen(console::MainWindow::Reconciliation);
        QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), window.reconciliation());
        // Connected: the page lists the tenants and shows the first one's report.
        ReconciliationWidget *page = window.reconciliation();
        QTRY_COMPARE_WITH_TIMEOUT(page->tenants(), (QStringList{u"billing"_s, u"shop"_s}), 20000);
        QCOMPARE(page->tenant(), u"billing"_s);
        page->setTenant(u"shop"_s);
        QTRY_VERIFY_WITH_TIMEOUT(page->runs()->rowCount() > 0, 20000);
        QVERIFY(!page->reconcileAction()->isEnabled());
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"operator"_s),
                         false);
        ReconciliationWidget *page = window.reconciliation();
        QTRY_COMPARE_WITH_TIMEOUT(window.client()->role(), Role::Operator, 20000);
        window.showScreen(console::MainWindow::Reconciliation);
        QTRY_VERIFY_WITH_TIMEOUT(page->tenants().contains(u"shop"_s), 20000);
        page->setTenant(u"shop"_s);
        QTRY_VERIFY_WITH_TIMEOUT(page->runs()->rowCount() >= 3, 20000);
        page->selectRun(m_scheduledRun);
        QTRY_COMPARE_WITH_TIMEOUT(page->drifts()->rowCount(), 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->messages()->rowCount(), 3, 20000);

        // Words, numbers and dates in German.
        const QString scheduled = QString::number(m_scheduledRun);
        QCOMPARE(cell(page->runView(), ReconcileRunModel::Id, scheduled, ReconcileRunModel::State),
                 u"abgeschlossen"_s);
        QCOMPARE(cell(page->messageView(), ProviderMessageModel::ProviderMessageId, u"SM0001"_s,
                      ProviderMessageModel::Cost),
                 u"0,0079"_s);
        QCOMPARE(cell(page->driftView(), ReconcileDriftModel::ProviderMessageId, u"SM0003"_s,
                      ReconcileDriftModel::ProviderSaid),
                 u"nicht zugestellt"_s);
        const QDateTime found = page->drifts()->drift(0).foundAt;
        QCOMPARE(page->drifts()->data(page->drifts()->index(0, ReconcileDriftModel::FoundAt)),
                 QLocale(QLocale::German).toString(found.toLocalTime(), u"d. MMM yyyy HH:mm"_s));
        QVERIFY(!page->reconcileAction()->text().contains(u"Reconcile"_s));

        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTemporaryDir temporary;
        const QString dir = qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path());
        const QString path = QDir(dir).filePath(u"reconciliation.png"_s);
        QVERIFY(window.grab().save(path));
        QVERIFY(QImage(path).width() >= 1200);
    }
};

QTEST_MAIN(TestConsoleReconciliation)
#include "tst_console_reconciliation.moc"
