#include "console/widgets/admin/tenantlistpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/admintablemodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/tenantpicker.h"

#include <QAction>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TenantListPage::TenantListPage(ApiClient *client, AdminTableModel *model, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_picker(new TenantPicker(this))
    , m_feedback(new FeedbackLabel(this))
    , m_toolbar(new QToolBar(this))
{
    model->setParent(this);
    setUpAdminTable(m_view, m_proxy, m_model);
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *refresh = new QAction(tr("&Refresh"), this);
    refresh->setToolTip(tr("Load the tenants and the list again (F5)"));
    connect(refresh, &QAction::triggered, this, &TenantListPage::refresh);
    m_toolbar->addAction(refresh);
    auto *row = new QHBoxLayout;
    row->addWidget(m_picker);
    row->addWidget(m_toolbar);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_feedback);
    layout->addWidget(m_view, 1);
    connect(m_picker, &TenantPicker::tenantChanged, this, [this] {
        m_model->clear();
        loadList();
    });
    connect(m_picker, &TenantPicker::loaded, this, [this](bool kept) {
        if (!m_picker->hasTenants())
            showFeedback(tr("This agent has no tenants yet."), false);
        else if (kept)
            loadList();
    });
    connect(m_picker, &TenantPicker::loadFailed, this,
            [this](const QString &message) { showFeedback(message, true); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateActions(); });
}

TenantListPage::~TenantListPage() = default;

void TenantListPage::addPageAction(QAction *action)
{
    m_toolbar->addAction(action);
}

void TenantListPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_scope = tenantScope;
    updateActions();
}

void TenantListPage::refresh()
{
    m_picker->load(*m_client);
}

void TenantListPage::reloadList()
{
    loadList();
}

void TenantListPage::loadList()
{
    const QString chosen = tenant();
    if (chosen.isEmpty())
        return;
    const quint64 request = ++m_request;
    m_client->get(listPath(chosen), {}, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return;
        m_dataTime = QDateTime::currentDateTimeUtc();
        if (!r.ok()) {
            showFeedback(loadFailedText(r), true);
            return;
        }
        const int selected = selectedRow();
        const QJsonValue key =
            selected < 0 ? QJsonValue() : m_model->item(selected).value(keyMember());
        m_model->setItems(r.object.value("items"_L1).toArray());
        if (m_feedback->isError())
            showFeedback({}, false);
        if (!key.isNull())
            selectRow(m_model->rowOf(keyMember(), key));
        updateActions();
        Q_EMIT updated();
    });
}

QLatin1StringView TenantListPage::keyMember() const
{
    return "id"_L1;
}

QString TenantListPage::loadFailedText(const ApiResponse &r) const
{
    return tr("The list could not be loaded: %1").arg(r.message());
}

void TenantListPage::clear()
{
    m_picker->clear();
    ++m_request;
    m_model->clear();
    showFeedback({}, false);
    m_dataTime = {};
    updateActions();
}

QString TenantListPage::tenant() const
{
    return m_picker->tenant();
}

void TenantListPage::setTenant(const QString &tenant)
{
    m_picker->setTenant(tenant);
}

QStringList TenantListPage::tenants() const
{
    return m_picker->tenants();
}

QString TenantListPage::feedback() const
{
    return m_feedback->shownText();
}

int TenantListPage::selectedRow() const
{
    return selectedAdminRow(m_view, m_proxy);
}

void TenantListPage::selectRow(int row)
{
    selectAdminRow(m_view, m_proxy, row);
}

void TenantListPage::showFeedback(const QString &text, bool error)
{
    m_feedback->showText(text, error);
}

void TenantListPage::changed(const QString &what)
{
    showFeedback(what, false);
    Q_EMIT actionDone(what);
    loadList();
}

} // namespace ferry::console
