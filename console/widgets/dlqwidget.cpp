#include "console/widgets/dlqwidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/statewords.h"
#include "console/models/dlqfiltermodel.h"
#include "console/models/dlqgroupmodel.h"
#include "console/models/dlqmodel.h"
#include "console/models/guardhealth.h"
#include "console/widgets/deliverydetailwidget.h"
#include "console/widgets/triage/dlqgroupspage.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {
constexpr int kListLimit = 1000;
} // namespace

DlqWidget::DlqWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new DlqModel(this))
    , m_proxy(new DlqFilterModel(this))
    , m_view(new QTableView(this))
    , m_detail(new DeliveryDetailWidget(client, this))
    , m_groups(new DlqGroupsPage(client, this))
    , m_views(new QTabWidget(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_scopeBar(new QWidget(this))
    , m_scope(new QLabel(this))
    , m_tenant(new QComboBox(this))
    , m_channel(new QComboBox(this))
    , m_reason(new QComboBox(this))
    , m_age(new QComboBox(this))
    , m_triage(new QComboBox(this))
    , m_feedback(new QLabel(this))
    , m_refreshSoon(new QTimer(this))
{
    setUpView();
    setUpFilters();
    createActions();
    buildLayout();
    connectSignals();
    updateActions();
    viewChanged();
}

void DlqWidget::setUpView()
{
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DlqModel::DiedAt, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Dead deliveries"));
}

// Filters: typed in or picked from what the list holds; empty means all.
void DlqWidget::setUpFilters()
{
    for (QComboBox *combo : {m_tenant, m_channel, m_reason}) {
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->setMinimumContentsLength(10);
    }
    m_tenant->lineEdit()->setPlaceholderText(tr("all tenants"));
    m_channel->lineEdit()->setPlaceholderText(tr("all channels"));
    m_reason->lineEdit()->setPlaceholderText(tr("all reasons"));
    m_tenant->setAccessibleName(tr("Tenant filter"));
    m_channel->setAccessibleName(tr("Channel filter"));
    m_reason->setAccessibleName(tr("Reason filter"));
    m_age->setAccessibleName(tr("Age filter"));
    m_triage->setAccessibleName(tr("Triage status filter"));
    m_age->addItem(tr("any age"), 0);
    m_age->addItem(tr("last hour"), 3600);
    m_age->addItem(tr("last 24 hours"), 86400);
    m_age->addItem(tr("last 7 days"), 7 * 86400);
    m_triage->setToolTip(tr("The triage status of the deliveries under All deliveries"));
    m_triage->addItem(tr("any status"), QString());
    for (const QString &code : {u"new"_s, u"investigating"_s, u"resolved"_s})
        m_triage->addItem(triageStatusText(code), code);
}

void DlqWidget::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the dead deliveries again (F5)"));
    m_replayAction = new QAction(tr("Re&play selected"), this);
    m_replayAction->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_replayFilterAction = new QAction(tr("Replay &all matching…"), this);
    m_replayFilterAction->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    m_discardAction = new QAction(tr("&Discard…"), this);
    m_discardAction->setShortcut(QKeySequence(tr("Ctrl+D")));
    m_noteAction = new QAction(tr("&Note and assign…"), this);
    m_noteAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    for (QAction *a : screenActions())
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions(screenActions());
    connect(m_refreshAction, &QAction::triggered, this, &DlqWidget::refresh);
    connect(m_replayAction, &QAction::triggered, this, &DlqWidget::replaySelected);
    connect(m_replayFilterAction, &QAction::triggered, this, &DlqWidget::replayByFilter);
    connect(m_discardAction, &QAction::triggered, this, &DlqWidget::discardSelected);
    connect(m_noteAction, &QAction::triggered, this, &DlqWidget::annotateSelected);
}

// Toolbar, filter row and feedback over the two views: by cause, and the list with its detail
// pane.
void DlqWidget::buildLayout()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("DLQ actions"));
    toolbar->addActions(screenActions());

    QLayout *filters = buildFilterRow();

    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Result of the last action"));
    m_feedback->hide();

    m_views->setDocumentMode(true);
    m_views->setAccessibleName(tr("DLQ views"));
    m_views->addTab(m_groups, tr("By &cause"));
    m_views->addTab(buildDeliveriesView(), tr("All deli&veries"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addLayout(filters);
    layout->addWidget(m_feedback);
    layout->addWidget(m_views, 1);
}

// The list and its detail pane, under the group it is narrowed to (if any).
QWidget *DlqWidget::buildDeliveriesView()
{
    auto *page = new QWidget(this);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_scope->setWordWrap(true);
    m_scope->setAccessibleName(tr("Group shown"));
    auto *showAll = new QPushButton(tr("Show all deliveries"), m_scopeBar);
    connect(showAll, &QPushButton::clicked, this, &DlqWidget::clearScope);
    auto *bar = new QHBoxLayout(m_scopeBar);
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_scope, 1);
    bar->addWidget(showAll);
    m_scopeBar->hide();
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scopeBar);
    layout->addWidget(m_splitter, 1);
    return page;
}

