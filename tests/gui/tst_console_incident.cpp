// An incident walked through in the console like a user would, against a real agent: the shop's
// partner moved its order endpoint, so the old URL answers 404 with where it went, and every
// delivery to the route "ERP orders" dies. Clicking on the real tabs, rows and buttons, the user
// finds the group in the DLQ inbox (By cause), reads a failed attempt's error (the partner's
// "moved to …"), fixes the route's URL in Administration → Routes, goes back to the inbox and
// replays the group after its preview (N deliveries, the endpoint and its new URL). Every delivery
// then reaches the new endpoint exactly once (N requests, N distinct webhook-ids, the published
// event ids), the DLQ of the route is empty, and the old endpoint got nothing after the fix. The
// walkthrough counts the user's clicks, keypresses and screens (asserted, printed for the README),
// runs in English and then in German, each with a fresh incident, and saves a screenshot of each
// step as incident/{en,de}-{1-group,2-error,3-fix-route,4-replay-preview}.png in
// FERRY_SCREENSHOT_DIR (a temporary folder without it).
#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/admin/routemodel.h"
#include "console/models/dlqgroupfiltermodel.h"
#include "console/models/dlqgroupmodel.h"
#include "console/models/dlqrecentattemptmodel.h"
#include "console/widgets/admin/adminwidget.h"
#include "console/widgets/admin/routeadminpage.h"
#include "console/widgets/admin/routeeditor.h"
#include "console/widgets/dlqwidget.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/triage/dlqgrouppane.h"
#include "console/widgets/triage/dlqgroupspage.h"
#include "tests/gui/consoletestagent.h"
#include "tests/support/recordingserver.h"

#include <QAction>
#include <QDir>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::DlqWidget;
using console::MainWindow;
using console::Role;
using console::RouteAdminPage;
using console::RouteEditor;

namespace {

constexpr int kEvents = 12; // N: the deliveries of one incident
// What the walkthrough needs: the DLQ inbox tab, the group, an attempt (clicks 1 to 3: found and
// read); Administration, Routes, the route, Edit…, into the URL field, OK (4 to 9: fixed); the
// DLQ inbox tab, Replay group…, Replay (10 to 12: replayed).
constexpr int kMaxClicks = 12;
constexpr int kMaxKeys = 1;     // Ctrl+A in the URL field
constexpr int kTypedFields = 1; // the new URL
const QStringList kScreens = {u"DLQ inbox"_s, u"Administration"_s, u"Administration › Routes"_s,
                              u"DLQ inbox"_s};

// The user's actions, counted: every mouse click, every shortcut, every field typed into, and
// every screen (a top-level tab or an Administration page) they went to.
struct Walkthrough
{
    int clicks = 0;
    int keys = 0;
    int typed = 0;
    QStringList screens;

    void click(QWidget *widget, QPoint at = {})
    {
        QTest::mouseClick(widget, Qt::LeftButton, {}, at.isNull() ? widget->rect().center() : at);
        ++clicks;
    }
    void clickTab(QTabWidget *tabs, int index, const QString &screen)
    {
        click(tabs->tabBar(), tabs->tabBar()->tabRect(index).center());
        screens.append(screen);
    }
    void clickRow(QTableView *view, int row, int column = 0)
    {
        const QModelIndex index = view->model()->index(row, column);
        view->scrollTo(index);
        click(view->viewport(), view->visualRect(index).center());
    }
    void press(QWidget *widget, Qt::Key key, Qt::KeyboardModifiers modifiers)
    {
        QTest::keyClick(widget, key, modifiers);
        ++keys;
    }
    void type(QWidget *widget, const QString &text)
    {
        QTest::keyClicks(widget, text);
        ++typed;
    }
};

// The visible button (a tool bar's or a pane's) that triggers `action` inside `scope`.
QToolButton *buttonFor(const QWidget *scope, const QAction *action)
{
    for (QToolButton *b : scope->findChildren<QToolButton *>()) {
        if (b->defaultAction() == action && b->isVisible())
            return b;
    }
    return nullptr;
}

QString groupText(const DlqWidget &inbox, int row, int column)
{
    return inbox.groups()->proxy()->index(row, column).data().toString();
}

// The user's effort, printed for the README and held to what the walkthrough needs.
void checkEffort(const Walkthrough &user, const QString &language)
{
    qInfo().noquote() << u"Incident walkthrough (%1): %2 clicks, %3 keypress, %4 field typed; "
                         "screens: %5"_s.arg(language)
                             .arg(user.clicks)
                             .arg(user.keys)
                             .arg(user.typed)
                             .arg(user.screens.join(u" → "_s));
    QVERIFY2(user.clicks <= kMaxClicks, qPrintable(QString::number(user.clicks)));
    QVERIFY(user.keys <= kMaxKeys);
    QCOMPARE(user.typed, kTypedFields);
    QCOMPARE(user.screens, kScreens);
}

} // namespace

