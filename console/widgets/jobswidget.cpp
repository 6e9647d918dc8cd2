#include "console/widgets/jobswidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/uiformat.h"
#include "console/models/jobs/jobmodel.h"
#include "console/models/jobs/jobwords.h"
#include "console/models/jobs/schedulemodel.h"
#include "console/widgets/progressdelegate.h"
#include "console/widgets/tenantpicker.h"

#include <QAction>
#include <QFontDatabase>
#include <QFontInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QString tenantPath(const QString &tenant, const QString &what)
{
    return u"/v1/tenants/%1/%2"_s.arg(tenant, what);
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
    // Compact rows: the page shows two tables and a job's details.
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

QLabel *detailLabel(QWidget *parent)
{
    auto *label = new QLabel(u"—"_s, parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

JobsWidget::JobsWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_schedules(new ScheduleModel(this))
    , m_jobs(new JobModel(this))
    , m_scheduleProxy(new QSortFilterProxyModel(this))
    , m_jobProxy(new QSortFilterProxyModel(this))
    , m_scheduleView(new QTableView(this))
    , m_jobView(new QTableView(this))
    , m_upcoming(new QTreeWidget(this))
    , m_upcomingNote(new QLabel(this))
    , m_tenantPicker(new TenantPicker(this))
    , m_feedback(new QLabel(this))
    , m_delivery(detailLabel(this))
    , m_exitCode(detailLabel(this))
    , m_cancellation(detailLabel(this))
    , m_process(detailLabel(this))
    , m_heartbeat(detailLabel(this))
    , m_finished(detailLabel(this))
    , m_attemptError(detailLabel(this))
    , m_output(new QPlainTextEdit(this))
{
    setUpViews();
    setUpDetails();
    createActions();
    buildLayout();
    connectSignals();
    showUpcoming();
    showJobDetails();
}

void JobsWidget::setUpViews()
{
    setUpTable(m_scheduleView, m_scheduleProxy, m_schedules, ScheduleModel::SortRole);
    setUpTable(m_jobView, m_jobProxy, m_jobs, JobModel::SortRole);
    m_scheduleView->sortByColumn(ScheduleModel::Name, Qt::AscendingOrder);
    m_jobView->sortByColumn(JobModel::StartedAt, Qt::DescendingOrder);
    m_jobView->setItemDelegateForColumn(JobModel::Progress,
                                        new ProgressDelegate(JobModel::ProgressRole, m_jobView));
    m_scheduleView->setAccessibleName(tr("Schedules"));
    m_jobView->setAccessibleName(tr("Jobs"));
    m_upcoming->setAccessibleName(tr("Next fire times of the selected schedule"));
    m_upcoming->setRootIsDecorated(false);
    m_upcoming->setSelectionMode(QAbstractItemView::NoSelection);
    m_upcoming->setColumnCount(2);
    m_upcomingNote->setWordWrap(true);
    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Error"));
    m_feedback->hide();
}

void JobsWidget::setUpDetails()
{
    m_delivery->setAccessibleName(tr("Delivery"));
    m_exitCode->setAccessibleName(tr("Exit code"));
    m_cancellation->setAccessibleName(tr("Cancellation"));
    m_process->setAccessibleName(tr("Process"));
    m_heartbeat->setAccessibleName(tr("Last heartbeat"));
    m_finished->setAccessibleName(tr("Finished"));
    m_attemptError->setAccessibleName(tr("Attempt error"));
    m_output->setReadOnly(true);
    m_output->setAccessibleName(tr("Output of the attempt"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!QFontInfo(mono).fixedPitch()) { // a platform without a fixed font of its own
        mono.setFamily(u"monospace"_s);
        mono.setStyleHint(QFont::TypeWriter);
    }
    m_output->setFont(mono);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
}

void JobsWidget::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the tenants, schedules and jobs again (F5)"));
    m_pauseAction = new QAction(tr("&Pause"), this);
    m_resumeAction = new QAction(tr("Res&ume"), this);
    m_cancelAction = new QAction(tr("&Cancel job…"), this);
    for (QAction *a : {m_refreshAction, m_pauseAction, m_resumeAction, m_cancelAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_refreshAction, &QAction::triggered, this, &JobsWidget::refreshTenants);
    connect(m_pauseAction, &QAction::triggered, this, &JobsWidget::pauseSelected);
    connect(m_resumeAction, &QAction::triggered, this, &JobsWidget::resumeSelected);
    connect(m_cancelAction, &QAction::triggered, this, &JobsWidget::cancelSelected);
}

// The tenant and Refresh over the schedules, the jobs and the selected job's details.
void JobsWidget::buildLayout()
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildSchedulesBox());
    splitter->addWidget(buildJobsBox());
    splitter->addWidget(buildDetailsBox());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({270, 250, 200});
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildTopRow());
    layout->addWidget(m_feedback);
    layout->addWidget(splitter, 1);
}

QLayout *JobsWidget::buildTopRow()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Schedule and job actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_refreshAction);
    auto *row = new QHBoxLayout;
    row->addWidget(m_tenantPicker);
    row->addWidget(toolbar);
    row->addStretch(1);
    return row;
}

