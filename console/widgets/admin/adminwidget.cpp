#include "console/widgets/admin/adminwidget.h"

#include "console/widgets/admin/agentspage.h"
#include "console/widgets/admin/auditlogpage.h"
#include "console/widgets/admin/credentialadminpage.h"
#include "console/widgets/admin/producerkeyadminpage.h"
#include "console/widgets/admin/routeadminpage.h"
#include "console/widgets/admin/tenantadminpage.h"
#include "console/widgets/admin/tokenadminpage.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace ferry::console {

AdminWidget::AdminWidget(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_tabs(new QTabWidget(this))
    , m_tenants(new TenantAdminPage(client, this))
    , m_routes(new RouteAdminPage(client, this))
    , m_credentials(new CredentialAdminPage(client, this))
    , m_producerKeys(new ProducerKeyAdminPage(client, this))
    , m_tokens(new TokenAdminPage(client, this))
    , m_auditLog(new AuditLogPage(client, this))
    , m_agents(new AgentsPage(client, this))
{
    m_tabs->addTab(m_tenants, tr("Tenants"));
    m_tabs->addTab(m_routes, tr("Routes"));
    m_tabs->addTab(m_credentials, tr("Provider credentials"));
    m_tabs->addTab(m_producerKeys, tr("Producer keys"));
    m_tabs->addTab(m_tokens, tr("API tokens"));
    m_tabs->addTab(m_auditLog, tr("Audit log"));
    m_tabs->addTab(m_agents, tr("Agents"));
    m_tabs->setAccessibleName(tr("Administration pages"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    for (AdminPage *page : pages())
        connect(page, &AdminPage::actionDone, this, &AdminWidget::actionDone);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (AdminPage *page = currentPage(); page && !page->dataTime().isValid())
            page->refresh();
    });
}

AdminWidget::~AdminWidget() = default;

QList<AdminPage *> AdminWidget::pages() const
{
    return {m_tenants, m_routes, m_credentials, m_producerKeys, m_tokens, m_auditLog, m_agents};
}

AdminPage *AdminWidget::currentPage() const
{
    return qobject_cast<AdminPage *>(m_tabs->currentWidget());
}

void AdminWidget::showPage(AdminPage *page)
{
    m_tabs->setCurrentWidget(page);
}

void AdminWidget::applyRole(Role role, const QString &tenantScope)
{
    for (AdminPage *page : pages())
        page->applyRole(role, tenantScope);
}

void AdminWidget::refresh()
{
    if (AdminPage *page = currentPage())
        page->refresh();
}

void AdminWidget::reloadDue()
{
    const QDateTime when = dataTime();
    if (!when.isValid() || when.secsTo(QDateTime::currentDateTimeUtc()) >= kRefreshSeconds)
        refresh();
}

void AdminWidget::clear()
{
    for (AdminPage *page : pages())
        page->clear();
}

QDateTime AdminWidget::dataTime() const
{
    const AdminPage *page = currentPage();
    return page ? page->dataTime() : QDateTime();
}

} // namespace ferry::console