class TestConsoleIncident : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<console::ApiClient> m_admin; // the test's own calls, never the user's
    test::RecordingServer m_old;                 // the partner's old endpoint: 404, moved
    test::RecordingServer m_new;                 // its new endpoint: 200
    QString m_shopToken;
    qint64 m_route = 0;
    int m_published = 0;

    QString oldUrl() const { return m_old.url(u"/orders"_s); }
    QString newUrl() const { return m_new.url(u"/v2/orders"_s); }

    int deadOfRoute()
    {
        return m_agent->db()
            .scalar(
                u"SELECT count(*) FROM deliveries WHERE state = 'dead' AND endpoint_id = %1"_s.arg(
                    m_route))
            .toInt();
    }

    // The admin API's answer to one call (status 0: none within 20 s).
    console::ApiResponse call(const QString &method, const QString &path,
                              const QJsonObject &body = {})
    {
        console::ApiResponse answer;
        bool done = false;
        const auto keep = [&](const console::ApiResponse &r) {
            answer = r;
            done = true;
        };
        if (method == "POST"_L1)
            m_admin->post(path, body, nullptr, keep);
        else if (method == "PATCH"_L1)
            m_admin->patch(path, body, nullptr, keep);
        else
            m_admin->get(path, {}, nullptr, keep);
        if (!QTest::qWaitFor([&] { return done; }, 20000))
            qWarning() << method << path << "got no answer";
        return answer;
    }

    // The incident: the route points at the old endpoint again, N events are published and all
    // die there (the old endpoint got each once). *ids: the published event ids.
    void startIncident(QSet<QString> *ids)
    {
        const console::ApiResponse moved =
            call(u"PATCH"_s, u"/v1/routes/%1"_s.arg(m_route), {{u"target"_s, oldUrl()}});
        QVERIFY2(moved.ok(), moved.body.constData());
        const qsizetype before = m_old.received().size();
        for (int i = 0; i < kEvents; ++i) {
            const QString id = u"order-%1"_s.arg(++m_published);
            QCOMPARE(test::publish(m_agent->httpPort(), m_shopToken, id, id), 202);
            ids->insert(id);
        }
        QTRY_COMPARE_WITH_TIMEOUT(deadOfRoute(), kEvents, 30000);
        QCOMPARE(m_old.received().size(), before + kEvents);
    }

    // The dialog as a window manager would frame it: a title bar with its title over it.
    static QPixmap framed(QWidget *dialog)
    {
        const QPixmap content = dialog->grab();
        const int bar = dialog->fontMetrics().height() + 10;
        QPixmap frame(content.width() + 2, content.height() + bar + 1);
        frame.fill(dialog->palette().color(QPalette::Dark));
        QPainter painter(&frame);
        const QRect title(1, 1, content.width(), bar - 1);
        painter.fillRect(title, dialog->palette().color(QPalette::Window).darker(115));
        QFont bold = dialog->font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(dialog->palette().color(QPalette::WindowText));
        painter.drawText(title, Qt::AlignCenter, dialog->windowTitle());
        painter.drawPixmap(1, bar, content);
        return frame;
    }

    // A screenshot of the window, with `dialog` (a window of its own) drawn over it where it is
    // shown, saved as incident/<name>.png.
    static bool screenshot(QWidget &window, const QString &name, QWidget *dialog = nullptr)
    {
        QPixmap image = window.grab();
        if (dialog) {
            const QPixmap over = framed(dialog);
            const int bar = over.height() - dialog->height() - 1;
            QPoint at = window.mapFromGlobal(dialog->mapToGlobal(QPoint(-1, -bar)));
            if (!image.rect().contains(QRect(at, over.size())))
                at = image.rect().center() - over.rect().center();
            QPainter(&image).drawPixmap(at, over);
        }
        QTemporaryDir temporary;
        const QDir dir(qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path()));
        if (!dir.mkpath(u"incident"_s))
            return false;
        const QString path = dir.filePath(u"incident/%1.png"_s.arg(name));
        return image.save(path) && QImage(path).width() == window.width();
    }

    // The window, connected with an admin token, on screen at 1200×800.
    bool openWindow(MainWindow &window)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"admin"_s),
                         false);
        if (!QTest::qWaitFor([&] { return window.client()->role() == Role::Admin; }, 20000))
            return false;
        window.resize(1200, 800);
        window.show();
        return QTest::qWaitForWindowExposed(&window);
    }

    void walkThrough(const QString &language);
    void findTheGroup(MainWindow &window, Walkthrough &user, const QString &language);
    void readTheError(MainWindow &window, Walkthrough &user, const QString &language);
    void fixTheRoute(MainWindow &window, Walkthrough &user, const QString &language);
    void replayTheGroup(MainWindow &window, Walkthrough &user, const QString &language);
    void checkDeliveredOnce(qsizetype newBefore, const QSet<QString> &published);

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { QVERIFY2(m_agent->stop(), qPrintable(m_agent->output().right(3000))); }
    void inEnglish();
    // Last: the UI language stays German from here on.
    void inGerman();
};

