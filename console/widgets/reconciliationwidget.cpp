#include "console/widgets/reconciliationwidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/reconcilefollower.h"
#include "console/models/reconciliation/providermessagemodel.h"
#include "console/models/reconciliation/receiptstatus.h"
#include "console/models/reconciliation/reconciledriftmodel.h"
#include "console/models/reconciliation/reconcilerunmodel.h"
#include "console/widgets/tenantpicker.h"

#include <QAction>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
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

constexpr int kReportLimit = 500;
constexpr int kMessageLimit = 200;

QString reportPath(const QString &tenant)
{
    return u"/v1/tenants/%1/reconciliation"_s.arg(tenant);
}

QUrlQuery reportQuery(qint64 run)
{
    QUrlQuery query;
    if (run != 0)
        query.addQueryItem(u"run"_s, QString::number(run));
    query.addQueryItem(u"limit"_s, QString::number(kReportLimit));
    return query;
}

// A sortable, read-only table of whole rows.
void setUpTable(QTableView *view, QSortFilterProxyModel *proxy, QAbstractItemModel *model,
                int sortRole)
{
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
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

QString number(int n)
{
    return QLocale().toString(n);
}

} // namespace

ReconciliationWidget::ReconciliationWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_follower(new ReconcileFollower(client, this))
    , m_runs(new ReconcileRunModel(this))
    , m_drifts(new ReconcileDriftModel(this))
    , m_messages(new ProviderMessageModel(this))
    , m_runProxy(new QSortFilterProxyModel(this))
    , m_driftProxy(new QSortFilterProxyModel(this))
    , m_messageProxy(new QSortFilterProxyModel(this))
    , m_runView(new QTableView(this))
    , m_driftView(new QTableView(this))
    , m_messageView(new QTableView(this))
    , m_tenantPicker(new TenantPicker(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_feedback(new QLabel(this))
{
    setUpViews();
    createActions();
    buildLayout();
    connectSignals();
    updateDriftsTitle();
    updateActions();
}

void ReconciliationWidget::setUpViews()
{
    setUpTable(m_runView, m_runProxy, m_runs, ReconcileRunModel::SortRole);
    setUpTable(m_driftView, m_driftProxy, m_drifts, ReconcileDriftModel::SortRole);
    setUpTable(m_messageView, m_messageProxy, m_messages, ProviderMessageModel::SortRole);
    m_runView->sortByColumn(ReconcileRunModel::RequestedAt, Qt::DescendingOrder);
    m_driftView->sortByColumn(ReconcileDriftModel::FoundAt, Qt::DescendingOrder);
    m_messageView->sortByColumn(ProviderMessageModel::AcceptedAt, Qt::DescendingOrder);
    m_runView->setAccessibleName(tr("Reconciliation runs"));
    m_driftView->setAccessibleName(tr("Drifts"));
    m_messageView->setAccessibleName(tr("Messages and their cost"));
    m_progress->setRange(0, 0); // busy: the run reports no share done
    m_progress->setMaximumWidth(120);
    m_progress->setAccessibleName(tr("Reconciliation in progress"));
    m_progress->hide();
    m_progressText->setAccessibleName(tr("State of the requested run"));
    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Error"));
    m_feedback->hide();
}

void ReconciliationWidget::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the tenants, runs, drifts and messages again (F5)"));
    m_reconcileAction = new QAction(tr("Reconcile &now"), this);
    m_reconcileAction->setShortcut(QKeySequence(tr("Ctrl+Shift+N")));
    m_allDriftsAction = new QAction(tr("Drifts of &all runs"), this);
    m_allDriftsAction->setToolTip(
        tr("Show the drifts every run found, not only the selected run's"));
    for (QAction *a : {m_refreshAction, m_reconcileAction, m_allDriftsAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_refreshAction, &QAction::triggered, this, &ReconciliationWidget::refreshTenants);
    connect(m_reconcileAction, &QAction::triggered, this, &ReconciliationWidget::reconcileNow);
    connect(m_allDriftsAction, &QAction::triggered, this, &ReconciliationWidget::showAllDrifts);
}

// The tenant, the actions and the run's progress over the runs, drifts and messages.
void ReconciliationWidget::buildLayout()
{
    auto *runsBox = new QGroupBox(tr("Runs (newest first)"), this);
    auto *runsLayout = new QVBoxLayout(runsBox);
    runsLayout->addWidget(m_runView);
    auto *messagesBox = new QGroupBox(tr("Messages and their cost"), this);
    auto *messagesLayout = new QVBoxLayout(messagesBox);
    messagesLayout->addWidget(m_messageView);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(runsBox);
    splitter->addWidget(buildDriftsBox());
    splitter->addWidget(messagesBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildTopRow());
    layout->addWidget(m_feedback);
    layout->addWidget(splitter, 1);
}

QLayout *ReconciliationWidget::buildTopRow()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Reconciliation actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_refreshAction);
    toolbar->addAction(m_reconcileAction);
    auto *row = new QHBoxLayout;
    row->addWidget(m_tenantPicker);
    row->addWidget(toolbar);
    row->addWidget(m_progress);
    row->addWidget(m_progressText, 1);
    return row;
}