// The schedules, and beside them the next fire times of the selected one.
QGroupBox *JobsWidget::buildSchedulesBox()
{
    auto *box = new QGroupBox(tr("Schedules"), this);
    auto *toolbar = new QToolBar(box);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_pauseAction);
    toolbar->addAction(m_resumeAction);
    auto *hint = new QLabel(tr("Select a schedule to see its next fire times."), box);
    auto *row = new QHBoxLayout;
    row->addWidget(hint, 1);
    row->addWidget(toolbar);

    auto *upcomingBox = new QGroupBox(tr("Next fire times"), box);
    auto *upcomingLayout = new QVBoxLayout(upcomingBox);
    upcomingLayout->setContentsMargins(4, 4, 4, 4);
    upcomingLayout->addWidget(m_upcomingNote);
    upcomingLayout->addWidget(m_upcoming, 1);
    auto *split = new QSplitter(Qt::Horizontal, box);
    split->addWidget(m_scheduleView);
    split->addWidget(upcomingBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setChildrenCollapsible(false);
    // As wide as two times need (in the longest month name of the language): the table beside it
    // gets the rest.
    int longest = 0;
    for (int month = 1; month <= 12; ++month)
        longest = std::max(longest, m_upcoming->fontMetrics().horizontalAdvance(localDateTimeText(
                                        QDateTime(QDate(2026, month, 28), QTime(23, 59)))));
    upcomingBox->setFixedWidth(2 * longest + 64);

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addWidget(split, 1);
    return box;
}

QGroupBox *JobsWidget::buildJobsBox()
{
    auto *box = new QGroupBox(tr("Jobs (newest first)"), this);
    auto *toolbar = new QToolBar(box);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_cancelAction);
    auto *hint = new QLabel(tr("Exec jobs of the tenant's routes; reloaded every %n s while one "
                               "runs.",
                               "", kRunningRefreshSeconds),
                            box);
    auto *row = new QHBoxLayout;
    row->addWidget(hint, 1);
    row->addWidget(toolbar);
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addWidget(m_jobView, 1);
    return box;
}

