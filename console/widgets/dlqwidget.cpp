#include "console/widgets/dlqwidget.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/statewords.h"
#include "console/models/dlqfiltermodel.h"
#include "console/models/dlqmodel.h"
#include "console/widgets/deliverydetailwidget.h"

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
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>

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
    , m_splitter(new QSplitter(Qt::Vertical, this))
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

// Toolbar, filter row and feedback over the list and its detail pane.
void DlqWidget::buildLayout()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("DLQ actions"));
    toolbar->addActions(screenActions());

    QLayout *filters = buildFilterRow();

    m_feedback->setWordWrap(true);
    m_feedback->setAccessibleName(tr("Result of the last action"));
    m_feedback->hide();

    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addLayout(filters);
    layout->addWidget(m_feedback);
    layout->addWidget(m_splitter, 1);
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
}

DlqWidget::~DlqWidget() = default;

QList<QAction *> DlqWidget::screenActions() const
{
    return {m_refreshAction, m_replayAction, m_replayFilterAction, m_discardAction, m_noteAction};
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

// The values the list holds, as shown (the reasons in the UI language), each with the code the
// filter matches.
void DlqWidget::fillCombo(QComboBox *combo, int column)
{
    const QString current = combo->currentText();
    QMap<QString, QString> values; // text → code, by text
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex index = m_model->index(i, column);
        values.insert(index.data().toString(), index.data(DlqModel::CodeRole).toString());
    }
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
    updateActions();
    m_refreshSoon->start();
}

void DlqWidget::refresh()
{
    m_client->get(u"/v1/dlq"_s, m_proxy->query().toUrlQuery(kListLimit), this,
                  [this](const ApiResponse &r) {
                      if (!r.ok()) {
                          showFeedback(tr("Could not load the DLQ. %1").arg(r.message()), true);
                          return;
                      }
                      const QStringList keep = selectedIds();
                      m_model->setItems(r.object.value("items"_L1).toArray());
                      fillCombo(m_tenant, DlqModel::Tenant);
                      fillCombo(m_channel, DlqModel::Channel);
                      fillCombo(m_reason, DlqModel::Reason);
                      selectIds(keep);
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
