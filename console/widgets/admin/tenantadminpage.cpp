#include "console/widgets/admin/tenantadminpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/tenantadminmodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/admin/quotadialog.h"
#include "console/widgets/admin/secretdialog.h"

#include <QAction>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

TenantAdminPage::TenantAdminPage(ApiClient *client, QWidget *parent)
    : AdminPage(parent)
    , m_client(client)
    , m_model(new TenantAdminModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_feedback(new FeedbackLabel(this))
{
    setUpAdminTable(m_view, m_proxy, m_model);
    m_view->setAccessibleName(tr("Tenants"));
    createActions();
    auto *toolbar = new QToolBar(this);
    toolbar->setAccessibleName(tr("Tenant actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions(pageActions());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_feedback);
    layout->addWidget(m_view, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TenantAdminPage::updateActions);
    updateActions();
}

TenantAdminPage::~TenantAdminPage() = default;

void TenantAdminPage::createActions()
{
    m_refresh = new QAction(tr("&Refresh"), this);
    m_refresh->setToolTip(tr("Load the tenants again (F5)"));
    m_new = new QAction(tr("&New tenant…"), this);
    m_rename = new QAction(tr("Re&name…"), this);
    m_disable = new QAction(tr("&Disable…"), this);
    m_enable = new QAction(tr("&Enable"), this);
    m_quotas = new QAction(tr("&Quotas && SLA…"), this);
    connect(m_refresh, &QAction::triggered, this, &TenantAdminPage::refresh);
    connect(m_new, &QAction::triggered, this, &TenantAdminPage::openNewTenant);
    connect(m_rename, &QAction::triggered, this, &TenantAdminPage::openRename);
    connect(m_disable, &QAction::triggered, this, &TenantAdminPage::askDisable);
    connect(m_enable, &QAction::triggered, this, [this] {
        change(selectedTenant(), {{u"disabled"_s, false}},
               tr("Tenant %1 enabled: it takes events again.").arg(selectedTenant()));
    });
    connect(m_quotas, &QAction::triggered, this, &TenantAdminPage::openQuotas);
}

QList<QAction *> TenantAdminPage::pageActions() const
{
    return {m_refresh, m_new, m_rename, m_disable, m_enable, m_quotas};
}

void TenantAdminPage::applyRole(Role role, const QString &tenantScope)
{
    m_role = role;
    m_scope = tenantScope;
    updateActions();
}

// Every change needs an unscoped admin token and (but New) a selected tenant.
void TenantAdminPage::updateActions()
{
    const QString refusal = adminRefusal(m_role, m_scope, true);
    const QString tenant = selectedTenant();
    const int row = m_model->rowOf("name"_L1, tenant);
    const bool disabled = row >= 0 && m_model->item(row).value("disabled"_L1).toBool();
    const QString why = !refusal.isEmpty() ? refusal : tr("Select a tenant first.");
    const bool may = refusal.isEmpty();
    const bool chosen = may && !tenant.isEmpty();
    gateAction(m_new, may, tr("Create a tenant; its first producer token is shown once"), refusal);
    gateAction(
        m_rename, chosen,
        tr("Change the display name of %1; its name stays the key producers use").arg(tenant), why);
    gateAction(m_disable, chosen && !disabled,
               tr("Stop %1 taking new events (asks first)").arg(tenant),
               chosen ? tr("%1 is disabled already.").arg(tenant) : why);
    gateAction(m_enable, chosen && disabled, tr("Let %1 take events again").arg(tenant),
               chosen ? tr("%1 is enabled.").arg(tenant) : why);
    gateAction(m_quotas, chosen, tr("Change the quotas and SLA targets of %1").arg(tenant), why);
}

void TenantAdminPage::refresh()
{
    const quint64 request = ++m_request;
    m_client->get(u"/v1/tenants"_s, {}, this, [this, request](const ApiResponse &r) {
        if (request != m_request)
            return;
        if (!r.ok()) {
            m_feedback->showText(tr("The tenants could not be loaded: %1").arg(r.message()), true);
            return;
        }
        showTenants(r.object);
    });
}

void TenantAdminPage::showTenants(const QJsonObject &answer)
{
    const QString selected = selectedTenant();
    m_model->setItems(answer.value("items"_L1).toArray());
    selectTenant(selected);
    m_dataTime = QDateTime::currentDateTimeUtc();
    if (m_feedback->isError())
        m_feedback->showText({}, false);
    updateActions();
    Q_EMIT updated();
}

void TenantAdminPage::clear()
{
    ++m_request;
    m_model->clear();
    m_feedback->showText({}, false);
    m_dataTime = {};
    updateActions();
}

QString TenantAdminPage::feedback() const
{
    return m_feedback->shownText();
}

void TenantAdminPage::selectTenant(const QString &name)
{
    selectAdminRow(m_view, m_proxy, name.isEmpty() ? -1 : m_model->rowOf("name"_L1, name));
}

QString TenantAdminPage::selectedTenant() const
{
    const int row = selectedAdminRow(m_view, m_proxy);
    return row < 0 ? QString() : m_model->item(row).value("name"_L1).toString();
}

SecretDialog *TenantAdminPage::tokenDialog() const
{
    return m_tokenDialog;
}

QInputDialog *TenantAdminPage::openNewTenant()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New tenant"));
    dialog->setLabelText(tr("Name of the new tenant (its key in producers' settings, routes and "
                            "URLs; it cannot be changed later, its display name can):"));
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this](const QString &name) { createTenant(name.trimmed()); });
    dialog->open();
    return dialog;
}