// What the job's row does not show: its exit code, who cancelled it, its process, and the
// output its attempt printed.
QGroupBox *JobsWidget::buildDetailsBox()
{
    m_detailsBox = new QGroupBox(this);
    auto *facts = new QWidget(m_detailsBox);
    auto *form = new QFormLayout(facts);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Delivery:"), m_delivery);
    form->addRow(tr("Exit code:"), m_exitCode);
    form->addRow(tr("Cancelled by:"), m_cancellation);
    form->addRow(tr("Process:"), m_process);
    form->addRow(tr("Last heartbeat:"), m_heartbeat);
    form->addRow(tr("Finished:"), m_finished);
    form->addRow(tr("Attempt error:"), m_attemptError);
    facts->setFixedWidth(440);

    auto *outputLabel = new QLabel(tr("&Output (standard output and error):"), m_detailsBox);
    outputLabel->setBuddy(m_output);
    auto *outputColumn = new QVBoxLayout;
    outputColumn->addWidget(outputLabel);
    outputColumn->addWidget(m_output, 1);

    auto *layout = new QHBoxLayout(m_detailsBox);
    layout->addWidget(facts);
    layout->addLayout(outputColumn, 1);
    return m_detailsBox;
}

void JobsWidget::connectSignals()
{
    connect(m_tenantPicker, &TenantPicker::tenantChanged, this, &JobsWidget::onTenantChosen);
    connect(m_tenantPicker, &TenantPicker::loaded, this, &JobsWidget::onTenantsLoaded);
    connect(m_tenantPicker, &TenantPicker::loadFailed, this, &JobsWidget::showLoadError);
    connect(m_scheduleView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (m_restoringSelection)
            return;
        showUpcoming();
        updateActions();
    });
    connect(m_jobView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_restoringSelection)
            showJobDetails();
    });
    // Columns fit new rows; a reload of the same rows keeps their widths.
    connect(m_schedules, &QAbstractItemModel::modelReset, this,
            [this] { fitColumns(m_scheduleView); });
    connect(m_jobs, &QAbstractItemModel::modelReset, this, [this] { fitColumns(m_jobView); });
}

JobsWidget::~JobsWidget() = default;

QList<QAction *> JobsWidget::screenActions() const
{
    return {m_refreshAction, m_pauseAction, m_resumeAction, m_cancelAction};
}

int JobsWidget::jobRefreshSeconds() const
{
    return m_jobs->hasRunningJobs() ? kRunningRefreshSeconds : kRefreshSeconds;
}

QString JobsWidget::feedback() const
{
    return m_feedback->isHidden() ? QString() : m_feedback->text();
}

QString JobsWidget::upcomingNote() const
{
    return m_upcomingNote->text();
}

QStringList JobsWidget::upcomingTimes() const
{
    QStringList texts;
    for (int i = 0; i < m_upcoming->topLevelItemCount(); ++i)
        texts.append(m_upcoming->topLevelItem(i)->text(0));
    return texts;
}

QStringList JobsWidget::upcomingZoneTimes() const
{
    QStringList texts;
    for (int i = 0; i < m_upcoming->topLevelItemCount(); ++i)
        texts.append(m_upcoming->topLevelItem(i)->text(1));
    return texts;
}

QString JobsWidget::detailsTitle() const
{
    return m_detailsBox->title();
}

QString JobsWidget::exitCodeText() const
{
    return m_exitCode->text();
}

QString JobsWidget::cancellationText() const
{
    return m_cancellation->text();
}

QString JobsWidget::outputText() const
{
    return m_output->toPlainText();
}

void JobsWidget::showFeedback(const QString &text, bool error)
{
    m_loadError = false;
    m_feedback->setText(text);
    m_feedback->setStyleSheet(
        error ? u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s : QString());
    m_feedback->setVisible(!text.isEmpty());
}

void JobsWidget::showLoadError(const QString &text)
{
    showFeedback(text, true);
    m_loadError = true;
}

void JobsWidget::setRole(Role role)
{
    m_role = role;
    updateActions();
}

