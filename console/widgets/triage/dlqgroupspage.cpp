#include "console/widgets/triage/dlqgroupspage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/dlqquery.h"
#include "console/core/statewords.h"
#include "console/models/dlqgroupfiltermodel.h"
#include "console/models/dlqgroupmodel.h"
#include "console/models/guardhealth.h"
#include "console/widgets/triage/dlqgrouppane.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

DlqGroupsPage::DlqGroupsPage(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new DlqGroupModel(this))
    , m_proxy(new DlqGroupFilterModel(this))
    , m_view(new QTableView(this))
    , m_pane(new DlqGroupPane(client, this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setUpView();
    createActions();
    m_pane->setActions({m_openAction, m_replayAction});
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_pane);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    updateActions();
}

DlqGroupsPage::~DlqGroupsPage() = default;

void DlqGroupsPage::setUpView()
{
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DlqGroupModel::Count, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Dead deliveries by cause"));
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DlqGroupsPage::showSelected);
    connect(m_view, &QAbstractItemView::activated, this, &DlqGroupsPage::openDeliveries);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        if (const DlqGroup *g = selectedGroup())
            m_pane->setBreaker(m_model->breakerOf(*g), m_model->breakerToolTip(*g));
    });
}

void DlqGroupsPage::createActions()
{
    m_openAction = new QAction(tr("&Open deliveries"), this);
    m_openAction->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    m_openAction->setToolTip(
        tr("List the group's dead deliveries under All deliveries, with their attempts"));
    m_replayAction = new QAction(tr("Repla&y group…"), this);
    m_replayAction->setShortcut(QKeySequence(tr("Ctrl+Shift+G")));
    for (QAction *a : {m_openAction, m_replayAction})
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_openAction, &QAction::triggered, this, &DlqGroupsPage::openDeliveries);
    connect(m_replayAction, &QAction::triggered, this, &DlqGroupsPage::replayGroup);
}

void DlqGroupsPage::setRole(Role role)
{
    m_role = role;
    updateActions();
}

void DlqGroupsPage::updateActions()
{
    // Unknown: leave the action on and let the agent decide (its refusal is shown).
    const bool mayAct = m_role != Role::Viewer;
    const bool selected = selectedGroup() != nullptr;
    m_openAction->setEnabled(selected);
    m_replayAction->setEnabled(mayAct && selected);
    m_replayAction->setToolTip(
        mayAct ? tr("Queue the group's dead deliveries again, after a preview (Ctrl+Shift+G)")
               : tr("Needs the operator role; this token is a %1 token.").arg(roleText(m_role)));
}

void DlqGroupsPage::setGuards(const QList<GuardHealth> &guards)
{
    m_model->setGuards(guards);
}

void DlqGroupsPage::setFilters(const QString &tenant, const QString &channel, const QString &reason)
{
    m_proxy->setTenant(tenant);
    m_proxy->setChannel(channel);
    m_proxy->setReason(reason);
    if (!selectedGroup())
        selectGroup({});
}

void DlqGroupsPage::load(const DlqQuery &query)
{
    const QString since = query.since();
    m_client->get(u"/v1/dlq/groups"_s, query.toGroupsQuery(kGroupLimit), this,
                  [this, since](const ApiResponse &r) {
                      if (!r.ok()) {
                          Q_EMIT feedback(
                              tr("Could not load the groups of the DLQ. %1").arg(r.message()),
                              true);
                          return;
                      }
                      const DlqGroup *selected = selectedGroup();
                      const QString keep = selected ? selected->key() : QString();
                      m_since = since;
                      m_model->setItems(r.object.value("items"_L1).toArray());
                      m_view->resizeColumnsToContents();
                      for (int c = 0; c < DlqGroupModel::ColumnCount; ++c)
                          m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), 240));
                      if (keep.isEmpty() || !selectGroup(keep))
                          selectGroup({}); // the largest group
                      m_dataTime = QDateTime::currentDateTimeUtc();
                      Q_EMIT loaded();
                  });
}

const DlqGroup *DlqGroupsPage::selectedGroup() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return &m_model->item(m_proxy->mapToSource(rows.first()).row());
}

