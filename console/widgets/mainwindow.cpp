#include "console/widgets/mainwindow.h"

#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "console/core/tokenstore.h"
#include "console/models/dlqmodel.h"
#include "console/models/tenantslamodel.h"
#include "console/widgets/admin/adminwidget.h"
#include "console/widgets/channelswidget.h"
#include "console/widgets/connectiondialog.h"
#include "console/widgets/dashboardwidget.h"
#include "console/widgets/dlqwidget.h"
#include "console/widgets/jobswidget.h"
#include "console/widgets/language.h"
#include "console/widgets/reconciliationwidget.h"
#include "console/widgets/reportswidget.h"
#include "console/widgets/tenantswidget.h"
#include "console/widgets/tracewidget.h"
#include "console/widgets/workflowswidget.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::console {

MainWindow::MainWindow(TokenStore *tokens, QWidget *parent)
    : QMainWindow(parent)
    , m_tokens(tokens)
    , m_client(new ApiClient(this))
    , m_feed(new LiveFeed(m_client, this))
    , m_tabs(new QTabWidget(this))
    , m_dashboard(new DashboardWidget(this))
    , m_dlq(new DlqWidget(m_client, this))
    , m_trace(new TraceWidget(m_client, this))
    , m_channels(new ChannelsWidget(this))
    , m_tenants(new TenantsWidget(m_client, this))
    , m_reports(new ReportsWidget(m_client, this))
    , m_reconciliation(new ReconciliationWidget(m_client, this))
    , m_workflows(new WorkflowsWidget(m_client, this))
    , m_jobs(new JobsWidget(m_client, this))
    , m_admin(new AdminWidget(m_client, this))
    , m_state(new QLabel(this))
    , m_role(new QLabel(this))
    , m_version(new QLabel(this))
    , m_age(new QLabel(this))
    , m_keychain(new QLabel(this))
    , m_tick(new QTimer(this))
{
    setWindowTitle(tr("Ferry Console"));
    setObjectName(u"MainWindow"_s);
    buildTabs();
    buildStatusBar();
    buildConnectionMenu();
    buildViewMenu();
    QMenu *dlqMenu = menuBar()->addMenu(tr("D&LQ"));
    dlqMenu->addActions(m_dlq->screenActions());
    QMenu *reportsMenu = menuBar()->addMenu(tr("Re&ports"));
    reportsMenu->addActions(m_reports->screenActions());
    connectClient();
    connectScreens();
    startTick();
    restoreWindow();
}

void MainWindow::buildTabs()
{
    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    m_tabs->addTab(m_dlq, tr("DL&Q inbox"));
    m_tabs->addTab(m_trace, tr("Delivery &trace"));
    m_tabs->addTab(m_channels, tr("C&hannel health"));
    m_tabs->addTab(m_tenants, tr("Te&nants"));
    m_tabs->addTab(m_reports, tr("&Reports"));
    m_tabs->addTab(m_reconciliation, tr("Reconc&iliation"));
    m_tabs->addTab(m_workflows, tr("&Workflows"));
    m_tabs->addTab(m_jobs, tr("Schedules && &jobs"));
    m_tabs->addTab(m_admin, tr("&Administration"));
    m_tabs->setAccessibleName(tr("Screens"));
    setCentralWidget(m_tabs);
}

void MainWindow::buildStatusBar()
{
    m_state->setAccessibleName(tr("Connection state"));
    m_role->setAccessibleName(tr("Token role"));
    m_version->setAccessibleName(tr("Agent version"));
    m_age->setAccessibleName(tr("Age of the data on screen"));
    m_keychain->setAccessibleName(tr("Keychain"));
    m_keychain->setStyleSheet(u"color: #b3261e"_s);
    m_age->setMinimumWidth(m_age->fontMetrics().horizontalAdvance(tr("Data %n min old", "", 999)) +
                           8);
    statusBar()->addWidget(m_state, 1);
    statusBar()->addPermanentWidget(m_keychain);
    statusBar()->addPermanentWidget(m_role);
    statusBar()->addPermanentWidget(m_version);
    statusBar()->addPermanentWidget(m_age);
}