// Pause, Resume and Cancel: for operator tokens, on a schedule or a running job that can take
// them. The tooltip of a disabled one says why.
void JobsWidget::updateActions()
{
    // Unknown: leave the actions on and let the agent decide (its refusal is shown).
    const bool mayAct = m_role != Role::Viewer;
    const QString needsOperator =
        tr("Needs the operator role; this token is a %1 token.").arg(roleText(m_role));
    const Schedule *s = selectedScheduleEntry();
    m_pauseAction->setEnabled(mayAct && s && !s->paused);
    m_resumeAction->setEnabled(mayAct && s && s->paused);
    if (!mayAct) {
        m_pauseAction->setToolTip(needsOperator);
        m_resumeAction->setToolTip(needsOperator);
    } else if (!s) {
        m_pauseAction->setToolTip(tr("Select a schedule first."));
        m_resumeAction->setToolTip(tr("Select a schedule first."));
    } else {
        m_pauseAction->setToolTip(
            s->paused ? tr("%1 is paused already.").arg(s->name)
                      : tr("Pause %1: no slot fires until it is resumed").arg(s->name));
        m_resumeAction->setToolTip(
            s->paused ? tr("Resume %1: it fires again from its next slot; the slots missed "
                           "while paused are not made up")
                            .arg(s->name)
                      : tr("%1 is not paused.").arg(s->name));
    }

    const Job *j = selectedJobEntry();
    m_cancelAction->setEnabled(mayAct && j && j->isRunning() && !j->isStopping());
    if (!mayAct)
        m_cancelAction->setToolTip(needsOperator);
    else if (!j)
        m_cancelAction->setToolTip(tr("Select a running job first."));
    else if (j->isStopping())
        m_cancelAction->setToolTip(
            tr("Cancellation was requested %1 by %2; the agent running the job stops it.")
                .arg(localDateTimeText(j->cancelRequestedAt), j->cancelRequestedBy));
    else if (!j->isRunning())
        m_cancelAction->setToolTip(
            tr("Only a running job can be cancelled; this one is %1.").arg(j->stateText()));
    else
        m_cancelAction->setToolTip(tr("Stop the selected job (asks first)"));
}

QStringList JobsWidget::tenants() const
{
    return m_tenantPicker->tenants();
}

QString JobsWidget::tenant() const
{
    return m_tenantPicker->tenant();
}

void JobsWidget::setTenant(const QString &tenant)
{
    m_tenantPicker->setTenant(tenant);
}

const Schedule *JobsWidget::selectedScheduleEntry() const
{
    const QModelIndexList rows = m_scheduleView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return &m_schedules->schedule(m_scheduleProxy->mapToSource(rows.first()).row());
}

const Job *JobsWidget::selectedJobEntry() const
{
    const QModelIndexList rows = m_jobView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return &m_jobs->job(m_jobProxy->mapToSource(rows.first()).row());
}

QString JobsWidget::selectedSchedule() const
{
    const Schedule *s = selectedScheduleEntry();
    return s ? s->name : QString();
}

void JobsWidget::selectSchedule(const QString &name)
{
    const int row = m_schedules->rowOf(name);
    if (row < 0) {
        m_scheduleView->selectionModel()->clearSelection();
        return;
    }
    const QModelIndex index = m_scheduleProxy->mapFromSource(m_schedules->index(row, 0));
    m_scheduleView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
    m_scheduleView->scrollTo(index);
}

QString JobsWidget::selectedJob() const
{
    const Job *j = selectedJobEntry();
    return j ? j->deliveryId : QString();
}

int JobsWidget::selectedAttempt() const
{
    const Job *j = selectedJobEntry();
    return j ? j->attempt : 0;
}

void JobsWidget::selectJob(const QString &deliveryId, int attempt)
{
    const int row = m_jobs->rowOf(deliveryId, attempt);
    if (row < 0) {
        m_jobView->selectionModel()->clearSelection();
        return;
    }
    const QModelIndex index = m_jobProxy->mapFromSource(m_jobs->index(row, 0));
    m_jobView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
    m_jobView->scrollTo(index);
}

