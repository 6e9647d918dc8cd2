#include "console/widgets/admin/routeadminpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/core/uiformat.h"
#include "console/models/admin/routefiltermodel.h"
#include "console/models/admin/routemodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/admin/routeeditor.h"
#include "console/widgets/admin/secretdialog.h"
#include "console/widgets/tenantpicker.h"

#include <QAction>
#include <QDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

constexpr int kPageLimit = 1000;

} // namespace

RouteAdminPage::RouteAdminPage(ApiClient *client, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(new RouteModel(this))
    , m_proxy(new RouteFilterModel(this))
    , m_view(new QTableView(this))
    , m_tenantPicker(new TenantPicker(this))
    , m_filter(new QLineEdit(this))
    , m_feedback(new FeedbackLabel(this))
    , m_testOutcome(new FeedbackLabel(this))
    , m_testTimer(new QTimer(this))
{
    m_tenantPicker->setAllChoice(tr("All tenants"));
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RouteModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Routes"));
    m_filter->setPlaceholderText(tr("Filter by name, target, event type…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter routes"));
    m_testOutcome->setAccessibleName(tr("Outcome of the test send"));
    m_testTimer->setInterval(kTestPollMs);
    createActions();
    buildLayout();
    connectSignals();
    updateActions();
}

RouteAdminPage::~RouteAdminPage() = default;

void RouteAdminPage::createActions()
{
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the tenants and routes again (F5)"));
    m_newAction = new QAction(tr("&New route…"), this);
    m_editAction = new QAction(tr("&Edit…"), this);
    m_disableAction = new QAction(tr("&Disable…"), this);
    m_enableAction = new QAction(tr("E&nable"), this);
    m_testAction = new QAction(tr("&Test send"), this);
    for (QAction *a : {m_refreshAction, m_newAction, m_editAction, m_disableAction, m_enableAction,
                       m_testAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_refreshAction, &QAction::triggered, this, &RouteAdminPage::refresh);
    connect(m_newAction, &QAction::triggered, this, &RouteAdminPage::newRoute);
    connect(m_editAction, &QAction::triggered, this, &RouteAdminPage::editSelected);
    connect(m_disableAction, &QAction::triggered, this, &RouteAdminPage::disableSelected);
    connect(m_enableAction, &QAction::triggered, this, [this] { enableRoute(selectedRoute()); });
    connect(m_testAction, &QAction::triggered, this, [this] { testRoute(selectedRoute()); });
}

void RouteAdminPage::buildLayout()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Route actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction *a : {m_refreshAction, m_newAction, m_editAction, m_disableAction, m_enableAction,
                       m_testAction})
        toolbar->addAction(a);
    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    auto *row = new QHBoxLayout;
    row->addWidget(m_tenantPicker);
    row->addWidget(filterLabel);
    row->addWidget(m_filter, 1);
    row->addWidget(toolbar);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_feedback);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_testOutcome);
}

void RouteAdminPage::connectSignals()
{
    connect(m_tenantPicker, &TenantPicker::tenantChanged, this, &RouteAdminPage::loadRoutes);
    connect(m_tenantPicker, &TenantPicker::loaded, this, &RouteAdminPage::loadRoutes);
    connect(m_tenantPicker, &TenantPicker::loadFailed, this,
            [this](const QString &message) { showFeedback(message, true); });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &RouteFilterModel::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RouteAdminPage::updateActions);
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (m_editAction->isEnabled())
            editSelected();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        for (int c = 0; c < RouteModel::ColumnCount; ++c)
            m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), 320));
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RouteAdminPage::updateActions);
    connect(m_testTimer, &QTimer::timeout, this, &RouteAdminPage::pollTest);
}

void RouteAdminPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_tenantScope = tenantScope;
    updateActions();
}

void RouteAdminPage::refresh()
{
    m_tenantPicker->load(*m_client); // then loadRoutes()
}

void RouteAdminPage::clear()
{
    ++m_request;
    m_tenantPicker->clear();
    m_model->clear();
    m_dataTime = {};
    m_testTimer->stop();
    ++m_testRequest;
    m_testOutcome->showText(QString(), false);
    showFeedback(QString(), false);
}

void RouteAdminPage::loadRoutes()
{
    loadPage(QString(), QJsonArray(), ++m_request);
}

// GET /v1/routes page by page; the model gets them all at once.
void RouteAdminPage::loadPage(const QString &cursor, const QJsonArray &before, quint64 request)
{
    QUrlQuery query;
    if (!tenant().isEmpty())
        query.addQueryItem(u"tenant"_s, tenant());
    query.addQueryItem(u"limit"_s, QString::number(kPageLimit));
    if (!cursor.isEmpty())
        query.addQueryItem(u"cursor"_s, cursor);
    m_client->get(u"/v1/routes"_s, query, this, [this, before, request](const ApiResponse &r) {
        if (request != m_request)
            return;
        if (!r.ok()) {
            showFeedback(tr("The routes could not be loaded: %1").arg(r.message()), true);
            return;
        }
        QJsonArray items = before;
        for (const QJsonValue &v : r.object.value("items"_L1).toArray())
            items.append(v);
        const QString next = r.object.value("next_cursor"_L1).toString();
        if (!next.isEmpty())
            return loadPage(next, items, request);
        const qint64 selected = selectedRoute();
        m_model->setRoutes(items);
        m_dataTime = QDateTime::currentDateTimeUtc();
        showFeedback(QString(), false);
        selectRoute(selected);
    });
}