void MainWindow::buildConnectionMenu()
{
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    QAction *connectAction =
        connection->addAction(tr("&Connect…"), this, &MainWindow::openConnectionDialog);
    connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    QAction *reconnect =
        connection->addAction(tr("&Reconnect"), m_client, &ApiClient::connectToAgent);
    reconnect->setShortcut(QKeySequence(tr("Ctrl+Shift+K")));
    connection->addAction(tr("&Disconnect"), m_client, &ApiClient::disconnectFromAgent);
    connection->addSeparator();
    QAction *settings = connection->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence(tr("Ctrl+,")));
    QAction *quit = connection->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

// A screen a shortcut (Ctrl+1…9, Ctrl+0), and Find delivery.
void MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QList<QPair<QString, Screen>> screens = {{tr("&Dashboard"), Dashboard},
                                                   {tr("DL&Q inbox"), Dlq},
                                                   {tr("Delivery &trace"), Trace},
                                                   {tr("C&hannel health"), Channels},
                                                   {tr("Te&nants"), Tenants},
                                                   {tr("&Reports"), Reports},
                                                   {tr("Reconc&iliation"), Reconciliation},
                                                   {tr("&Workflows"), Workflows},
                                                   {tr("Schedules && &jobs"), Jobs},
                                                   {tr("&Administration"), Admin}};
    for (int i = 0; i < screens.size(); ++i) {
        QAction *a = view->addAction(screens[i].first);
        a->setShortcut(QKeySequence(Qt::CTRL | (i < 9 ? Qt::Key(Qt::Key_1 + i) : Qt::Key_0)));
        const Screen s = screens[i].second;
        connect(a, &QAction::triggered, this, [this, s] { showScreen(s); });
        if (s == Reports)
            m_reportsAction = a;
    }
    QAction *find = view->addAction(tr("&Find delivery…"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        showScreen(Trace);
        m_trace->focusSearch();
    });
}

void MainWindow::connectClient()
{
    connect(m_client, &ApiClient::stateChanged, this, [this](ApiClient::State state) {
        updateStatus();
        if (state == ApiClient::State::Connected) {
            m_dlq->refresh();
            m_tenants->refresh();
            m_reconciliation->refreshTenants();
            m_workflows->refreshTenants();
            m_jobs->refreshTenants();
            if (m_tabs->currentWidget() == m_admin)
                m_admin->refresh();
        } else if (state == ApiClient::State::PinMismatch || state == ApiClient::State::TlsFailed ||
                   state == ApiClient::State::Unauthorized) {
            auto *box = new QMessageBox(QMessageBox::Critical, tr("Connection refused"),
                                        m_client->lastError(), QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    connect(m_client, &ApiClient::trustRequired, this, &MainWindow::askTrust);
    connect(m_client, &ApiClient::pinned, this, &MainWindow::rememberPin);
    connect(m_client, &ApiClient::roleChanged, this, &MainWindow::applyRole);
    connect(m_client, &ApiClient::agentVersionChanged, this, &MainWindow::updateStatus);
    connect(m_client, &ApiClient::agentUrlChanged, this, &MainWindow::updateStatus);
}

void MainWindow::connectScreens()
{
    connect(m_feed, &LiveFeed::snapshot, m_dashboard, &DashboardWidget::addSnapshot);
    connect(m_feed, &LiveFeed::snapshot, m_channels, &ChannelsWidget::addSnapshot);
    connect(m_feed, &LiveFeed::snapshot, m_dlq, &DlqWidget::addSnapshot);
    connect(m_feed, &LiveFeed::statusChanged, m_dashboard, &DashboardWidget::setFeedStatus);
    connect(m_tokens, &TokenStore::keychainProblemChanged, this, &MainWindow::updateStatus);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    // Back on the inbox (a route may have been fixed on another screen): its groups again.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_dlq && m_dlq->dataTime().isValid())
            m_dlq->refresh();
    });
    connect(m_dlq, &DlqWidget::actionDone, this,
            [this](const QString &what) { statusBar()->showMessage(what, 8000); });
    connect(m_reconciliation, &ReconciliationWidget::actionDone, this,
            [this](const QString &what) { statusBar()->showMessage(what, 8000); });
    connect(m_jobs, &JobsWidget::actionDone, this,
            [this](const QString &what) { statusBar()->showMessage(what, 8000); });
    connect(m_admin, &AdminWidget::actionDone, this,
            [this](const QString &what) { statusBar()->showMessage(what, 8000); });
}

// Every second: the status bar; every 30 s, the inbox, the tenant list or the reconciliation
// report while it is on screen, every 10 s the workflows, and the schedules and jobs (their jobs
// every 2 s while one runs).
void MainWindow::startTick()
{
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        updateStatus();
        if (m_client->state() != ApiClient::State::Connected)
            return;
        const auto stale = [](const QDateTime &t, int seconds = 30) {
            return !t.isValid() || t.secsTo(QDateTime::currentDateTimeUtc()) >= seconds;
        };
        const QWidget *shown = m_tabs->currentWidget();
        if (shown == m_dlq && stale(m_dlq->dataTime()))
            m_dlq->refresh();
        if (shown == m_tenants && stale(m_tenants->dataTime()))
            m_tenants->refresh();
        if (shown == m_reconciliation && stale(m_reconciliation->dataTime()))
            m_reconciliation->refreshTenants();
        if (shown == m_workflows &&
            stale(m_workflows->dataTime(), WorkflowsWidget::kRefreshSeconds))
            m_workflows->refreshTenants();
        if (shown == m_jobs)
            m_jobs->reloadDue();
        if (shown == m_admin)
            m_admin->reloadDue();
    });
    m_tick->start();
}