void JobsWidget::clear()
{
    m_tenantPicker->clear(); // answers on their way are another agent's
    ++m_request;
    ++m_jobRequest;
    ++m_outputRequest;
    m_schedules->clear();
    m_jobs->clear();
    showUpcoming();
    showJobDetails();
    showFeedback({}, false);
    m_dataTime = {};
    m_jobsTime = {};
}

void JobsWidget::reloadDue()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto stale = [&now](const QDateTime &t, int seconds) {
        return !t.isValid() || t.secsTo(now) >= seconds;
    };
    if (stale(m_dataTime, kRefreshSeconds))
        refreshTenants();
    else if (!tenant().isEmpty() && stale(m_jobsTime, jobRefreshSeconds()))
        refreshJobs();
}

void JobsWidget::refreshTenants()
{
    m_tenantPicker->load(*m_client);
}

// The tenants are listed: the chosen one's schedules and jobs again (another one chosen loads
// its own).
void JobsWidget::onTenantsLoaded(bool kept)
{
    m_dataTime = QDateTime::currentDateTimeUtc();
    if (!m_tenantPicker->hasTenants()) {
        showFeedback(tr("This agent has no tenants yet: there are no schedules or jobs."), false);
        Q_EMIT updated();
    } else if (kept) {
        refresh();
    }
    updateActions();
}

// Another tenant's schedules and jobs: nothing of the last one stays on screen while they load.
void JobsWidget::onTenantChosen()
{
    m_schedules->clear();
    m_jobs->clear();
    m_jobsTime = {};
    showUpcoming();
    showJobDetails();
    refresh();
}

void JobsWidget::refresh()
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_request;
    m_client->get(tenantPath(tenant, u"schedules"_s), {}, this,
                  [this, request](const ApiResponse &r) {
                      if (request != m_request)
                          return; // another tenant was chosen meanwhile
                      if (!r.ok()) {
                          showLoadError(tr("Could not load the schedules. %1").arg(r.message()));
                          return;
                      }
                      showSchedules(r.object.value("items"_L1).toArray());
                      m_dataTime = QDateTime::currentDateTimeUtc();
                      loadJobs();
                  });
}

void JobsWidget::refreshJobs()
{
    loadJobs();
}

// The schedules, keeping the selected one.
void JobsWidget::showSchedules(const QJsonArray &items)
{
    const QString keep = selectedSchedule();
    m_restoringSelection = true;
    m_schedules->setSchedules(items);
    if (!keep.isEmpty())
        selectSchedule(keep);
    m_restoringSelection = false;
    showUpcoming();
    updateActions();
}

void JobsWidget::loadJobs()
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty())
        return;
    const quint64 request = ++m_jobRequest;
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(kJobLimit));
    m_client->get(tenantPath(tenant, u"jobs"_s), query, this,
                  [this, request](const ApiResponse &r) {
                      if (request != m_jobRequest)
                          return; // another tenant was chosen meanwhile, or asked again
                      if (!r.ok()) {
                          showLoadError(tr("Could not load the jobs. %1").arg(r.message()));
                          return;
                      }
                      showJobs(r.object.value("items"_L1).toArray());
                  });
}

// The jobs, keeping the selected one (its progress moves on).
void JobsWidget::showJobs(const QJsonArray &items)
{
    const QString keep = selectedJob();
    const int attempt = selectedAttempt();
    m_restoringSelection = true;
    m_jobs->setJobs(items);
    if (!keep.isEmpty())
        selectJob(keep, attempt);
    m_restoringSelection = false;
    showJobDetails();
    if (m_loadError)
        showFeedback({}, false); // loaded: the last load's error is over
    m_jobsTime = QDateTime::currentDateTimeUtc();
    Q_EMIT updated();
}

