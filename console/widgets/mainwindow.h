#pragma once

#include "console/core/connectionprofile.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTimer;

namespace ferry::console {

class ApiClient;
class DashboardWidget;
class DlqWidget;
class LiveFeed;
class TokenStore;
class TraceWidget;

// The console's window: dashboard, DLQ inbox and delivery trace as tabs (Ctrl+1…3), the
// connection in the status bar (state, role, agent version, age of the data on screen).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum Screen { Dashboard, Dlq, Trace };

    explicit MainWindow(TokenStore *tokens, QWidget *parent = nullptr);
    ~MainWindow() override;

    ApiClient *client() const { return m_client; }
    DashboardWidget *dashboard() const { return m_dashboard; }
    DlqWidget *dlq() const { return m_dlq; }
    TraceWidget *trace() const { return m_trace; }
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
    void openConnectionDialog();
    void openSettings();
    void askTrust(const QString &fingerprint, const QString &subject);
    void updateStatus();
    void rememberPin(const ConnectionProfile &profile);

    TokenStore *m_tokens;
    ApiClient *m_client;
    LiveFeed *m_feed;
    QTabWidget *m_tabs;
    DashboardWidget *m_dashboard;
    DlqWidget *m_dlq;
    TraceWidget *m_trace;
    QLabel *m_state;
    QLabel *m_role;
    QLabel *m_version;
    QLabel *m_age;
    QLabel *m_keychain;
    QTimer *m_tick;
    bool m_rememberProfile = true;
};

} // namespace ferry::console