QGroupBox *ReconciliationWidget::buildDriftsBox()
{
    m_driftsBox = new QGroupBox(this);
    auto *toolbar = new QToolBar(m_driftsBox);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_allDriftsAction);
    auto *hint = new QLabel(tr("Select a run to see only the drifts it found."), m_driftsBox);
    auto *row = new QHBoxLayout;
    row->addWidget(hint, 1);
    row->addWidget(toolbar);
    auto *layout = new QVBoxLayout(m_driftsBox);
    layout->addLayout(row);
    layout->addWidget(m_driftView);
    return m_driftsBox;
}

void ReconciliationWidget::connectSignals()
{
    connect(m_tenantPicker, &TenantPicker::tenantChanged, this,
            &ReconciliationWidget::onTenantChosen);
    connect(m_tenantPicker, &TenantPicker::loaded, this, &ReconciliationWidget::onTenantsLoaded);
    connect(m_tenantPicker, &TenantPicker::loadFailed, this,
            [this](const QString &message) { showFeedback(message, true); });
    connect(m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (m_restoringSelection)
            return;
        updateActions();
        loadDrifts();
    });
    connect(m_follower, &ReconcileFollower::progress, this,
            &ReconciliationWidget::onFollowProgress);
    connect(m_follower, &ReconcileFollower::finished, this,
            &ReconciliationWidget::onFollowFinished);
    connect(m_follower, &ReconcileFollower::failed, this, &ReconciliationWidget::onFollowFailed);
}

ReconciliationWidget::~ReconciliationWidget() = default;

QList<QAction *> ReconciliationWidget::screenActions() const
{
    return {m_refreshAction, m_reconcileAction, m_allDriftsAction};
}

QString ReconciliationWidget::feedback() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

QString ReconciliationWidget::progressText() const
{
    return m_progressText->text();
}

QString ReconciliationWidget::driftsTitle() const
{
    return m_driftsBox->title();
}

void ReconciliationWidget::showFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    m_feedback->setStyleSheet(
        error ? u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s : QString());
    m_feedback->setVisible(!text.isEmpty());
}

void ReconciliationWidget::setRole(Role role)
{
    m_role = role;
    updateActions();
}

void ReconciliationWidget::updateActions()
{
    // Unknown: leave the action on and let the agent decide (its refusal is shown).
    const bool mayAct = m_role != Role::Viewer;
    const bool busy = m_follower->isRunning();
    const bool chosen = !tenant().isEmpty();
    m_reconcileAction->setEnabled(mayAct && chosen && !busy);
    if (!mayAct)
        m_reconcileAction->setToolTip(
            tr("Needs the operator role; this token is a %1 token.").arg(roleText(m_role)));
    else if (busy)
        m_reconcileAction->setToolTip(tr("A run is on its way; wait until it has finished."));
    else if (!chosen)
        m_reconcileAction->setToolTip(tr("Choose a tenant first."));
    else
        m_reconcileAction->setToolTip(
            tr("Ask the providers now about the messages of %1 that have had no final receipt")
                .arg(tenant()));
    m_allDriftsAction->setEnabled(selectedRun() != 0);
}