// The selected schedule's next fire times, on this computer's clock and on its zone's.
void JobsWidget::showUpcoming()
{
    m_upcoming->clear();
    const Schedule *s = selectedScheduleEntry();
    m_upcoming->setHeaderLabels(
        {tr("Local time"), s ? tr("In %1").arg(s->timeZone) : tr("In the schedule's zone")});
    if (!s) {
        m_upcomingNote->setText(tr("Select a schedule."));
        return;
    }
    if (s->paused) {
        m_upcomingNote->setText(tr("%1 is paused: no slot fires.").arg(s->name));
        return;
    }
    m_upcomingNote->setText(tr("Coming slots of %1:").arg(s->name));
    for (const QDateTime &t : s->upcoming)
        new QTreeWidgetItem(m_upcoming, {localDateTimeText(t), zoneTimeText(t, s->timeZone)});
    m_upcoming->resizeColumnToContents(0);
    m_upcoming->resizeColumnToContents(1);
}

void JobsWidget::showJobDetails()
{
    updateActions();
    const Job *j = selectedJobEntry();
    if (!j) {
        ++m_outputRequest;
        m_outputFor.clear();
        m_detailsBox->setTitle(tr("Job (select one)"));
        for (QLabel *l : {m_delivery, m_exitCode, m_cancellation, m_process, m_heartbeat,
                          m_finished, m_attemptError})
            l->setText(u"—"_s);
        m_output->clear();
        m_output->setPlaceholderText(tr("Select a job to see what its attempt printed."));
        return;
    }
    m_detailsBox->setTitle(
        tr("Job %1 of delivery %2, attempt %3 (%4)")
            .arg(j->command, j->deliveryId, countText(j->attempt), j->stateText()));
    m_delivery->setText(j->deliveryId);
    m_exitCode->setText(j->exitCode ? countText(*j->exitCode) : u"—"_s);
    m_cancellation->setText(
        j->cancelRequestedAt.isValid()
            ? tr("%1, %2").arg(j->cancelRequestedBy, localDateTimeText(j->cancelRequestedAt))
            : u"—"_s);
    m_process->setText(j->pid > 0 ? tr("PID %1 on %2").arg(QString::number(j->pid), j->agent)
                                  : tr("on %1").arg(j->agent));
    m_heartbeat->setText(localDateTimeText(j->heartbeatAt));
    m_finished->setText(localDateTimeText(j->finishedAt));
    // The output is written when the attempt ends: loaded again when the job's state changes.
    const QString key = u"%1/%2/%3"_s.arg(j->deliveryId).arg(j->attempt).arg(j->state);
    if (key != m_outputFor) {
        m_outputFor = key;
        loadOutput(*j);
    }
}

// What the attempt printed, from the delivery's trace (GET /v1/deliveries/{id}).
void JobsWidget::loadOutput(const Job &job)
{
    const quint64 request = ++m_outputRequest;
    m_output->clear();
    m_attemptError->setText(u"—"_s);
    if (job.isRunning()) {
        m_output->setPlaceholderText(
            tr("The job is running: its output is recorded when the attempt ends."));
        return;
    }
    m_output->setPlaceholderText(tr("Loading the output…"));
    const int attempt = job.attempt;
    m_client->get(u"/v1/deliveries/%1"_s.arg(job.deliveryId), {}, this,
                  [this, request, attempt](const ApiResponse &r) {
                      if (request != m_outputRequest)
                          return; // another job was selected meanwhile
                      if (!r.ok()) {
                          m_output->setPlaceholderText(
                              tr("Could not load the output. %1").arg(r.message()));
                          return;
                      }
                      showOutput(r.object, attempt);
                  });
}

void JobsWidget::showOutput(const QJsonObject &trace, int attempt)
{
    QJsonObject found;
    for (const QJsonValue &v : trace.value("attempt_log"_L1).toArray()) {
        if (v.toObject().value("attempt"_L1).toInt() == attempt)
            found = v.toObject(); // the last record of the attempt
    }
    if (found.isEmpty()) {
        m_output->setPlaceholderText(tr("The agent recorded no result for this attempt."));
        return;
    }
    const QString error = found.value("error"_L1).toString();
    m_attemptError->setText(error.isEmpty() ? u"—"_s : error);
    m_output->setPlainText(found.value("output"_L1).toString());
    m_output->setPlaceholderText(tr("The attempt printed nothing."));
}