void TestConsoleIncident::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_old.start());
    QVERIFY(m_new.start());
    m_old.answer(404, u"{\"error\":\"this endpoint moved to %1\"}"_s.arg(newUrl()).toUtf8());
    m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_incident"_s);
    QString error;
    QVERIFY2(m_agent->prepare(&error), qPrintable(error));
    m_shopToken = test::createTenant(m_agent->db().url(), u"shop"_s);
    QVERIFY(!m_shopToken.isEmpty());
    QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
    m_admin = m_agent->connectedClient(u"admin"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_admin->role(), Role::Admin, 20000);
    // One attempt per delivery: they die at once.
    const console::ApiResponse created = call(u"POST"_s, u"/v1/routes"_s,
                                              {{u"tenant"_s, u"shop"_s},
                                               {u"name"_s, u"ERP orders"_s},
                                               {u"channel"_s, u"webhook"_s},
                                               {u"target"_s, oldUrl()},
                                               {u"max_attempts"_s, 1}});
    QVERIFY2(created.status == 201, created.body.constData());
    m_route = created.object.value("id"_L1).toInteger();
    QVERIFY(m_route > 0);
}

// 1. DLQ inbox → By cause: the route's group, with N dead and the reason, selected.
void TestConsoleIncident::findTheGroup(MainWindow &window, Walkthrough &user,
                                       const QString &language)
{
    auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
    QVERIFY(tabs);
    user.clickTab(tabs, MainWindow::Dlq, kScreens.at(0));
    DlqWidget *inbox = window.dlq();
    QCOMPARE(tabs->currentWidget(), inbox);
    QVERIFY(inbox->showsGroups()); // the inbox opens by cause
    if (language == "de"_L1) {
        QCOMPARE(tabs->tabText(MainWindow::Dlq), u"DL&Q-Eingang"_s);
        QCOMPARE(inbox->views()->tabText(0), u"Nach U&rsache"_s);
    }
    QTRY_COMPARE_WITH_TIMEOUT(inbox->groups()->proxy()->rowCount(), 1, 20000);
    QCOMPARE(groupText(*inbox, 0, console::DlqGroupModel::Count), QString::number(kEvents));
    QCOMPARE(groupText(*inbox, 0, console::DlqGroupModel::Endpoint), u"ERP orders — "_s + oldUrl());
    QCOMPARE(groupText(*inbox, 0, console::DlqGroupModel::Reason),
             language == "de"_L1 ? u"abgelehnt (HTTP 4xx)"_s : u"refused (HTTP 4xx)"_s);
    user.clickRow(inbox->groups()->view(), 0, console::DlqGroupModel::Endpoint);
    QVERIFY(inbox->groups()->selectedGroup());
    QCOMPARE(inbox->groups()->selectedGroup()->endpoint, m_route);
    QTRY_COMPARE_WITH_TIMEOUT(inbox->groups()->pane()->recentAttempts()->rowCount(),
                              console::DlqGroupPane::kRecentDeliveries, 20000);
    QVERIFY(screenshot(window, language + u"-1-group"_s));
}

