#pragma once

#include "console/widgets/admin/adminpage.h"

#include <QPointer>

class QAction;
class QSortFilterProxyModel;
class QTableView;

namespace ferry::console {

class ApiClient;
struct ApiResponse;
class ApiTokenModel;
class FeedbackLabel;
class SecretDialog;
class TokenDialog;

// API tokens: name, role, tenant or "all tenants", when created, expires and revoked. New
// token… (a role up to the caller's, a scoped admin's own tenant only; the secret shown once
// with Copy) and Revoke… (asks first; not the calling token itself). Admin tokens only.
class TokenAdminPage final : public AdminPage
{
    Q_OBJECT
public:
    explicit TokenAdminPage(ApiClient *client, QWidget *parent = nullptr);
    ~TokenAdminPage() override;

    void applyRole(Role role, const QString &tenantScope) override;
    void refresh() override;
    void clear() override;
    QDateTime dataTime() const override { return m_dataTime; }

    ApiTokenModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QAction *newAction() const { return m_new; }
    QAction *revokeAction() const { return m_revoke; }
    QString feedback() const;
    void selectToken(qint64 id);
    qint64 ownTokenId() const { return m_ownId; }
    SecretDialog *secretDialog() const;

    TokenDialog *openNew();
    void askRevoke();

Q_SIGNALS:
    void updated(); // the tokens arrived

private:
    void updateActions();
    void loadTokens();
    void create(const QJsonObject &body);
    void revoke(qint64 id);

    ApiClient *m_client;
    ApiTokenModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    FeedbackLabel *m_feedback;
    QAction *m_refresh;
    QAction *m_new;
    QAction *m_revoke;
    QPointer<SecretDialog> m_secret;
    QStringList m_tenants;
    Role m_role = Role::Unknown;
    QString m_scope;
    qint64 m_ownId = 0;
    QDateTime m_dataTime;
    quint64 m_request = 0;
};

} // namespace ferry::console