void ReconciliationWidget::updateDriftsTitle()
{
    const qint64 run = selectedRun();
    m_driftsBox->setTitle(run == 0 ? tr("Drifts of every run")
                                   : tr("Drifts of run %1").arg(QString::number(run)));
}

QStringList ReconciliationWidget::tenants() const
{
    return m_tenantPicker->tenants();
}

QString ReconciliationWidget::tenant() const
{
    return m_tenantPicker->tenant();
}

void ReconciliationWidget::setTenant(const QString &tenant)
{
    m_tenantPicker->setTenant(tenant);
}

qint64 ReconciliationWidget::selectedRun() const
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return 0;
    return m_runs->run(m_runProxy->mapToSource(rows.first()).row()).id;
}

void ReconciliationWidget::selectRun(qint64 id)
{
    const int row = m_runs->rowOf(id);
    if (row < 0) {
        m_runView->selectionModel()->clearSelection();
        return;
    }
    const QModelIndex index = m_runProxy->mapFromSource(m_runs->index(row, 0));
    m_runView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
    m_runView->scrollTo(index);
}

void ReconciliationWidget::clear()
{
    m_follower->cancel();
    m_tenantPicker->clear(); // answers on their way are another agent's
    ++m_request;
    ++m_driftRequest;
    m_runs->clear();
    m_drifts->clear();
    m_messages->clear();
    m_progress->hide();
    m_progressText->clear();
    showFeedback({}, false);
    m_dataTime = {};
    updateDriftsTitle();
    updateActions();
}

void ReconciliationWidget::showAllDrifts()
{
    m_runView->selectionModel()->clearSelection();
}

void ReconciliationWidget::refreshTenants()
{
    m_tenantPicker->load(*m_client);
}

// The tenants are listed: the chosen one's report again (another one chosen loads its own).
void ReconciliationWidget::onTenantsLoaded(bool kept)
{
    m_dataTime = QDateTime::currentDateTimeUtc();
    if (!m_tenantPicker->hasTenants()) {
        showFeedback(tr("This agent has no tenants yet: there is nothing to reconcile."), false);
        Q_EMIT updated();
    } else if (kept) {
        refresh();
    }
    updateActions();
}

// Another tenant's report: nothing of the last one stays on screen while it loads.
void ReconciliationWidget::onTenantChosen()
{
    m_runs->clear();
    m_drifts->clear();
    m_messages->clear();
    updateDriftsTitle();
    updateActions();
    refresh();
}

void ReconciliationWidget::refresh()
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_request;
    const qint64 run = selectedRun();
    m_client->get(
        reportPath(tenant), reportQuery(run), this, [this, request, run](const ApiResponse &r) {
            if (request != m_request)
                return; // another tenant was chosen meanwhile
            if (!r.ok()) {
                showFeedback(tr("Could not load the reconciliation report. %1").arg(r.message()),
                             true);
                return;
            }
            m_drifts->setDrifts(r.object.value("drifts"_L1).toArray());
            showReport(r.object);
            if (selectedRun() != run) // the report's drifts are another run's
                loadDrifts();
            loadMessages(request);
        });
}

// The runs, keeping the selected one (or selecting the run just finished).
void ReconciliationWidget::showReport(const QJsonObject &report)
{
    const qint64 keep = m_selectAfterLoad != 0 ? m_selectAfterLoad : selectedRun();
    m_restoringSelection = true;
    m_runs->setRuns(report.value("runs"_L1).toArray());
    if (keep != 0)
        selectRun(keep);
    m_restoringSelection = false;
    fitColumns(m_runView);
    fitColumns(m_driftView);
    updateDriftsTitle();
    updateActions();
    if (m_selectAfterLoad != 0) {
        const qint64 finished = m_selectAfterLoad;
        m_selectAfterLoad = 0;
        Q_EMIT reconcileFinished(finished);
    }
}