QString RouteAdminPage::tenant() const
{
    return m_tenantPicker->tenant();
}

void RouteAdminPage::setTenant(const QString &tenant)
{
    m_tenantPicker->setTenant(tenant);
}

qint64 RouteAdminPage::selectedRoute() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(RouteModel::IdRole).toLongLong();
}

void RouteAdminPage::selectRoute(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0) {
        m_view->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

const RouteEntry *RouteAdminPage::selectedEntry() const
{
    return m_model->find(selectedRoute());
}

RouteEditor *RouteAdminPage::editor() const
{
    return m_editor;
}

QDialog *RouteAdminPage::secretDialog() const
{
    return m_secretDialog;
}

QString RouteAdminPage::feedback() const
{
    return m_feedback->shownText();
}

QString RouteAdminPage::testOutcome() const
{
    return m_testOutcome->shownText();
}

bool RouteAdminPage::isTestRunning() const
{
    return m_testTimer->isActive();
}

void RouteAdminPage::showFeedback(const QString &text, bool error)
{
    m_feedback->showText(text, error);
}

// Create, edit, disable and enable for admin tokens; test send for operator tokens too. A
// disabled action's tooltip says which token it needs, or what to select.
void RouteAdminPage::updateActions()
{
    // Unknown: leave the actions on and let the agent decide (its refusal is shown).
    const QString needsAdmin = adminRefusal(m_role, m_tenantScope, false);
    const QString needsOperator =
        m_role == Role::Viewer ? tr("Needs an operator or admin token; this token is a %1 token.")
                                     .arg(roleText(m_role))
                               : QString();
    const RouteEntry *r = selectedEntry();
    const QString select = tr("Select a route first.");
    // The role's refusal first, then what the selection lacks.
    const auto why = [](const QString &role, const QString &state) {
        return role.isEmpty() ? state : role;
    };
    const bool admin = needsAdmin.isEmpty();
    gateAction(m_newAction, admin, tr("Create a route"), needsAdmin);
    gateAction(m_editAction, admin && r, tr("Change the selected route"), why(needsAdmin, select));
    gateAction(m_disableAction, admin && r && r->enabled,
               tr("Disable the selected route; its open deliveries go to the DLQ"),
               why(needsAdmin, r ? tr("The route is disabled already.") : select));
    gateAction(m_enableAction, admin && r && !r->enabled, tr("Enable the selected route again"),
               why(needsAdmin, r ? tr("The route is enabled.") : select));
    const QString testState = !r            ? select
                              : !r->enabled ? tr("The route is disabled: enable it first.")
                                            : tr("A test send is under way.");
    gateAction(m_testAction, needsOperator.isEmpty() && r && r->enabled && !isTestRunning(),
               tr("Send a test event to the selected route alone and show what became of it"),
               why(needsOperator, testState));
}

RouteEditor *RouteAdminPage::newRoute()
{
    return openEditor(nullptr);
}

RouteEditor *RouteAdminPage::editRoute(qint64 id)
{
    const RouteEntry *route = m_model->find(id);
    if (!route) {
        showFeedback(tr("Route %1 is not listed: refresh the page.").arg(id), true);
        return nullptr;
    }
    return openEditor(route);
}

void RouteAdminPage::editSelected()
{
    if (const qint64 id = selectedRoute())
        editRoute(id);
}

RouteEditor *RouteAdminPage::openEditor(const RouteEntry *route)
{
    if (m_editor)
        m_editor->close();
    QStringList tenants = m_tenantPicker->tenants();
    if (!tenant().isEmpty()) { // the chosen one first
        tenants.removeAll(tenant());
        tenants.prepend(tenant());
    }
    m_editor = new RouteEditor(m_client, tenants, route, this);
    m_editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_editor, &RouteEditor::saved, this, &RouteAdminPage::onSaved);
    m_editor->open();
    return m_editor;
}

void RouteAdminPage::onSaved(const QJsonObject &route)
{
    QJsonObject listed = route;
    listed.remove(u"signing_secret"_s);
    if (tenant().isEmpty() || listed.value("tenant"_L1).toString() == tenant())
        m_model->updateRoute(listed);
    const RouteEntry entry = RouteEntry::fromJson(listed);
    selectRoute(entry.id);
    Q_EMIT actionDone(tr("Route %1 saved").arg(entry.displayName()));
    const QString secret = route.value("signing_secret"_L1).toString();
    if (!secret.isEmpty())
        showSecret(entry.displayName(), secret);
}

