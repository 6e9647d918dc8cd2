#pragma once

#include "console/widgets/admin/adminpage.h"

#include <QPointer>

class QAction;
class QInputDialog;
class QSortFilterProxyModel;
class QTableView;

namespace ferry::console {

class ApiClient;
class FeedbackLabel;
class QuotaDialog;
class SecretDialog;
class TenantAdminModel;

// Tenants: every tenant with its display name, state, quotas, SLA target and today's events.
// New tenant (its first producer token shown once), Rename (the display name; the name stays the
// key), Disable (after saying what it does) and Enable, Quotas & SLA. Changes are for unscoped
// admin tokens; others see the table with the actions disabled and why.
class TenantAdminPage final : public AdminPage
{
    Q_OBJECT
public:
    explicit TenantAdminPage(ApiClient *client, QWidget *parent = nullptr);
    ~TenantAdminPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    TenantAdminModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QList<QAction *> pageActions() const;
    QAction *newAction() const { return m_new; }
    QAction *renameAction() const { return m_rename; }
    QAction *disableAction() const { return m_disable; }
    QAction *enableAction() const { return m_enable; }
    QAction *quotasAction() const { return m_quotas; }
    QString feedback() const;
    void selectTenant(const QString &name);
    QString selectedTenant() const; // "": none

    // The dialogs the actions open (not blocking; they delete themselves when closed).
    QInputDialog *openNewTenant();
    QInputDialog *openRename();
    QuotaDialog *openQuotas();
    // Asks what disabling does first.
    void askDisable();
    // The token dialog of the last tenant created (null once closed).
    SecretDialog *tokenDialog() const;

Q_SIGNALS:
    void updated(); // the tenants arrived

private:
    void createActions();
    void updateActions();
    void createTenant(const QString &name);
    void change(const QString &tenant, const QJsonObject &body, const QString &done);
    void showTenants(const QJsonObject &answer);

    ApiClient *m_client;
    TenantAdminModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    FeedbackLabel *m_feedback;
    QAction *m_refresh = nullptr;
    QAction *m_new = nullptr;
    QAction *m_rename = nullptr;
    QAction *m_disable = nullptr;
    QAction *m_enable = nullptr;
    QAction *m_quotas = nullptr;
    QPointer<SecretDialog> m_tokenDialog;
    Role m_role = Role::Unknown;
    QString m_scope;
    QDateTime m_dataTime;
    quint64 m_request = 0;
};

} // namespace ferry::console