// Selects the group with that key; an empty key: the largest group shown.
bool DlqGroupsPage::selectGroup(const QString &key)
{
    QModelIndex index;
    if (key.isEmpty()) {
        index = m_proxy->index(0, 0);
    } else if (const int row = m_model->rowOf(key); row >= 0) {
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    if (!index.isValid()) {
        m_view->selectionModel()->clear();
        showSelected();
        return false;
    }
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    showSelected(); // the group's numbers may have changed with the same current row
    return true;
}

void DlqGroupsPage::showSelected()
{
    updateActions();
    const DlqGroup *g = selectedGroup();
    if (!g) {
        m_pane->clear(m_proxy->rowCount() == 0
                          ? tr("No dead deliveries match the filters.")
                          : tr("Select a group to see its endpoint, breaker and recent attempts."));
        return;
    }
    m_pane->showGroup(*g);
    m_pane->setBreaker(m_model->breakerOf(*g), m_model->breakerToolTip(*g));
}

void DlqGroupsPage::openDeliveries()
{
    if (selectedGroup())
        Q_EMIT openRequested();
}

// A dry run with the group's filter (and the age the groups were loaded for) first.
void DlqGroupsPage::replayGroup()
{
    const DlqGroup *selected = selectedGroup();
    if (!selected) {
        Q_EMIT feedback(tr("Select the group to replay first."), true);
        return;
    }
    const DlqGroup group = *selected;
    QJsonObject filter = group.filter;
    if (!m_since.isEmpty())
        filter.insert(u"since"_s, m_since);
    m_client->post(
        u"/v1/dlq/replay"_s, QJsonObject{{u"filter"_s, filter}, {u"dry_run"_s, true}}, this,
        [this, group, filter](const ApiResponse &r) {
            if (!r.ok()) {
                Q_EMIT feedback(tr("Could not preview the replay. %1").arg(r.message()), true);
                return;
            }
            const int n = r.object.value("would_replay"_L1).toInt();
            if (n == 0) {
                Q_EMIT feedback(tr("The group has no dead deliveries any more; nothing to replay."),
                                true);
                Q_EMIT replayed(); // the lists are out of date
                return;
            }
            withCurrentRoute(group, [this, filter, n](const DlqGroup &current) {
                confirmReplay(current, filter, n);
            });
        });
}

// The group with its route as it is now (its name, target and whether it is enabled may have
// changed since the groups were loaded: a URL fixed on the Routes page); as loaded when the
// route cannot be read.
void DlqGroupsPage::withCurrentRoute(const DlqGroup &group,
                                     const std::function<void(const DlqGroup &)> &next)
{
    m_client->get(
        u"/v1/routes/%1"_s.arg(group.endpoint), {}, this, [group, next](const ApiResponse &r) {
            DlqGroup current = group;
            if (r.ok()) {
                current.endpointName = r.object.value("name"_L1).toString();
                current.target = r.object.value("target"_L1).toString(group.target);
                current.routeEnabled = r.object.value("enabled"_L1).toBool(group.routeEnabled);
            }
            next(current);
        });
}

// How many, to where, and what stands in the way; Cancel is the default.
void DlqGroupsPage::confirmReplay(const DlqGroup &group, const QJsonObject &filter, int preview)
{
    QStringList lines = {
        tr("Tenant: %1").arg(group.tenant), tr("Endpoint: %1").arg(group.endpointText()),
        tr("Reason: %1")
            .arg(group.reason.isEmpty() ? tr("no reason recorded") : deadReasonText(group.reason))};
    const QString breaker = m_model->breakerOf(group);
    QStringList warnings;
    if (breaker == "open"_L1)
        warnings.append(tr("The endpoint's circuit breaker is open: the deliveries wait until it "
                           "lets an attempt through, and die again if the endpoint still fails."));
    if (!group.routeEnabled)
        warnings.append(tr("The route is disabled: replayed deliveries are not sent and die again. "
                           "Enable the route first."));
    auto *box = new QMessageBox(warnings.isEmpty() ? QMessageBox::Question : QMessageBox::Warning,
                                tr("Replay group"),
                                tr("Dead deliveries to replay: %Ln. They will be queued again for "
                                   "this endpoint.",
                                   "", preview),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setInformativeText((lines + warnings).join(u'\n'));
    box->button(QMessageBox::Yes)->setText(tr("Replay"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, filter, preview](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            sendReplay(filter, preview);
    });
    box->open();
}

void DlqGroupsPage::sendReplay(const QJsonObject &filter, int preview)
{
    m_client->post(u"/v1/dlq/replay"_s, QJsonObject{{u"filter"_s, filter}}, this,
                   [this, preview](const ApiResponse &r) {
                       if (!r.ok()) {
                           Q_EMIT feedback(tr("Replay failed. %1").arg(r.message()), true);
                           return;
                       }
                       const int n = r.object.value("replayed"_L1).toInt();
                       QString text = tr("Deliveries queued again: %Ln.", "", n);
                       if (n != preview)
                           text += u' ' + tr("The preview counted %Ln: deliveries died or were "
                                             "replayed in between.",
                                             "", preview);
                       Q_EMIT feedback(text, false);
                       Q_EMIT replayed();
                   });
}

} // namespace ferry::console