void MainWindow::restoreWindow()
{
    QSettings s;
    restoreGeometry(s.value(u"window/geometry"_s).toByteArray());
    restoreState(s.value(u"window/state"_s).toByteArray());
    m_dlq->restoreLayout(s.value(u"window/dlq_splitter"_s).toByteArray());
    applyRole(Role::Unknown);
    // Reports come back once the token is known to be an admin's.
    const int screen = s.value(u"window/screen"_s, 0).toInt();
    m_tabs->setCurrentIndex(screen == Reports ? Dashboard : screen);
    if (!s.contains(u"window/geometry"_s))
        resize(1200, 800);
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(u"window/geometry"_s, saveGeometry());
    s.setValue(u"window/state"_s, saveState());
    s.setValue(u"window/dlq_splitter"_s, m_dlq->saveLayout());
    s.setValue(u"window/screen"_s, m_tabs->currentIndex());
    QMainWindow::closeEvent(event);
}

void MainWindow::showScreen(Screen screen)
{
    if (isScreenAvailable(screen))
        m_tabs->setCurrentIndex(int(screen));
}

bool MainWindow::isScreenAvailable(Screen screen) const
{
    return m_tabs->isTabVisible(int(screen));
}

void MainWindow::applyRole(Role role)
{
    m_dlq->setRole(role);
    m_reports->setRole(role);
    m_reconciliation->setRole(role);
    m_jobs->setRole(role);
    m_admin->applyRole(role, m_client->tenantScope());
    // Reports are for admin tokens: the screen is there only once the role is known to be admin.
    const bool admin = role == Role::Admin;
    m_tabs->setTabVisible(Reports, admin);
    if (m_reportsAction) {
        m_reportsAction->setEnabled(admin);
        m_reportsAction->setToolTip(admin ? QString() : tr("Reports need an admin token."));
    }
    if (admin)
        m_reports->refresh();
    updateStatus();
}

QString MainWindow::statusText() const
{
    return m_state->text();
}

// When the data on the current screen was loaded (invalid: not yet).
QDateTime MainWindow::shownDataTime() const
{
    const QWidget *shown = m_tabs->currentWidget();
    if (shown == m_dashboard)
        return m_dashboard->dataTime();
    if (shown == m_dlq)
        return m_dlq->dataTime();
    if (shown == m_channels)
        return m_channels->dataTime();
    if (shown == m_tenants)
        return m_tenants->dataTime();
    if (shown == m_reports)
        return m_reports->dataTime();
    if (shown == m_reconciliation)
        return m_reconciliation->dataTime();
    if (shown == m_workflows)
        return m_workflows->dataTime();
    if (shown == m_jobs)
        return m_jobs->dataTime();
    if (shown == m_admin)
        return m_admin->dataTime();
    return m_trace->dataTime();
}

