#pragma once

#include "console/core/connectionprofile.h"
#include "console/core/role.h"

#include <QDateTime>
#include <QMainWindow>

class QAction;
class QLabel;
class QTabWidget;
class QTimer;

namespace ferry::console {

class AdminWidget;
class ApiClient;
class ChannelsWidget;
class DashboardWidget;
class DlqWidget;
class JobsWidget;
class LiveFeed;
class ReconciliationWidget;
class ReportsWidget;
class TenantsWidget;
class TokenStore;
class TraceWidget;
class WorkflowsWidget;

// The console's window: dashboard, DLQ inbox, delivery trace, channel health, tenants, reports,
// reconciliation, workflows, schedules & jobs and administration as tabs (Ctrl+1…9, Ctrl+0;
// reports only for admin tokens), the connection in the status bar (state, role, agent version, age
// of the data on screen).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum Screen {
        Dashboard,
        Dlq,
        Trace,
        Channels,
        Tenants,
        Reports,
        Reconciliation,
        Workflows,
        Jobs,
        Admin
    };

    explicit MainWindow(TokenStore *tokens, QWidget *parent = nullptr);
    ~MainWindow() override;

    ApiClient *client() const { return m_client; }
    DashboardWidget *dashboard() const { return m_dashboard; }
    DlqWidget *dlq() const { return m_dlq; }
    TraceWidget *trace() const { return m_trace; }
    ChannelsWidget *channels() const { return m_channels; }
    TenantsWidget *tenants() const { return m_tenants; }
    ReportsWidget *reports() const { return m_reports; }
    ReconciliationWidget *reconciliation() const { return m_reconciliation; }
    WorkflowsWidget *workflows() const { return m_workflows; }
    JobsWidget *jobs() const { return m_jobs; }
    AdminWidget *admin() const { return m_admin; }
    bool isScreenAvailable(Screen screen) const;
    void showScreen(Screen screen);
    QString statusText() const;

    // The last agent used, or the connection dialog when there is none.
    void startUp();
    // Connects to a profile; `remember`: keep the profile (and the pin it gets) in the settings.
    void connectTo(const ConnectionProfile &profile, const QString &token, bool remember);
    // Renders each screen to DIR/<screen>.png once data arrived, then quits (for the docs).
    void renderScreenshots(const QString &dir);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // The constructor's parts, in the order it calls them.
    void buildTabs();
    void buildStatusBar();
    void buildConnectionMenu();
    void buildViewMenu();
    void connectClient();
    void connectScreens();
    void startTick();
    void restoreWindow();

    void openConnectionDialog();
    void openSettings();
    void askTrust(const QString &fingerprint, const QString &subject);
    void updateStatus();
    QDateTime shownDataTime() const;
    void rememberPin(const ConnectionProfile &profile) const;
    void applyRole(Role role);

    TokenStore *m_tokens;
    ApiClient *m_client;
    LiveFeed *m_feed;
    QTabWidget *m_tabs;
    DashboardWidget *m_dashboard;
    DlqWidget *m_dlq;
    TraceWidget *m_trace;
    ChannelsWidget *m_channels;
    TenantsWidget *m_tenants;
    ReportsWidget *m_reports;
    ReconciliationWidget *m_reconciliation;
    WorkflowsWidget *m_workflows;
    JobsWidget *m_jobs;
    AdminWidget *m_admin;
    QAction *m_reportsAction = nullptr;
    QLabel *m_state;
    QLabel *m_role;
    QLabel *m_version;
    QLabel *m_age;
    QLabel *m_keychain;
    QTimer *m_tick;
    bool m_rememberProfile = true;
};

} // namespace ferry::console
