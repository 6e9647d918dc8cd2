#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QTabWidget;

namespace ferry::console {

class AdminPage;
class AgentsPage;
class ApiClient;
class AuditLogPage;
class CredentialAdminPage;
class ProducerKeyAdminPage;
class RouteAdminPage;
class TenantAdminPage;
class TokenAdminPage;

// The Administration screen: tenants, routes, provider credentials, producer keys, API tokens,
// the audit log and the agents, one tab each. The pages load when shown and every
// kRefreshSeconds while they are.
class AdminWidget final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshSeconds = 30;

    explicit AdminWidget(ApiClient *client, QWidget *parent = nullptr);
    ~AdminWidget() override;

    TenantAdminPage *tenants() const { return m_tenants; }
    RouteAdminPage *routes() const { return m_routes; }
    CredentialAdminPage *credentials() const { return m_credentials; }
    ProducerKeyAdminPage *producerKeys() const { return m_producerKeys; }
    TokenAdminPage *tokens() const { return m_tokens; }
    AuditLogPage *auditLog() const { return m_auditLog; }
    AgentsPage *agents() const { return m_agents; }
    QTabWidget *tabs() const { return m_tabs; }
    AdminPage *currentPage() const;
    void showPage(AdminPage *page);

    void applyRole(Role role, const QString &tenantScope);
    void refresh();             // the page on screen
    void reloadDue();           // the page on screen, when its data is kRefreshSeconds old
    void clear();               // every page
    QDateTime dataTime() const; // the page on screen

Q_SIGNALS:
    void actionDone(const QString &what);

private:
    QList<AdminPage *> pages() const;

    ApiClient *m_client;
    QTabWidget *m_tabs;
    TenantAdminPage *m_tenants;
    RouteAdminPage *m_routes;
    CredentialAdminPage *m_credentials;
    ProducerKeyAdminPage *m_producerKeys;
    TokenAdminPage *m_tokens;
    AuditLogPage *m_auditLog;
    AgentsPage *m_agents;
};

} // namespace ferry::console
