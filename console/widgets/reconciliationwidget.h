#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QAction;
class QGroupBox;
class QJsonObject;
class QLabel;
class QLayout;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;

namespace ferry::console {

class ApiClient;
class ProviderMessageModel;
class ReconcileDriftModel;
class ReconcileFollower;
class ReconcileRunModel;
class TenantPicker;

// The reconciliation page: for a chosen tenant, its reconciliation runs (newest first), the
// drifts of the selected run (or of every run), its provider messages with their cost, and
// "Reconcile now" (operator tokens), which requests a run and follows it until it finished.
class ReconciliationWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit ReconciliationWidget(ApiClient *client, QWidget *parent = nullptr);
    ~ReconciliationWidget() override;

    ReconcileRunModel *runs() const { return m_runs; }
    ReconcileDriftModel *drifts() const { return m_drifts; }
    ProviderMessageModel *messages() const { return m_messages; }
    QTableView *runView() const { return m_runView; }
    QTableView *driftView() const { return m_driftView; }
    QTableView *messageView() const { return m_messageView; }
    ReconcileFollower *follower() const { return m_follower; }
    QAction *reconcileAction() const { return m_reconcileAction; }
    QList<QAction *> screenActions() const;
    QDateTime dataTime() const { return m_dataTime; }
    QString feedback() const;
    QString progressText() const;
    QString driftsTitle() const;

    void setRole(Role role);
    QStringList tenants() const;
    QString tenant() const;
    void setTenant(const QString &tenant);
    qint64 selectedRun() const; // 0: none selected (the drifts of every run show)
    void selectRun(qint64 id);
    // Forgets the agent's data (another agent is connected to).
    void clear();

public Q_SLOTS:
    void refreshTenants();
    void refresh(); // the chosen tenant's runs, drifts and messages
    void reconcileNow();
    void showAllDrifts();

Q_SIGNALS:
    void updated();
    void reconcileFinished(qint64 runId); // the run is finished, listed and selected
    void actionDone(const QString &what); // for the status bar

private:
    // The constructor's parts, in the order it calls them.
    void setUpViews();
    void createActions();
    void buildLayout();
    QLayout *buildTopRow();
    QGroupBox *buildDriftsBox();
    void connectSignals();

    void onTenantsLoaded(bool kept);
    void onTenantChosen();
    void showReport(const QJsonObject &report);
    void loadDrifts();
    void loadMessages(quint64 request);
    void onFollowProgress(const QJsonObject &run);
    void onFollowFinished(const QJsonObject &run);
    void onFollowFailed(const QString &message);
    void updateActions();
    void updateDriftsTitle();
    void showFeedback(const QString &text, bool error);

    ApiClient *m_client;
    ReconcileFollower *m_follower;
    ReconcileRunModel *m_runs;
    ReconcileDriftModel *m_drifts;
    ProviderMessageModel *m_messages;
    QSortFilterProxyModel *m_runProxy;
    QSortFilterProxyModel *m_driftProxy;
    QSortFilterProxyModel *m_messageProxy;
    QTableView *m_runView;
    QTableView *m_driftView;
    QTableView *m_messageView;
    TenantPicker *m_tenantPicker;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QLabel *m_feedback;
    QGroupBox *m_driftsBox = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_reconcileAction = nullptr;
    QAction *m_allDriftsAction = nullptr;
    QDateTime m_dataTime;
    Role m_role = Role::Unknown;
    quint64 m_request = 0;
    quint64 m_driftRequest = 0;
    qint64 m_selectAfterLoad = 0; // a finished run to select once listed
    QString m_followedState;
    bool m_restoringSelection = false;
};

} // namespace ferry::console
