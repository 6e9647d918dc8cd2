#include "console/widgets/workflowswidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/workflows/workflowinstancefiltermodel.h"
#include "console/models/workflows/workflowinstancemodel.h"
#include "console/models/workflows/workflowmodel.h"
#include "console/models/workflows/workflowstepmodel.h"
#include "console/models/workflows/workflowwords.h"
#include "console/widgets/tenantpicker.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

constexpr int kInstanceLimit = 500;

QString tenantPath(const QString &tenant, const QString &what)
{
    return u"/v1/tenants/%1/%2"_s.arg(tenant, what);
}

// A read-only table of whole rows, sortable when `proxy` is given.
void setUpTable(QTableView *view, QSortFilterProxyModel *proxy, QAbstractItemModel *model)
{
    if (proxy) {
        proxy->setSourceModel(model);
        view->setModel(proxy);
        view->setSortingEnabled(true);
    } else {
        view->setModel(model);
    }
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    // Compact rows: three tables share the page.
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->horizontalHeader()->setStretchLastSection(true);
}

void fitColumns(QTableView *view)
{
    view->resizeColumnsToContents();
    for (int c = 0; c < view->model()->columnCount(); ++c)
        view->setColumnWidth(c, std::min(view->columnWidth(c), 320));
}

// Chooses the item with `data` without a signal; false when there is none (then the first).
bool chooseData(QComboBox *box, const QString &data)
{
    const QSignalBlocker block(box);
    const int index = box->findData(data);
    box->setCurrentIndex(std::max(0, index));
    return index >= 0;
}

QStringList choices(const QComboBox *box)
{
    QStringList data;
    for (int i = 0; i < box->count(); ++i)
        data.append(box->itemData(i).toString());
    return data;
}

} // namespace

WorkflowsWidget::WorkflowsWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_workflows(new WorkflowModel(this))
    , m_instances(new WorkflowInstanceModel(this))
    , m_steps(new WorkflowStepModel(this))
    , m_workflowProxy(new QSortFilterProxyModel(this))
    , m_instanceProxy(new WorkflowInstanceFilterModel(this))
    , m_workflowView(new QTableView(this))
    , m_instanceView(new QTableView(this))
    , m_stepView(new QTableView(this))
    , m_tenantPicker(new TenantPicker(this))
    , m_workflowFilter(new QComboBox(this))
    , m_stateFilter(new QComboBox(this))
    , m_feedback(new QLabel(this))
{
    setUpViews();
    setUpFilters();
    createActions();
    buildLayout();
    connectSignals();
    showSteps();
}

void WorkflowsWidget::setUpViews()
{
    m_workflowProxy->setSortRole(WorkflowModel::SortRole);
    setUpTable(m_workflowView, m_workflowProxy, m_workflows);
    setUpTable(m_instanceView, m_instanceProxy, m_instances);
    // The history keeps the agent's order: the order the steps ran and were undone in.
    setUpTable(m_stepView, nullptr, m_steps);
    m_workflowView->sortByColumn(WorkflowModel::Name, Qt::AscendingOrder);
    m_instanceView->sortByColumn(WorkflowInstanceModel::Id, Qt::DescendingOrder);
    m_workflowView->setAccessibleName(tr("Workflows"));
    m_instanceView->setAccessibleName(tr("Workflow instances"));
    m_stepView->setAccessibleName(tr("Steps of the selected instance"));
    m_workflowView->setToolTip(tr("Double-click a workflow to see only its instances."));
    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Error"));
    m_feedback->hide();
}

void WorkflowsWidget::setUpFilters()
{
    m_workflowFilter->setAccessibleName(tr("Workflow filter"));
    m_workflowFilter->setMinimumContentsLength(14);
    m_workflowFilter->addItem(tr("All workflows"), QString());
    m_stateFilter->setAccessibleName(tr("State filter"));
    m_stateFilter->addItem(tr("All states"), QString());
    for (const QString &state : workflowInstanceStates())
        m_stateFilter->addItem(workflowInstanceStateText(state), state);
}

void WorkflowsWidget::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refreshAction->setToolTip(tr("Load the tenants, workflows and instances again (F5)"));
    addAction(m_refreshAction);
    connect(m_refreshAction, &QAction::triggered, this, &WorkflowsWidget::refreshTenants);
}

