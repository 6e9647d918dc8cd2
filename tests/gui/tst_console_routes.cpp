// The Administration screen's Routes page against a real agent and a real receiver, driven like
// a user: a named webhook route created through the editor (fields filled in, OK clicked) is
// listed by name, its new signing secret shown once with a Copy button; its URL changed in the
// editor is saved with only that field sent; a URL into an internal network is refused and the
// editor stays open with the agent's reason under the URL; a test send reaches the receiver
// exactly once and the page shows it delivered, a test to a dead receiver shows the error;
// disabling asks first and enabling brings the route back; a viewer sees every action disabled
// with a tooltip naming the token it needs, an operator only the test send. The model passes
// QAbstractItemModelTester. Screenshots (FERRY_SCREENSHOT_DIR): admin-routes.png and, in German,
// admin-routes-de.png.
#include "console/core/apiclient.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/admin/routemodel.h"
#include "console/widgets/admin/adminwidget.h"
#include "console/widgets/admin/routeadminpage.h"
#include "console/widgets/admin/routeeditor.h"
#include "console/widgets/admin/secretdialog.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/tenantpicker.h"
#include "tests/gui/consoletestagent.h"
#include "tests/support/recordingserver.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::Role;
using console::RouteAdminPage;
using console::RouteEditor;
using console::RouteModel;