QLayout *DlqWidget::buildFilterRow()
{
    auto *filters = new QHBoxLayout;
    const auto addFilter = [&](const QString &label, QWidget *w) {
        auto *l = new QLabel(label, this);
        l->setBuddy(w);
        filters->addWidget(l);
        filters->addWidget(w);
    };
    addFilter(tr("&Tenant:"), m_tenant);
    addFilter(tr("C&hannel:"), m_channel);
    addFilter(tr("Rea&son:"), m_reason);
    addFilter(tr("A&ge:"), m_age);
    addFilter(tr("Stat&us:"), m_triage);
    filters->addStretch(1);
    return filters;
}

// Filters apply as they change; the selection drives the actions and the detail pane.
void DlqWidget::connectSignals()
{
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(600);
    connect(m_refreshSoon, &QTimer::timeout, this, &DlqWidget::refresh);
    for (QComboBox *combo : {m_tenant, m_channel, m_reason})
        connect(combo, &QComboBox::currentTextChanged, this, &DlqWidget::applyFilters);
    for (QComboBox *combo : {m_age, m_triage})
        connect(combo, &QComboBox::currentIndexChanged, this, &DlqWidget::applyFilters);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DlqWidget::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                const QModelIndex source = m_proxy->mapToSource(current);
                m_detail->showDelivery(m_model->item(source.row()).id);
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, &DlqWidget::updateActions);
    connect(m_views, &QTabWidget::currentChanged, this, &DlqWidget::viewChanged);
    connect(m_groups, &DlqGroupsPage::openRequested, this, &DlqWidget::openSelectedGroup);
    connect(m_groups, &DlqGroupsPage::feedback, this, &DlqWidget::showFeedback);
    connect(m_groups, &DlqGroupsPage::replayed, this, &DlqWidget::refresh);
    connect(m_groups, &DlqGroupsPage::loaded, this, [this] {
        fillCombo(m_tenant, DlqModel::Tenant, DlqGroupModel::Tenant);
        fillCombo(m_channel, DlqModel::Channel, DlqGroupModel::Channel);
        fillCombo(m_reason, DlqModel::Reason, DlqGroupModel::Reason);
        Q_EMIT updated();
    });
}

// Each view shows its own actions (their shortcuts work only there); the triage status filters
// the list only.
void DlqWidget::viewChanged()
{
    const bool groups = showsGroups();
    for (QAction *a : {m_groups->openAction(), m_groups->replayAction()})
        a->setVisible(groups);
    for (QAction *a : {m_replayAction, m_replayFilterAction, m_discardAction, m_noteAction})
        a->setVisible(!groups);
    m_triage->setEnabled(!groups);
}

bool DlqWidget::showsGroups() const
{
    return m_views->currentWidget() == m_groups;
}

void DlqWidget::showGroups()
{
    m_views->setCurrentWidget(m_groups);
}

void DlqWidget::showDeliveries()
{
    m_views->setCurrentIndex(m_views->indexOf(m_groups) == 0 ? 1 : 0);
}

QDateTime DlqWidget::dataTime() const
{
    return showsGroups() ? m_groups->dataTime() : m_dataTime;
}

QString DlqWidget::scopeText() const
{
    return m_scopeBar->isHidden() ? QString() : m_scope->text();
}

DlqWidget::~DlqWidget() = default;

QList<QAction *> DlqWidget::screenActions() const
{
    return {m_refreshAction, m_groups->openAction(), m_groups->replayAction(),
            m_replayAction,  m_replayFilterAction,   m_discardAction,
            m_noteAction};
}

QString DlqWidget::feedback() const
{
    return m_feedback->text();
}