// The tenant and Refresh over the workflows, the instances and the selected one's steps.
void WorkflowsWidget::buildLayout()
{
    auto *workflowsBox = new QGroupBox(tr("Workflows"), this);
    auto *workflowsLayout = new QVBoxLayout(workflowsBox);
    workflowsLayout->addWidget(m_workflowView);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(workflowsBox);
    splitter->addWidget(buildInstancesBox());
    splitter->addWidget(buildStepsBox());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildTopRow());
    layout->addWidget(m_feedback);
    layout->addWidget(splitter, 1);
}

QLayout *WorkflowsWidget::buildTopRow()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Workflow actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_refreshAction);
    auto *row = new QHBoxLayout;
    row->addWidget(m_tenantPicker);
    row->addWidget(toolbar);
    row->addStretch(1);
    return row;
}

QGroupBox *WorkflowsWidget::buildInstancesBox()
{
    auto *box = new QGroupBox(tr("Instances (newest first)"), this);
    auto *workflowLabel = new QLabel(tr("Wor&kflow:"), box);
    workflowLabel->setBuddy(m_workflowFilter);
    auto *stateLabel = new QLabel(tr("St&ate:"), box);
    stateLabel->setBuddy(m_stateFilter);
    auto *row = new QHBoxLayout;
    row->addWidget(workflowLabel);
    row->addWidget(m_workflowFilter);
    row->addSpacing(12);
    row->addWidget(stateLabel);
    row->addWidget(m_stateFilter);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addWidget(m_instanceView);
    return box;
}

QGroupBox *WorkflowsWidget::buildStepsBox()
{
    m_stepsBox = new QGroupBox(this);
    auto *hint = new QLabel(
        tr("Oldest first: the steps the instance ran, then the ones it undid, last step first."),
        m_stepsBox);
    hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(m_stepsBox);
    layout->addWidget(hint);
    layout->addWidget(m_stepView);
    return m_stepsBox;
}

void WorkflowsWidget::connectSignals()
{
    connect(m_tenantPicker, &TenantPicker::tenantChanged, this, &WorkflowsWidget::onTenantChosen);
    connect(m_tenantPicker, &TenantPicker::loaded, this, &WorkflowsWidget::onTenantsLoaded);
    connect(m_tenantPicker, &TenantPicker::loadFailed, this,
            [this](const QString &message) { showFeedback(message, true); });
    connect(m_workflowFilter, &QComboBox::currentIndexChanged, this,
            &WorkflowsWidget::onFilterChanged);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this,
            &WorkflowsWidget::onFilterChanged);
    connect(m_instanceView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_restoringSelection)
            showSteps();
    });
    connect(m_workflowView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        setWorkflowFilter(m_workflows->workflow(m_workflowProxy->mapToSource(i).row()).name);
    });
}

WorkflowsWidget::~WorkflowsWidget() = default;

QString WorkflowsWidget::feedback() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

QString WorkflowsWidget::stepsTitle() const
{
    return m_stepsBox->title();
}

void WorkflowsWidget::showFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    m_feedback->setStyleSheet(
        error ? u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s : QString());
    m_feedback->setVisible(!text.isEmpty());
}

QStringList WorkflowsWidget::tenants() const
{
    return m_tenantPicker->tenants();
}

QString WorkflowsWidget::tenant() const
{
    return m_tenantPicker->tenant();
}

void WorkflowsWidget::setTenant(const QString &tenant)
{
    m_tenantPicker->setTenant(tenant);
}

QStringList WorkflowsWidget::workflowChoices() const
{
    return choices(m_workflowFilter);
}

QStringList WorkflowsWidget::stateChoices() const
{
    return choices(m_stateFilter);
}

QString WorkflowsWidget::workflowFilter() const
{
    return m_workflowFilter->currentData().toString();
}

QString WorkflowsWidget::stateFilter() const
{
    return m_stateFilter->currentData().toString();
}

void WorkflowsWidget::setWorkflowFilter(const QString &workflow)
{
    m_workflowFilter->setCurrentIndex(std::max(0, m_workflowFilter->findData(workflow)));
}

void WorkflowsWidget::setStateFilter(const QString &state)
{
    m_stateFilter->setCurrentIndex(std::max(0, m_stateFilter->findData(state)));
}

qint64 WorkflowsWidget::selectedInstance() const
{
    const QModelIndexList rows = m_instanceView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return 0;
    return m_instances->instance(m_instanceProxy->mapToSource(rows.first()).row()).id;
}

void WorkflowsWidget::selectInstance(qint64 id)
{
    const int row = m_instances->rowOf(id);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_instanceProxy->mapFromSource(m_instances->index(row, 0));
    if (!index.isValid()) {
        m_instanceView->selectionModel()->clearSelection();
        return;
    }
    m_instanceView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
    m_instanceView->scrollTo(index);
}