void MainWindow::updateStatus()
{
    m_state->setText(m_client->stateText());
    m_state->setToolTip(m_client->lastError());
    const bool connected = m_client->state() == ApiClient::State::Connected;
    m_role->setText(connected ? tr("Role: %1").arg(roleText(m_client->role())) : QString());
    m_version->setText(m_client->agentVersion().isEmpty()
                           ? tr("Agent version: unknown")
                           : tr("Agent %1").arg(m_client->agentVersion()));
    m_version->setToolTip(tr("The agent reports its version in the live feed."));
    const QDateTime when = shownDataTime();
    if (!when.isValid()) {
        m_age->setText(tr("No data yet"));
    } else {
        const qint64 age = when.secsTo(QDateTime::currentDateTimeUtc());
        m_age->setText(age < 120 ? tr("Data %n s old", "", int(age))
                                 : tr("Data %n min old", "", int(age / 60)));
    }
    const QString problem = m_tokens->keychainProblem();
    m_keychain->setText(problem.isEmpty() ? QString() : tr("Token not remembered"));
    m_keychain->setToolTip(problem.isEmpty()
                               ? QString()
                               : tr("Tokens are not remembered: %1. The token is kept in memory "
                                    "until the console closes.")
                                     .arg(problem));
}

void MainWindow::startUp()
{
    QSettings s;
    const QString last = s.value(u"connection/last"_s).toString();
    for (const ConnectionProfile &p : loadProfiles(s)) {
        if (p.id != last)
            continue;
        const QPointer<MainWindow> self(this);
        m_tokens->load(p.id, [self, p](const QString &token) {
            if (!self)
                return;
            if (token.isEmpty())
                self->openConnectionDialog();
            else
                self->connectTo(p, token, true);
        });
        return;
    }
    QTimer::singleShot(0, this, &MainWindow::openConnectionDialog);
}

void MainWindow::connectTo(const ConnectionProfile &profile, const QString &token, bool remember)
{
    m_rememberProfile = remember;
    if (remember)
        QSettings().setValue(u"connection/last"_s, profile.id);
    m_dashboard->clear();
    m_channels->clear();
    m_tenants->model()->clear();
    m_reconciliation->clear();
    m_workflows->clear();
    m_jobs->clear();
    m_admin->clear();
    m_client->setProfile(profile, token);
    m_client->connectToAgent();
    updateStatus();
}

void MainWindow::openConnectionDialog()
{
    auto *dialog = new ConnectionDialog(m_tokens, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_client->profile().id.isEmpty())
        dialog->selectProfile(m_client->profile().id);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ConnectionProfile p = dialog->chosenProfile();
        const QString token = dialog->chosenToken();
        const QPointer<MainWindow> self(this); // the keychain may answer after the window closed
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set by the constructor, never null
        m_tokens->save(p.id, token, [self](bool remembered) {
            if (!self)
                return;
            if (!remembered)
                self->statusBar()->showMessage(tr("The token is kept for this session only: %1.")
                                                   .arg(self->m_tokens->keychainProblem()),
                                               15000);
            self->updateStatus();
        });
        connectTo(p, token, true);
    });
    dialog->open();
}

void MainWindow::askTrust(const QString &fingerprint, const QString &subject)
{
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Confirm the agent's certificate"));
    box->setText(
        tr("This is the first connection to %1. Its certificate key has the "
           "fingerprint:<br><br><b>%2</b><br><br>Compare it with the fingerprint that "
           "'ferry-agent cert generate' printed on the agent's host (or ask its "
           "administrator). Trust and pin it only if they are the same.")
            .arg(m_client->profile().url.toString().toHtmlEscaped(), fingerprint.toHtmlEscaped()));
    if (!subject.isEmpty())
        box->setInformativeText(tr("Certificate subject: %1").arg(subject));
    QPushButton *trust = box->addButton(tr("&Trust and pin"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, trust, fingerprint](int) {
        if (box->clickedButton() == trust)
            m_client->trustFingerprint(fingerprint);
        else
            m_client->disconnectFromAgent();
    });
    box->open();
}