// The signing secret the agent made for a route, shown this once.
void RouteAdminPage::showSecret(const QString &route, const QString &secret)
{
    auto *dialog = new SecretDialog(
        tr("Signing secret of %1").arg(route),
        tr("Give this secret to the receiver of route %1: it checks the signature of every "
           "delivery with it (Standard Webhooks).")
            .arg(route),
        secret, u"signing-secret.txt"_s, this);
    m_secretDialog = dialog;
    dialog->open();
}

void RouteAdminPage::disableSelected()
{
    const RouteEntry *r = selectedEntry();
    if (!r)
        return;
    const qint64 id = r->id;
    askFirst(this, tr("Disable the route"),
             tr("Disable the route %1 (%2)? No new events are routed to it, and its open "
                "deliveries go to the dead-letter queue as endpoint_disabled, from where they "
                "can be replayed once it is enabled again.")
                 .arg(r->displayName(), r->target),
             tr("&Disable"), [this, id] { disableRoute(id); });
}

void RouteAdminPage::disableRoute(qint64 id)
{
    const RouteEntry *r = m_model->find(id);
    const QString name = r ? r->displayName() : QString::number(id);
    m_client->remove(u"/v1/routes/%1"_s.arg(id), {}, this, [this, name](const ApiResponse &reply) {
        if (!reply.ok()) {
            showFeedback(tr("The route %1 was not disabled: %2").arg(name, reply.message()), true);
            return;
        }
        Q_EMIT actionDone(tr("Route %1 disabled").arg(name));
        loadRoutes();
    });
}

void RouteAdminPage::enableRoute(qint64 id)
{
    const RouteEntry *r = m_model->find(id);
    const QString name = r ? r->displayName() : QString::number(id);
    m_client->patch(u"/v1/routes/%1"_s.arg(id), QJsonObject{{u"enabled"_s, true}}, this,
                    [this, name](const ApiResponse &reply) {
                        if (!reply.ok()) {
                            showFeedback(
                                tr("The route %1 was not enabled: %2").arg(name, reply.message()),
                                true);
                            return;
                        }
                        m_model->updateRoute(reply.object);
                        Q_EMIT actionDone(tr("Route %1 enabled").arg(name));
                    });
}

// POST /v1/routes/{id}/test, then its delivery every kTestPollMs until it is final.
void RouteAdminPage::testRoute(qint64 id)
{
    const RouteEntry *r = m_model->find(id);
    if (!r)
        return;
    m_testTimer->stop();
    const quint64 request = ++m_testRequest;
    m_testRouteName = r->displayName();
    m_testDelivery.clear();
    m_testPolls = 0;
    showTestOutcome(tr("Test send to %1: sending…").arg(m_testRouteName), false);
    m_client->post(
        u"/v1/routes/%1/test"_s.arg(id), {}, this, [this, request](const ApiResponse &reply) {
            if (request != m_testRequest)
                return;
            if (!reply.ok()) {
                showTestOutcome(
                    tr("Test send to %1 refused: %2").arg(m_testRouteName, reply.message()), true);
                return;
            }
            m_testDelivery = reply.object.value("delivery_id"_L1).toString();
            showTestOutcome(
                tr("Test send to %1: sent, waiting for the outcome…").arg(m_testRouteName), false);
            m_testTimer->start();
            updateActions();
        });
}

void RouteAdminPage::pollTest()
{
    if (++m_testPolls * kTestPollMs > kTestTimeoutMs) {
        m_testTimer->stop();
        showTestOutcome(tr("Test send to %1: no outcome after %2 s; look for delivery %3 under "
                           "Deliveries.")
                            .arg(m_testRouteName)
                            .arg(kTestTimeoutMs / 1000)
                            .arg(m_testDelivery),
                        true);
        updateActions();
        return;
    }
    const quint64 request = m_testRequest;
    m_client->get(u"/v1/deliveries/"_s + m_testDelivery, {}, this,
                  [this, request](const ApiResponse &r) {
                      if (request == m_testRequest && m_testTimer->isActive())
                          showTestTrace(r);
                  });
}

void RouteAdminPage::showTestTrace(const ApiResponse &r)
{
    if (!r.ok())
        return; // asked again at the next tick, until the time is up
    const QString state = r.object.value("state"_L1).toString();
    const QJsonArray attempts = r.object.value("attempt_log"_L1).toArray();
    const QJsonObject last = attempts.isEmpty() ? QJsonObject() : attempts.last().toObject();
    if (state == "succeeded"_L1) {
        m_testTimer->stop();
        showTestOutcome(tr("Test send to %1: delivered, HTTP %2 in %3 ms.")
                            .arg(m_testRouteName)
                            .arg(last.value("status_code"_L1).toInt())
                            .arg(countText(last.value("duration_ms"_L1).toInteger())),
                        false);
    } else if (state == "discarded"_L1 || state == "dead"_L1) {
        m_testTimer->stop();
        showTestOutcome(tr("Test send to %1 failed: %2")
                            .arg(m_testRouteName, r.object.value("last_error"_L1).toString()),
                        true);
    }
    updateActions();
}

void RouteAdminPage::showTestOutcome(const QString &text, bool failed)
{
    m_testOutcome->showText(text, failed);
}

} // namespace ferry::console