void WorkflowsWidget::clear()
{
    m_tenantPicker->clear(); // answers on their way are another agent's
    ++m_request;
    ++m_instanceRequest;
    m_workflows->clear();
    m_instances->clear();
    showSteps();
    showFeedback({}, false);
    m_dataTime = {};
}

void WorkflowsWidget::refreshTenants()
{
    m_tenantPicker->load(*m_client);
}

// The tenants are listed: the chosen one's workflows again (another one chosen loads its own).
void WorkflowsWidget::onTenantsLoaded(bool kept)
{
    m_dataTime = QDateTime::currentDateTimeUtc();
    if (!m_tenantPicker->hasTenants()) {
        showFeedback(tr("This agent has no tenants yet: there are no workflows."), false);
        Q_EMIT updated();
    } else if (kept) {
        refresh();
    }
}

// Another tenant's workflows: nothing of the last one stays on screen while they load.
void WorkflowsWidget::onTenantChosen()
{
    m_workflows->clear();
    m_instances->clear();
    showSteps();
    refresh();
}

void WorkflowsWidget::refresh()
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_request;
    ++m_instanceRequest; // the instances come after the workflows
    m_client->get(
        tenantPath(tenant, u"workflows"_s), {}, this, [this, request](const ApiResponse &r) {
            if (request != m_request)
                return; // another tenant was chosen meanwhile
            if (!r.ok()) {
                showFeedback(tr("Could not load the workflows. %1").arg(r.message()), true);
                return;
            }
            setWorkflowList(r.object.value("items"_L1).toArray());
            loadInstances();
        });
}

// The workflows, and the workflow filter's choices (keeping the chosen one while it exists).
void WorkflowsWidget::setWorkflowList(const QJsonArray &items)
{
    m_workflows->setWorkflows(items);
    fitColumns(m_workflowView);
    const QString chosen = m_workflowFilter->currentData().toString();
    {
        const QSignalBlocker block(m_workflowFilter);
        m_workflowFilter->clear();
        m_workflowFilter->addItem(tr("All workflows"), QString());
        QStringList names = m_workflows->names();
        names.sort();
        for (const QString &name : names)
            m_workflowFilter->addItem(name, name);
    }
    chooseData(m_workflowFilter, chosen);
    m_instanceProxy->setWorkflow(m_workflowFilter->currentData().toString());
}

// On screen at once; the agent is asked for the same, so its limit counts matching ones only.
void WorkflowsWidget::onFilterChanged()
{
    m_instanceProxy->setWorkflow(m_workflowFilter->currentData().toString());
    m_instanceProxy->setState(m_stateFilter->currentData().toString());
    loadInstances();
}

void WorkflowsWidget::loadInstances()
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_instanceRequest;
    m_client->get(
        tenantPath(tenant, u"workflow-instances"_s), m_instanceProxy->urlQuery(kInstanceLimit),
        this, [this, request](const ApiResponse &r) {
            if (request != m_instanceRequest)
                return; // another tenant or filter was chosen meanwhile
            if (!r.ok()) {
                showFeedback(tr("Could not load the workflow instances. %1").arg(r.message()),
                             true);
                return;
            }
            showInstances(r.object.value("items"_L1).toArray());
        });
}

// The instances, keeping the selected one (its steps may have moved on).
void WorkflowsWidget::showInstances(const QJsonArray &items)
{
    const qint64 keep = selectedInstance();
    m_restoringSelection = true;
    m_instances->setInstances(items, m_workflows->stepNames());
    if (keep != 0)
        selectInstance(keep);
    m_restoringSelection = false;
    showSteps();
    fitColumns(m_instanceView);
    showFeedback({}, false); // everything loaded: an earlier error is over
    m_dataTime = QDateTime::currentDateTimeUtc();
    Q_EMIT updated();
}

void WorkflowsWidget::showSteps()
{
    const qint64 id = selectedInstance();
    if (id == 0) {
        m_steps->clear();
        m_stepsBox->setTitle(tr("Steps (select an instance)"));
        return;
    }
    const WorkflowInstance &i = m_instances->instance(m_instances->rowOf(id));
    m_steps->setSteps(i.steps);
    fitColumns(m_stepView);
    m_stepsBox->setTitle(
        tr("Steps of instance %1 (%2, %3)")
            .arg(QString::number(i.id), i.workflow, workflowInstanceStateText(i.state)));
}

} // namespace ferry::console