void MainWindow::rememberPin(const ConnectionProfile &profile) const
{
    if (!m_rememberProfile)
        return;
    QSettings s;
    QList<ConnectionProfile> profiles = loadProfiles(s);
    for (ConnectionProfile &p : profiles) {
        if (p.id == profile.id)
            p.pin = profile.pin;
    }
    saveProfiles(s, profiles);
}

void MainWindow::openSettings()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Settings"));
    auto *language = new QComboBox(dialog);
    language->setAccessibleName(tr("Language"));
    for (const auto &[code, name] : availableLanguages())
        language->addItem(name, code);
    language->setCurrentIndex(std::max(0, language->findData(languageSetting())));
    auto *note = new QLabel(tr("A new language applies when the console starts again."), dialog);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("&Language:"), language);
    form->addRow(note);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this,
            [language] { setLanguageSetting(language->currentData().toString()); });
    dialog->open();
}

void MainWindow::renderScreenshots(const QString &dir)
{
    QDir().mkpath(dir);
    // Give the live feed time to fill the charts, then load the lists, show a delivery in the
    // inbox and the trace and the failing endpoint's errors, then render each screen.
    QTimer::singleShot(18000, this, [this] {
        m_dlq->refresh();
        m_tenants->refresh();
        if (isScreenAvailable(Reports)) {
            m_reports->setChosenTenants(m_reports->tenants());
            m_reports->preview();
        }
    });
    QTimer::singleShot(21000, this, [this] {
        if (m_dlq->model()->rowCount() > 0) {
            m_dlq->view()->selectRow(0);
            const QString id = m_dlq->selectedIds().value(0);
            const int row = m_dlq->model()->rowOf(id);
            if (row >= 0) // by event id: the trace lists its delivery, then shows its attempts
                m_trace->search(TraceWidget::SearchBy::EventId, m_dlq->model()->item(row).eventId);
        }
        // The current row without a selection: its errors show below, its highlight stays.
        const QAbstractItemModel *health = m_channels->view()->model();
        for (int row = 0; row < health->rowCount(); ++row) {
            if (health->index(row, 0).data(Qt::BackgroundRole).isValid()) {
                m_channels->view()->selectionModel()->setCurrentIndex(
                    health->index(row, 0), QItemSelectionModel::NoUpdate);
                break;
            }
        }
    });
    QTimer::singleShot(25000, this, [this, dir] {
        const QList<QPair<Screen, QString>> shots = {
            {Dashboard, u"dashboard"_s},     {Dlq, u"dlq-inbox"_s},   {Trace, u"delivery-trace"_s},
            {Channels, u"channel-health"_s}, {Tenants, u"tenants"_s}, {Reports, u"reports"_s}};
        for (const auto &[screen, name] : shots) {
            if (!isScreenAvailable(screen))
                continue;
            showScreen(screen);
            updateStatus();
            grab().save(QDir(dir).filePath(name + u".png"_s));
        }
        const auto connections = [this, dir] {
            auto *dialog = new ConnectionDialog(m_tokens, this);
            dialog->show();
            QTimer::singleShot(1000, dialog, [dialog, dir] {
                dialog->grab().save(QDir(dir).filePath(u"connections.png"_s));
                QApplication::quit();
            });
        };
        if (!isScreenAvailable(Reports)) {
            connections();
            return;
        }
        // A sample PDF report of the chosen tenants (the script renders its first page).
        connect(m_reports, &ReportsWidget::exportFinished, this, connections,
                Qt::SingleShotConnection);
        m_reports->exportTo(ReportExporter::Format::Pdf, QDir(dir).filePath(u"report.pdf"_s));
    });
}

} // namespace ferry::console