void DlqWidget::showFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    m_feedbackIsError = error && !text.isEmpty();
    m_feedback->setStyleSheet(error ? u"QLabel { color: palette(bright-text); background: #b3261e; "
                                      "padding: 4px; }"_s
                                    : QString());
    m_feedback->setVisible(!text.isEmpty());
    if (!error && !text.isEmpty())
        Q_EMIT actionDone(text);
}

void DlqWidget::setRole(Role role)
{
    m_role = role;
    m_groups->setRole(role);
    updateActions();
}

void DlqWidget::updateActions()
{
    // Unknown: leave the actions on and let the agent decide (its refusal is shown).
    const bool mayAct = m_role != Role::Viewer;
    const bool selected = !selectedIds().isEmpty();
    const QString needs =
        tr("Needs the operator role; this token is a %1 token.").arg(roleText(m_role));
    m_replayAction->setEnabled(mayAct && selected);
    m_discardAction->setEnabled(mayAct && selected);
    m_noteAction->setEnabled(mayAct && selected);
    m_replayFilterAction->setEnabled(mayAct && m_proxy->rowCount() > 0);
    m_replayAction->setToolTip(mayAct ? tr("Queue the selected dead deliveries again (Ctrl+R)")
                                      : needs);
    m_replayFilterAction->setToolTip(
        mayAct ? tr("Queue every dead delivery the filters match, after a dry-run count") : needs);
    m_discardAction->setToolTip(mayAct ? tr("Close the selected deliveries for good, with a reason")
                                       : needs);
    m_noteAction->setToolTip(mayAct ? tr("Add a note, assign, or set the triage status") : needs);
}

// The values the list and the groups hold, as shown (the reasons in the UI language), each with
// the code the filter matches.
void DlqWidget::fillCombo(QComboBox *combo, int column, int groupColumn)
{
    const QString current = combo->currentText();
    QMap<QString, QString> values; // text → code, by text
    const auto collect = [&values](const QAbstractItemModel *model, int c, int codeRole) {
        for (int i = 0; i < model->rowCount(); ++i) {
            const QModelIndex index = model->index(i, c);
            const QString code = index.data(codeRole).toString();
            if (!code.isEmpty()) // "": all
                values.insert(index.data().toString(), code);
        }
    };
    collect(m_model, column, DlqModel::CodeRole);
    collect(m_groups->model(), groupColumn, DlqGroupModel::CodeRole);
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(QString());
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        combo->addItem(it.key(), it.value());
    combo->setCurrentText(current);
}

// What a filter combo matches: the code of the value picked (or typed as shown), else the text
// typed in (a code, for a value the list does not hold yet).
QString DlqWidget::filterCode(const QComboBox *combo)
{
    const QString text = combo->currentText().trimmed();
    const int i = combo->findText(text);
    return i > 0 ? combo->itemData(i).toString() : text;
}

void DlqWidget::applyFilters()
{
    m_proxy->setTenant(filterCode(m_tenant));
    m_proxy->setChannel(filterCode(m_channel));
    m_proxy->setReason(filterCode(m_reason));
    m_proxy->setMaxAgeSeconds(m_age->currentData().toLongLong());
    m_proxy->setTriageStatus(m_triage->currentData().toString());
    m_groups->setFilters(filterCode(m_tenant), filterCode(m_channel), filterCode(m_reason));
    updateActions();
    m_refreshSoon->start();
}

void DlqWidget::refresh()
{
    loadList();
    m_groups->load(m_proxy->query());
}

void DlqWidget::addSnapshot(const QJsonObject &snapshot)
{
    m_groups->setGuards(
        GuardHealth::listFromJson(snapshot.value("guards"_L1).toArray(), u"endpoint"_s));
}

// Narrows the list to exactly the selected group: its tenant and reason in the filters, its
// route (and, for an empty reason, "no recorded reason") as the scope named above the list.
void DlqWidget::openSelectedGroup()
{
    const DlqGroup *selected = m_groups->selectedGroup();
    if (!selected)
        return;
    const DlqGroup g = *selected;
    setFilterTexts(g.tenant, g.reason);
    m_proxy->setEndpoint(g.endpoint);
    m_proxy->setWithoutReason(g.reason.isEmpty());
    m_scope->setText(
        tr("Deliveries of one group: %1 · %2 · %3")
            .arg(g.tenant, g.endpointText(),
                 g.reason.isEmpty() ? tr("no reason recorded") : deadReasonText(g.reason)));
    m_scopeBar->show();
    m_view->selectionModel()->clear();
    m_detail->clear();
    m_selectFirst = true;
    applyFilters();
    m_refreshSoon->stop();
    loadList();
    showDeliveries();
}