class TestConsoleRoutes : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    test::RecordingServer m_receiver; // answers 200
    test::RecordingServer m_down;     // answers 503
    qint64 m_route = 0;               // "ERP orders", made through the editor

    QString sql(const QString &query) { return m_agent->db().scalar(query); }

    // A page of a client with the token of `role`, its role applied and its routes loaded.
    bool open(RouteAdminPage &page, console::ApiClient &client)
    {
        if (!QTest::qWaitFor([&] { return client.role() != Role::Unknown; }, 20000))
            return false;
        page.applyRole(client.role(), client.tenantScope());
        page.refresh();
        return QTest::qWaitFor([&] { return page.dataTime().isValid(); }, 20000);
    }

    static int rowNamed(const RouteAdminPage &page, const QString &name)
    {
        const QAbstractItemModel *m = page.view()->model();
        for (int row = 0; row < m->rowCount(); ++row) {
            if (m->index(row, RouteModel::Name).data().toString() == name)
                return row;
        }
        return -1;
    }

    // OK clicked in the editor; true once it closed (saved) or showed an error.
    static bool clickOk(RouteEditor *editor)
    {
        QPointer<RouteEditor> alive = editor;
        QTest::mouseClick(editor->okButton(), Qt::LeftButton);
        return QTest::qWaitFor([&] { return !alive || !alive->isSaving(); }, 20000);
    }

    bool showRoutes(console::MainWindow &window, const QString &role)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(role), false);
        if (!QTest::qWaitFor([&] { return window.client()->role() != Role::Unknown; }, 20000))
            return false;
        window.showScreen(console::MainWindow::Admin);
        RouteAdminPage *page = window.admin()->routes();
        window.admin()->showPage(page);
        page->refresh();
        if (!QTest::qWaitFor([&] { return page->dataTime().isValid(); }, 20000))
            return false;
        page->selectRoute(m_route);
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_receiver.start());
        QVERIFY(m_down.start());
        m_down.answer(503, R"({"error":"maintenance"})");
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_routes"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QVERIFY(!test::createTenant(m_agent->db().url(), u"shop"_s).isEmpty());
        QVERIFY(!test::createTenant(m_agent->db().url(), u"billing"_s).isEmpty());
        QVERIFY(m_agent->start());
    }

    void cleanupTestCase() { QVERIFY2(m_agent->stop(), qPrintable(m_agent->output().right(3000))); }

    void aNamedRouteIsCreatedThroughTheEditor()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        RouteAdminPage page(client.get());
        QAbstractItemModelTester tester(page.model());
        QVERIFY(open(page, *client));
        QTRY_COMPARE(page.tenantPicker()->tenants(), (QStringList{u"billing"_s, u"shop"_s}));
        QVERIFY(page.newAction()->isEnabled());

        QPointer<RouteEditor> editor = page.newRoute();
        QVERIFY(editor && editor->isVisible() && editor->isNew());
        editor->tenantBox()->setCurrentText(u"shop"_s);
        QTest::keyClicks(editor->nameEdit(), u"ERP orders"_s);
        editor->channelBox()->setCurrentIndex(editor->channelBox()->findData(u"webhook"_s));
        QCOMPARE(editor->targetLabel()->text(), u"&URL:"_s);
        QTest::keyClicks(editor->targetEdit(), m_receiver.url(u"/erp"_s));
        QTest::keyClicks(editor->eventTypesEdit(), u"order.paid, order.refunded"_s);
        QTRY_VERIFY(editor->credentialsLoaded());
        QVERIFY(clickOk(editor));
        QVERIFY2(!page.editor(), qPrintable(editor ? editor->fieldError(QString()) : QString()));

        // Listed by name; the secret shown once, with a Copy button.
        QTRY_VERIFY(rowNamed(page, u"ERP orders"_s) >= 0);
        const int row = rowNamed(page, u"ERP orders"_s);
        const QAbstractItemModel *m = page.view()->model();
        QCOMPARE(m->index(row, RouteModel::Target).data().toString(), m_receiver.url(u"/erp"_s));
        QCOMPARE(m->index(row, RouteModel::EventTypes).data().toString(),
                 u"order.paid, order.refunded"_s);
        m_route = m->index(row, 0).data(RouteModel::IdRole).toLongLong();
        QVERIFY(
            m->index(row, 0).data(Qt::ToolTipRole).toString().contains(QString::number(m_route)));
        QCOMPARE(sql(u"SELECT name FROM endpoints WHERE id = %1"_s.arg(m_route)), u"ERP orders"_s);
        QTRY_VERIFY(page.secretDialog());
        auto *secret = qobject_cast<console::SecretDialog *>(page.secretDialog());
        QVERIFY(secret && secret->text().startsWith(u"whsec_"_s));
        QPushButton *copy = nullptr;
        for (QPushButton *b : secret->findChildren<QPushButton *>()) {
            if (b->text() == u"&Copy"_s)
                copy = b;
        }
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        QVERIFY(secret->isKept());
        secret->close();
    }

    void theUrlIsChangedInTheEditor()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        RouteEditor *editor = page.editRoute(m_route);
        QVERIFY(editor && !editor->isNew());
        QCOMPARE(editor->nameEdit()->text(), u"ERP orders"_s);
        editor->targetEdit()->clear();
        QTest::keyClicks(editor->targetEdit(), m_receiver.url(u"/erp-v2"_s));
        QTRY_VERIFY(editor->credentialsLoaded());
        QCOMPARE(editor->body().keys(), QStringList{u"target"_s}); // only what changed
        QVERIFY(clickOk(editor));
        QVERIFY(!page.editor());
        QCOMPARE(sql(u"SELECT url FROM endpoints WHERE id = %1"_s.arg(m_route)),
                 m_receiver.url(u"/erp-v2"_s));
        const int row = rowNamed(page, u"ERP orders"_s);
        QCOMPARE(page.view()->model()->index(row, RouteModel::Target).data().toString(),
                 m_receiver.url(u"/erp-v2"_s));
    }

    void aRefusedUrlKeepsTheEditorOpenWithTheReason()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        RouteEditor *editor = page.editRoute(m_route);
        QVERIFY(editor);
        editor->targetEdit()->setText(u"http://10.20.30.40/hook"_s);
        QVERIFY(clickOk(editor));
        QVERIFY(page.editor() && page.editor()->isVisible());
        QVERIFY2(editor->fieldError(u"target"_s).contains(u"10.20.30.40"_s),
                 qPrintable(editor->fieldError(u"target"_s)));
        QVERIFY(editor->fieldError(QString()).isEmpty());
        QCOMPARE(sql(u"SELECT url FROM endpoints WHERE id = %1"_s.arg(m_route)),
                 m_receiver.url(u"/erp-v2"_s));
        editor->reject();
    }

    void aTestSendIsDeliveredOnce()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        page.selectRoute(m_route);
        QVERIFY2(page.testAction()->isEnabled(), qPrintable(page.testAction()->toolTip()));
        const qsizetype before = m_receiver.received().size();
        page.testAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page.testOutcome().contains(u"delivered"_s), 30000);
        QVERIFY2(page.testOutcome().contains(u"HTTP 200"_s), qPrintable(page.testOutcome()));
        QCOMPARE(m_receiver.received().size(), before + 1);
        QCOMPARE(m_receiver.received().last().path, u"/erp-v2"_s);
        QVERIFY(m_receiver.received().last().body.contains("ferry.test"));
        QVERIFY(!page.isTestRunning());
        QVERIFY(page.testAction()->isEnabled());
    }

    void aFailedTestSendShowsTheError()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        RouteEditor *editor = page.newRoute();
        editor->tenantBox()->setCurrentText(u"billing"_s);
        editor->nameEdit()->setText(u"Ledger"_s);
        editor->targetEdit()->setText(m_down.url(u"/ledger"_s));
        QTRY_VERIFY(editor->credentialsLoaded());
        QVERIFY(clickOk(editor));
        QTRY_VERIFY(page.secretDialog());
        qobject_cast<console::SecretDialog *>(page.secretDialog())->copy();
        page.secretDialog()->close();
        const qint64 ledger = sql(u"SELECT id FROM endpoints WHERE name = 'Ledger'"_s).toLongLong();
        page.testRoute(ledger);
        QTRY_VERIFY_WITH_TIMEOUT(page.testOutcome().contains(u"failed"_s), 30000);
        QVERIFY2(page.testOutcome().contains(u"503"_s), qPrintable(page.testOutcome()));
        QCOMPARE(m_down.received().size(), 1);
    }

    void disablingAsksFirstAndEnablingBringsItBack()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        const qint64 ledger = sql(u"SELECT id FROM endpoints WHERE name = 'Ledger'"_s).toLongLong();
        page.selectRoute(ledger);
        QVERIFY(page.disableAction()->isEnabled());
        QVERIFY(!page.enableAction()->isEnabled());
        page.disableAction()->trigger();
        QMessageBox *box = page.findChild<QMessageBox *>();
        QVERIFY(box && box->text().contains(u"endpoint_disabled"_s));
        for (QAbstractButton *b : box->buttons()) {
            if (b->text() == u"&Disable"_s)
                b->click();
        }
        QTRY_COMPARE(sql(u"SELECT enabled::text FROM endpoints WHERE id = %1"_s.arg(ledger)),
                     u"false"_s);
        QTRY_VERIFY(page.enableAction()->isEnabled());
        QVERIFY(!page.testAction()->isEnabled());
        QVERIFY(page.testAction()->toolTip().contains(u"disabled"_s));
        page.enableAction()->trigger();
        QTRY_COMPARE(sql(u"SELECT enabled::text FROM endpoints WHERE id = %1"_s.arg(ledger)),
                     u"true"_s);
        QTRY_VERIFY(page.disableAction()->isEnabled());
    }

    void actionsFollowTheRole()
    {
        auto viewer = m_agent->connectedClient(u"viewer"_s);
        RouteAdminPage page(viewer.get());
        QVERIFY(open(page, *viewer));
        page.selectRoute(m_route);
        QCOMPARE(page.selectedRoute(), m_route);
        for (QAction *a : {page.newAction(), page.editAction(), page.disableAction()}) {
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
            QVERIFY2(a->toolTip().contains(u"Needs an admin token"_s) &&
                         a->toolTip().contains(u"viewer"_s),
                     qPrintable(a->toolTip()));
        }
        QVERIFY(!page.testAction()->isEnabled());
        QVERIFY2(page.testAction()->toolTip().contains(u"Needs an operator or admin token"_s),
                 qPrintable(page.testAction()->toolTip()));

        auto operatorClient = m_agent->connectedClient(u"operator"_s);
        RouteAdminPage operatorPage(operatorClient.get());
        QVERIFY(open(operatorPage, *operatorClient));
        operatorPage.selectRoute(m_route);
        QVERIFY(operatorPage.testAction()->isEnabled());
        QVERIFY(!operatorPage.editAction()->isEnabled());
        QVERIFY(operatorPage.editAction()->toolTip().contains(u"operator"_s));
    }

    void theFilterNarrowsTheRows()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        RouteAdminPage page(client.get());
        QVERIFY(open(page, *client));
        QCOMPARE(page.view()->model()->rowCount(), 2);
        QTest::keyClicks(page.filterEdit(), u"ledg"_s);
        QCOMPARE(page.view()->model()->rowCount(), 1);
        QCOMPARE(page.view()->model()->index(0, RouteModel::Name).data().toString(), u"Ledger"_s);
        page.setTenant(u"shop"_s);
        page.filterEdit()->clear();
        QTRY_COMPARE(page.view()->model()->rowCount(), 1);
        QCOMPARE(page.view()->model()->index(0, RouteModel::Name).data().toString(),
                 u"ERP orders"_s);
    }

    void screenshot()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showRoutes(window, u"admin"_s));
        window.admin()->routes()->testRoute(m_route);
        QTRY_VERIFY_WITH_TIMEOUT(window.admin()->routes()->testOutcome().contains(u"delivered"_s),
                                 30000);
        QVERIFY(test::saveScreenshot(window, u"admin-routes.png"_s));
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showRoutes(window, u"admin"_s));
        RouteAdminPage *page = window.admin()->routes();
        QCOMPARE(
            page->view()->model()->headerData(RouteModel::EventTypes, Qt::Horizontal).toString(),
            u"Ereignistypen"_s);
        QCOMPARE(page->testAction()->text(), u"&Testsendung"_s);
        page->testRoute(m_route);
        QTRY_VERIFY_WITH_TIMEOUT(page->testOutcome().contains(u"zugestellt"_s), 30000);
        QVERIFY(test::saveScreenshot(window, u"admin-routes-de.png"_s));
    }
};

QTEST_MAIN(TestConsoleRoutes)
#include "tst_console_routes.moc"