void TenantAdminPage::createTenant(const QString &name)
{
    m_client->post(u"/v1/tenants"_s, {{u"name"_s, name}}, this, [this, name](const ApiResponse &r) {
        if (!r.ok()) {
            m_feedback->showText(tr("Tenant %1 was not created: %2").arg(name, r.message()), true);
            return;
        }
        m_feedback->showText(tr("Tenant %1 created.").arg(name), false);
        Q_EMIT actionDone(tr("Tenant %1 created").arg(name));
        m_tokenDialog = new SecretDialog(
            tr("Producer token of %1").arg(name),
            tr("The first producer token of tenant %1. Producers send it with HTTP ingest as "
               "'Authorization: Bearer <token>'.")
                .arg(name),
            r.object.value("producer_token"_L1).toString(), name + u"-producer-token.txt"_s, this);
        m_tokenDialog->open();
        refresh();
    });
}

QInputDialog *TenantAdminPage::openRename()
{
    const QString tenant = selectedTenant();
    const int row = m_model->rowOf("name"_L1, tenant);
    if (row < 0)
        return nullptr;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rename %1").arg(tenant));
    dialog->setLabelText(
        tr("Display name (1 to 100 characters; the name %1 stays the key):").arg(tenant));
    dialog->setTextValue(m_model->item(row).value("display_name"_L1).toString());
    connect(dialog, &QInputDialog::textValueSelected, this, [this, tenant](const QString &text) {
        change(tenant, {{u"display_name"_s, text.trimmed()}},
               tr("Tenant %1 is now shown as %2.").arg(tenant, text.trimmed()));
    });
    dialog->open();
    return dialog;
}

void TenantAdminPage::askDisable()
{
    const QString tenant = selectedTenant();
    if (tenant.isEmpty())
        return;
    askFirst(this, tr("Disable %1?").arg(tenant),
             tr("While %1 is disabled, HTTP and ZeroMQ ingest refuse its new events (403 "
                "tenant-disabled), its inbound webhooks are refused and its schedules do not "
                "fire. Deliveries it accepted before are still sent. Enable it again at any "
                "time.")
                 .arg(tenant),
             tr("Disable"), [this, tenant] {
                 change(tenant, {{u"disabled"_s, true}},
                        tr("Tenant %1 disabled: its new events are refused.").arg(tenant));
             });
}

QuotaDialog *TenantAdminPage::openQuotas()
{
    const int row = m_model->rowOf("name"_L1, selectedTenant());
    if (row < 0)
        return nullptr;
    const QString tenant = selectedTenant();
    auto *dialog = new QuotaDialog(m_model->item(row), this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, tenant] {
        change(tenant, dialog->body(), tr("Quotas and SLA of %1 saved.").arg(tenant));
    });
    dialog->open();
    return dialog;
}

void TenantAdminPage::change(const QString &tenant, const QJsonObject &body, const QString &done)
{
    m_client->patch(u"/v1/tenants/"_s + tenant, body, this, [this, done](const ApiResponse &r) {
        if (!r.ok()) {
            m_feedback->showText(tr("Not changed: %1").arg(r.message()), true);
            return;
        }
        m_feedback->showText(done, false);
        Q_EMIT actionDone(done);
        refresh();
    });
}

} // namespace ferry::console