// The filters as a group sets them (its tenant and reason; any channel and status), without
// applying them yet.
void DlqWidget::setFilterTexts(const QString &tenant, const QString &reason)
{
    const QList<QComboBox *> combos = {m_tenant, m_channel, m_reason, m_triage};
    for (QComboBox *combo : combos)
        combo->blockSignals(true);
    m_tenant->setCurrentText(tenant);
    m_channel->setCurrentText(QString());
    const QString word = deadReasonText(reason);
    if (!reason.isEmpty() && m_reason->findText(word) < 0)
        m_reason->addItem(word, reason);
    m_reason->setCurrentText(reason.isEmpty() ? QString() : word);
    m_triage->setCurrentIndex(0);
    for (QComboBox *combo : combos)
        combo->blockSignals(false);
}

void DlqWidget::clearScope()
{
    setFilterTexts({}, {});
    m_proxy->setEndpoint(0);
    m_proxy->setWithoutReason(false);
    m_scopeBar->hide();
    applyFilters();
}

void DlqWidget::loadList()
{
    m_client->get(
        u"/v1/dlq"_s, m_proxy->query().toUrlQuery(kListLimit), this, [this](const ApiResponse &r) {
            if (!r.ok()) {
                showFeedback(tr("Could not load the DLQ. %1").arg(r.message()), true);
                return;
            }
            const QStringList keep = selectedIds();
            m_model->setItems(r.object.value("items"_L1).toArray());
            fillCombo(m_tenant, DlqModel::Tenant, DlqGroupModel::Tenant);
            fillCombo(m_channel, DlqModel::Channel, DlqGroupModel::Channel);
            fillCombo(m_reason, DlqModel::Reason, DlqGroupModel::Reason);
            selectIds(keep);
            if (std::exchange(m_selectFirst, false) && keep.isEmpty() && m_proxy->rowCount() > 0)
                m_view->selectRow(0); // its attempts show in the detail pane
            m_view->resizeColumnsToContents();
            for (int c = 0; c < DlqModel::ColumnCount; ++c)
                m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), 320));
            m_dataTime = QDateTime::currentDateTimeUtc();
            if (m_feedbackIsError) // the list loads again: the error is over
                showFeedback({}, false);
            Q_EMIT updated();
        });
}

QStringList DlqWidget::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows())
        ids.append(m_model->item(m_proxy->mapToSource(row).row()).id);
    return ids;
}

void DlqWidget::selectIds(const QStringList &ids)
{
    QItemSelection selection;
    for (const QString &id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(DlqModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    if (!selection.isEmpty())
        m_view->selectionModel()->setCurrentIndex(selection.indexes().first(),
                                                  QItemSelectionModel::NoUpdate);
    updateActions();
}

void DlqWidget::replaySelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) {
        showFeedback(tr("Select the deliveries to replay first."), true);
        return;
    }
    m_client->post(u"/v1/dlq/replay"_s, QJsonObject{{u"ids"_s, QJsonArray::fromStringList(ids)}},
                   this, [this, ids](const ApiResponse &r) {
                       if (!r.ok()) {
                           showFeedback(tr("Replay failed. %1").arg(r.message()), true);
                           return;
                       }
                       m_model->removeIds(ids);
                       if (ids.contains(m_detail->deliveryId()))
                           m_detail->clear();
                       const int n = r.object.value("replayed"_L1).toInt();
                       showFeedback(tr("Deliveries queued again: %Ln.", "", n), false);
                   });
}