// 2. A failed attempt of the group: its whole error, where the partner says where it moved.
void TestConsoleIncident::readTheError(MainWindow &window, Walkthrough &user,
                                       const QString &language)
{
    console::DlqGroupPane *pane = window.dlq()->groups()->pane();
    QTRY_VERIFY_WITH_TIMEOUT(pane->recentAttempts()->rowCount() > 0, 20000);
    user.clickRow(pane->attemptView(), 0, console::DlqRecentAttemptModel::Error);
    const QString error = pane->attemptErrorText();
    QVERIFY2(error.startsWith(u"HTTP 404"_s), qPrintable(error));
    QVERIFY2(error.contains(u"this endpoint moved to "_s + newUrl()), qPrintable(error));
    QVERIFY(screenshot(window, language + u"-2-error"_s));
}

// 3. Administration → Routes → "ERP orders" → Edit…: the new URL, OK.
void TestConsoleIncident::fixTheRoute(MainWindow &window, Walkthrough &user,
                                      const QString &language)
{
    auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
    user.clickTab(tabs, MainWindow::Admin, kScreens.at(1));
    console::AdminWidget *admin = window.admin();
    RouteAdminPage *routes = admin->routes();
    user.clickTab(admin->tabs(), admin->tabs()->indexOf(routes), kScreens.at(2));
    QCOMPARE(admin->currentPage(), routes);
    if (language == "de"_L1) {
        QCOMPARE(tabs->tabText(MainWindow::Admin), u"&Verwaltung"_s);
        QCOMPARE(admin->tabs()->tabText(admin->tabs()->indexOf(routes)), u"Routen"_s);
    }
    QTRY_VERIFY_WITH_TIMEOUT(routes->view()->model()->rowCount() == 1, 20000);
    const QModelIndex name = routes->view()->model()->index(0, console::RouteModel::Name);
    QCOMPARE(name.data().toString(), u"ERP orders"_s);
    user.clickRow(routes->view(), 0, console::RouteModel::Name);
    QCOMPARE(routes->selectedRoute(), m_route);
    QToolButton *edit = buttonFor(routes, routes->editAction());
    QVERIFY(edit && edit->isEnabled());
    user.click(edit);
    QPointer<RouteEditor> editor = routes->editor();
    QVERIFY(editor && editor->isVisible() && !editor->isNew());
    QCOMPARE(editor->windowTitle(), language == "de"_L1 ? u"Route bearbeiten"_s : u"Edit route"_s);
    QCOMPARE(editor->targetEdit()->text(), oldUrl());
    QTRY_VERIFY_WITH_TIMEOUT(editor->credentialsLoaded(), 20000);
    user.click(editor->targetEdit());
    user.press(editor->targetEdit(), Qt::Key_A, Qt::ControlModifier);
    user.type(editor->targetEdit(), newUrl());
    QCOMPARE(editor->body(), QJsonObject({{u"target"_s, newUrl()}})); // only what changed
    QVERIFY(screenshot(window, language + u"-3-fix-route"_s, editor));
    const qsizetype oldBefore = m_old.received().size();
    user.click(editor->okButton());
    QTRY_VERIFY2_WITH_TIMEOUT(!editor || !editor->isVisible(),
                              qPrintable(editor ? editor->fieldError(QString()) : QString()),
                              20000);
    QCOMPARE(call(u"GET"_s, u"/v1/routes/%1"_s.arg(m_route)).object.value("target"_L1).toString(),
             newUrl());
    QCOMPARE(m_old.received().size(), oldBefore);
}