void JobsWidget::pauseSelected()
{
    if (const Schedule *s = selectedScheduleEntry())
        setPaused(s->name, true);
    else
        showFeedback(tr("Select a schedule to pause first."), true);
}

void JobsWidget::resumeSelected()
{
    if (const Schedule *s = selectedScheduleEntry())
        setPaused(s->name, false);
    else
        showFeedback(tr("Select a schedule to resume first."), true);
}

void JobsWidget::setPaused(const QString &schedule, bool paused)
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty()) {
        showFeedback(tr("Choose a tenant first."), true);
        return;
    }
    const QString path =
        tenantPath(tenant, u"schedules/%1/%2"_s.arg(schedule, paused ? u"pause"_s : u"resume"_s));
    m_client->post(path, {}, this, [this, tenant, schedule, paused](const ApiResponse &r) {
        if (!r.ok()) {
            showFeedback((paused ? tr("Could not pause %1. %2") : tr("Could not resume %1. %2"))
                             .arg(schedule, r.message()),
                         true);
            return;
        }
        const QDateTime next =
            QDateTime::fromString(r.object.value("next_fire_at"_L1).toString(), Qt::ISODate);
        const QString done =
            paused ? tr("Schedule %1 of %2 paused: no slot fires until it is resumed.")
                         .arg(schedule, tenant)
                   : tr("Schedule %1 of %2 resumed: it fires next %3.")
                         .arg(schedule, tenant, localDateTimeText(next));
        showFeedback(done, false);
        Q_EMIT actionDone(done);
        if (tenant != this->tenant())
            return;
        m_schedules->updateSchedule(r.object);
        showUpcoming();
        updateActions();
        refresh();
    });
}

void JobsWidget::cancelSelected()
{
    const Job *j = selectedJobEntry();
    if (!j || !j->isRunning()) {
        showFeedback(tr("Select a running job to cancel first."), true);
        return;
    }
    const QString id = j->deliveryId;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Cancel the job"),
        tr("Stop the job %1 of delivery %2 (attempt %3, started %4)?")
            .arg(j->command, id, countText(j->attempt), localDateTimeText(j->startedAt)),
        QMessageBox::NoButton, this);
    box->setInformativeText(
        tr("The agent running it terminates its processes (after the command's grace period, "
           "forcibly). The delivery goes to the dead-letter queue, from where it can be "
           "replayed."));
    QPushButton *stop = box->addButton(tr("&Stop the job"), QMessageBox::AcceptRole);
    QPushButton *keep = box->addButton(tr("&Keep it running"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, stop, id](int) {
        if (box->clickedButton() == stop)
            cancelJob(id);
    });
    box->open();
}

void JobsWidget::cancelJob(const QString &deliveryId)
{
    const QString tenant = this->tenant();
    if (tenant.isEmpty()) {
        showFeedback(tr("Choose a tenant first."), true);
        return;
    }
    m_client->post(
        tenantPath(tenant, u"jobs/%1/cancel"_s.arg(deliveryId)), {}, this,
        [this, tenant, deliveryId](const ApiResponse &r) {
            if (!r.ok()) {
                showFeedback(
                    tr("Could not cancel the job of delivery %1. %2").arg(deliveryId, r.message()),
                    true);
                return;
            }
            const QString done =
                tr("Cancellation of the job %1 of delivery %2 requested: the agent "
                   "running it stops it.")
                    .arg(r.object.value("command"_L1).toString(), deliveryId);
            showFeedback(done, false);
            Q_EMIT actionDone(done);
            if (tenant == this->tenant())
                refreshJobs();
        });
}

} // namespace ferry::console