void DlqWidget::replayByFilter()
{
    const QJsonObject filter = m_proxy->query().toFilterJson();
    m_client->post(
        u"/v1/dlq/replay"_s, QJsonObject{{u"filter"_s, filter}, {u"dry_run"_s, true}}, this,
        [this, filter](const ApiResponse &r) {
            if (!r.ok()) {
                showFeedback(tr("Could not count the matching deliveries. %1").arg(r.message()),
                             true);
                return;
            }
            const int n = r.object.value("would_replay"_L1).toInt();
            if (n == 0) {
                showFeedback(tr("No dead delivery matches the filters; nothing to replay."), true);
                return;
            }
            auto *box = new QMessageBox(
                QMessageBox::Question, tr("Replay matching deliveries"),
                tr("Dead deliveries matching the current filters: %Ln. They will be queued "
                   "again. Replay them?",
                   "", n),
                QMessageBox::Yes | QMessageBox::Cancel, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setDefaultButton(QMessageBox::Cancel);
            connect(box, &QMessageBox::finished, this, [this, box, filter](int) {
                if (box->clickedButton() != box->button(QMessageBox::Yes))
                    return;
                m_client->post(
                    u"/v1/dlq/replay"_s, QJsonObject{{u"filter"_s, filter}}, this,
                    [this](const ApiResponse &done) {
                        if (!done.ok()) {
                            showFeedback(tr("Replay failed. %1").arg(done.message()), true);
                            return;
                        }
                        const int replayed = done.object.value("replayed"_L1).toInt();
                        showFeedback(tr("Deliveries queued again: %Ln.", "", replayed), false);
                        refresh();
                    });
            });
            box->open();
        });
}

void DlqWidget::discardSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) {
        showFeedback(tr("Select the deliveries to discard first."), true);
        return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Discard dead deliveries"));
    dialog->setLabelText(
        tr("Deliveries to discard: %Ln. Discarding closes them for good. Why? (kept in "
           "the audit log)",
           "", int(ids.size())));
    dialog->setOkButtonText(tr("Discard"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this, ids](const QString &reason) {
        if (reason.trimmed().isEmpty()) {
            showFeedback(tr("A reason is needed to discard; nothing was discarded."), true);
            return;
        }
        for (const QString &id : ids) {
            m_client->post(u"/v1/dlq/%1/discard"_s.arg(id), QJsonObject{{u"reason"_s, reason}},
                           this, [this, id](const ApiResponse &r) {
                               if (!r.ok()) {
                                   showFeedback(tr("Could not discard %1. %2").arg(id, r.message()),
                                                true);
                                   return;
                               }
                               m_model->removeIds({id});
                               if (m_detail->deliveryId() == id)
                                   m_detail->clear();
                               showFeedback(tr("Discarded %1.").arg(id), false);
                           });
        }
    });
    dialog->open();
}

void DlqWidget::annotateSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) {
        showFeedback(tr("Select the deliveries to annotate first."), true);
        return;
    }
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Note and assign"));
    auto *note = new QLineEdit(dialog);
    note->setAccessibleName(tr("Note"));
    auto *assignee = new QLineEdit(dialog);
    assignee->setAccessibleName(tr("Assignee"));
    const int row = m_model->rowOf(ids.first());
    if (row >= 0)
        assignee->setText(m_model->item(row).assignee);
    auto *status = new QComboBox(dialog);
    status->setAccessibleName(tr("Triage status"));
    status->addItem(tr("(unchanged)"), QString());
    for (const QString &code : {u"new"_s, u"investigating"_s, u"resolved"_s})
        status->addItem(triageStatusText(code), code);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("&Note:"), note);
    form->addRow(tr("&Assignee:"), assignee);
    form->addRow(tr("&Status:"), status);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, ids, note, assignee, status] {
        QJsonObject body;
        if (!note->text().trimmed().isEmpty())
            body.insert(u"note"_s, note->text().trimmed());
        body.insert(u"assignee"_s, assignee->text().trimmed());
        const QString triage = status->currentData().toString();
        if (!triage.isEmpty())
            body.insert(u"status"_s, triage);
        const QString who = assignee->text().trimmed();
        for (const QString &id : ids) {
            m_client->post(u"/v1/dlq/%1/notes"_s.arg(id), body, this,
                           [this, id, triage, who](const ApiResponse &r) {
                               if (!r.ok()) {
                                   showFeedback(
                                       tr("Could not annotate %1. %2").arg(id, r.message()), true);
                                   return;
                               }
                               m_model->setTriage(id, triage, who);
                               if (m_detail->deliveryId() == id)
                                   m_detail->showDelivery(id);
                               showFeedback(tr("Recorded for %1.").arg(id), false);
                           });
        }
    });
    dialog->open();
}

QByteArray DlqWidget::saveLayout() const
{
    return m_splitter->saveState();
}

void DlqWidget::restoreLayout(const QByteArray &state)
{
    m_splitter->restoreState(state);
}

} // namespace ferry::console
