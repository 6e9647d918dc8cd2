#pragma once

#include <QDateTime>
#include <QWidget>

class QAction;
class QComboBox;
class QGroupBox;
class QJsonArray;
class QLabel;
class QLayout;
class QSortFilterProxyModel;
class QTableView;

namespace ferry::console {

class ApiClient;
class TenantPicker;
class WorkflowInstanceFilterModel;
class WorkflowInstanceModel;
class WorkflowModel;
class WorkflowStepModel;

// The workflows page: for a chosen tenant, its workflow definitions, its instances (newest
// first, filtered by workflow and state) and the step history of the selected instance: what it
// ran and what it undid, in order.
class WorkflowsWidget final : public QWidget
{
    Q_OBJECT
public:
    // While the page is on screen, its data is loaded again when it is this old.
    static constexpr int kRefreshSeconds = 10;

    explicit WorkflowsWidget(ApiClient *client, QWidget *parent = nullptr);
    ~WorkflowsWidget() override;

    WorkflowModel *workflows() const { return m_workflows; }
    WorkflowInstanceModel *instances() const { return m_instances; }
    WorkflowStepModel *steps() const { return m_steps; }
    QTableView *workflowView() const { return m_workflowView; }
    QTableView *instanceView() const { return m_instanceView; }
    QTableView *stepView() const { return m_stepView; }
    QAction *refreshAction() const { return m_refreshAction; }
    QDateTime dataTime() const { return m_dataTime; }
    QString feedback() const;
    QString stepsTitle() const;

    QStringList tenants() const;
    QString tenant() const;
    void setTenant(const QString &tenant);
    // The filters: "" for every workflow or state; the choices the combo boxes offer.
    QStringList workflowChoices() const;
    QStringList stateChoices() const;
    QString workflowFilter() const;
    QString stateFilter() const;
    void setWorkflowFilter(const QString &workflow);
    void setStateFilter(const QString &state);
    qint64 selectedInstance() const; // 0: none selected
    void selectInstance(qint64 id);
    // Forgets the agent's data (another agent is connected to).
    void clear();

public Q_SLOTS:
    void refreshTenants();
    void refresh(); // the chosen tenant's workflows and instances

Q_SIGNALS:
    void updated();

private:
    // The constructor's parts, in the order it calls them.
    void setUpViews();
    void setUpFilters();
    void createActions();
    void buildLayout();
    QLayout *buildTopRow();
    QGroupBox *buildInstancesBox();
    QGroupBox *buildStepsBox();
    void connectSignals();

    void onTenantsLoaded(bool kept);
    void onTenantChosen();
    void setWorkflowList(const QJsonArray &items);
    void onFilterChanged();
    void loadInstances();
    void showInstances(const QJsonArray &items);
    void showSteps();
    void showFeedback(const QString &text, bool error);

    ApiClient *m_client;
    WorkflowModel *m_workflows;
    WorkflowInstanceModel *m_instances;
    WorkflowStepModel *m_steps;
    QSortFilterProxyModel *m_workflowProxy;
    WorkflowInstanceFilterModel *m_instanceProxy;
    QTableView *m_workflowView;
    QTableView *m_instanceView;
    QTableView *m_stepView;
    TenantPicker *m_tenantPicker;
    QComboBox *m_workflowFilter;
    QComboBox *m_stateFilter;
    QLabel *m_feedback;
    QGroupBox *m_stepsBox = nullptr;
    QAction *m_refreshAction = nullptr;
    QDateTime m_dataTime;
    quint64 m_request = 0;
    quint64 m_instanceRequest = 0;
    bool m_restoringSelection = false;
};

} // namespace ferry::console