// 4. Back in the DLQ inbox (its groups load again when it is shown, and the preview reads the
// route as it is now): Replay group…, the preview (it opens with open(), not
// exec()), Replay.
void TestConsoleIncident::replayTheGroup(MainWindow &window, Walkthrough &user,
                                         const QString &language)
{
    auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
    user.clickTab(tabs, MainWindow::Dlq, kScreens.at(3));
    DlqWidget *inbox = window.dlq();
    QVERIFY(inbox->showsGroups());
    QTRY_COMPARE_WITH_TIMEOUT(groupText(*inbox, 0, console::DlqGroupModel::Endpoint),
                              u"ERP orders — "_s + newUrl(), 20000);
    QVERIFY(inbox->groups()->selectedGroup()); // still the group
    QCOMPARE(inbox->groups()->selectedGroup()->endpoint, m_route);
    QToolButton *replay = buttonFor(inbox->groups()->pane(), inbox->groups()->replayAction());
    QVERIFY(replay && replay->isEnabled());
    user.click(replay);
    QMessageBox *preview = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((preview = inbox->findChild<QMessageBox *>()) != nullptr, 20000);
    QTRY_VERIFY(preview->isVisible());
    const bool de = language == "de"_L1;
    const QString count = (de ? u"Erneut zuzustellende tote Zustellungen: %1."_s
                              : u"Dead deliveries to replay: %1."_s)
                              .arg(kEvents);
    const QString endpoint =
        (de ? u"Endpunkt: "_s : u"Endpoint: "_s) + u"ERP orders — "_s + newUrl();
    QVERIFY2(preview->text().contains(count), qPrintable(preview->text()));
    QVERIFY2(preview->informativeText().contains(endpoint), qPrintable(preview->informativeText()));
    QCOMPARE(preview->windowTitle(), de ? u"Gruppe erneut zustellen"_s : u"Replay group"_s);
    QVERIFY(screenshot(window, language + u"-4-replay-preview"_s, preview));
    QAbstractButton *yes = preview->button(QMessageBox::Yes);
    QVERIFY(yes);
    user.click(yes);
    // Every delivery of the route ends delivered: none dead, none on its way.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_agent->db().scalar(u"SELECT count(*) FROM deliveries WHERE endpoint_id = %1 AND state"
                             " <> 'succeeded'"_s.arg(m_route)),
        u"0"_s, 30000);
}

// Exactly once at the new endpoint since `newBefore`: N requests, N distinct webhook-ids, the
// published event ids.
void TestConsoleIncident::checkDeliveredOnce(qsizetype newBefore, const QSet<QString> &published)
{
    QTRY_COMPARE_WITH_TIMEOUT(m_new.received().size(), newBefore + kEvents, 30000);
    QSet<QByteArray> webhookIds;
    QSet<QString> eventIds;
    for (qsizetype i = newBefore; i < m_new.received().size(); ++i) {
        const test::RecordingServer::Request &r = m_new.received().at(i);
        QCOMPARE(r.path, u"/v2/orders"_s);
        webhookIds.insert(r.headers.value("webhook-id"));
        eventIds.insert(QJsonDocument::fromJson(r.body).object().value("id"_L1).toString());
    }
    QCOMPARE(webhookIds.size(), kEvents);
    QVERIFY(!webhookIds.contains(QByteArray()));
    QCOMPARE(eventIds, published);
}

void TestConsoleIncident::walkThrough(const QString &language)
{
    QSet<QString> published;
    startIncident(&published);
    if (QTest::currentTestFailed())
        return;
    const qsizetype oldBefore = m_old.received().size();
    const qsizetype newBefore = m_new.received().size();
    console::TokenStore tokens(
        std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
    MainWindow window(&tokens);
    QVERIFY(openWindow(window));
    Walkthrough user;
    using Step = void (TestConsoleIncident::*)(MainWindow &, Walkthrough &, const QString &);
    for (Step step : {&TestConsoleIncident::findTheGroup, &TestConsoleIncident::readTheError,
                      &TestConsoleIncident::fixTheRoute, &TestConsoleIncident::replayTheGroup}) {
        (this->*step)(window, user, language);
        if (QTest::currentTestFailed())
            return;
    }
    checkDeliveredOnce(newBefore, published);
    if (QTest::currentTestFailed())
        return;
    // Nothing more at the old endpoint since the incident, and nothing left in the DLQ.
    QCOMPARE(m_old.received().size(), oldBefore);
    QCOMPARE(deadOfRoute(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(window.dlq()->groups()->proxy()->rowCount(), 0, 20000);
    checkEffort(user, language);
}

void TestConsoleIncident::inEnglish()
{
    walkThrough(u"en"_s);
}

void TestConsoleIncident::inGerman()
{
    QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
    walkThrough(u"de"_s);
}

QTEST_MAIN(TestConsoleIncident)
#include "tst_console_incident.moc"