void ReconciliationWidget::loadDrifts()
{
    updateDriftsTitle();
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_driftRequest;
    m_client->get(reportPath(tenant), reportQuery(selectedRun()), this,
                  [this, request](const ApiResponse &r) {
                      if (request != m_driftRequest)
                          return; // another run was selected meanwhile
                      if (!r.ok()) {
                          showFeedback(tr("Could not load the drifts. %1").arg(r.message()), true);
                          return;
                      }
                      m_drifts->setDrifts(r.object.value("drifts"_L1).toArray());
                      fitColumns(m_driftView);
                  });
}

void ReconciliationWidget::loadMessages(quint64 request)
{
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(kMessageLimit));
    m_client->get(u"/v1/tenants/%1/messages"_s.arg(tenant()), query, this,
                  [this, request](const ApiResponse &r) {
                      if (request != m_request)
                          return;
                      if (!r.ok()) {
                          showFeedback(tr("Could not load the messages. %1").arg(r.message()),
                                       true);
                          return;
                      }
                      m_messages->setMessages(r.object.value("items"_L1).toArray());
                      fitColumns(m_messageView);
                      showFeedback({}, false); // everything loaded: an earlier error is over
                      m_dataTime = QDateTime::currentDateTimeUtc();
                      Q_EMIT updated();
                  });
}

void ReconciliationWidget::reconcileNow()
{
    if (tenant().isEmpty()) {
        showFeedback(tr("Choose a tenant first."), true);
        return;
    }
    if (m_follower->isRunning())
        return;
    m_followedState.clear();
    showFeedback({}, false);
    m_progressText->setText(tr("Requesting a run for %1…").arg(tenant()));
    m_progress->show();
    m_follower->start(tenant());
    updateActions();
}

// While the run waits for a reconciler or runs: how long it took so far; the list shows the run
// as soon as it exists, and again when it starts.
void ReconciliationWidget::onFollowProgress(const QJsonObject &run)
{
    const QString state = run.value("state"_L1).toString();
    const QString id = QString::number(run.value("id"_L1).toInteger());
    const QString seconds = QLocale().toString(double(m_follower->elapsedMs()) / 1000.0, 'f', 1);
    m_progressText->setText(
        state == "running"_L1 ? tr("Run %1 is running… (%2 s)").arg(id, seconds)
                              : tr("Run %1 is waiting for a reconciler… (%2 s)").arg(id, seconds));
    if (state != m_followedState && m_follower->tenant() == tenant()) {
        m_followedState = state;
        refresh();
    }
}

void ReconciliationWidget::onFollowFinished(const QJsonObject &run)
{
    const qint64 id = run.value("id"_L1).toInteger();
    QString text =
        tr("Run %1 of %2 %3: checked %4, drifts %5, failures %6.")
            .arg(QString::number(id), m_follower->tenant(),
                 runStateText(run.value("state"_L1).toString()),
                 number(run.value("checked"_L1).toInt()), number(run.value("drifts"_L1).toInt()),
                 number(run.value("failures"_L1).toInt()));
    if (const QString error = run.value("error"_L1).toString(); !error.isEmpty())
        text += u' ' + tr("Error: %1").arg(error);
    m_progress->hide();
    m_progressText->setText(text);
    updateActions();
    Q_EMIT actionDone(text);
    if (m_follower->tenant() != tenant()) {
        Q_EMIT reconcileFinished(id); // another tenant is shown: nothing to select
        return;
    }
    m_selectAfterLoad = id;
    refresh();
}

void ReconciliationWidget::onFollowFailed(const QString &message)
{
    m_progress->hide();
    m_progressText->clear();
    showFeedback(message, true);
    updateActions();
}

} // namespace ferry::console
