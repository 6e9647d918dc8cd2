#pragma once

#include "console/widgets/admin/tenantlistpage.h"

#include <QPointer>

namespace ferry::console {

class ProducerKeyModel;
class SecretDialog;

// Producer keys of the chosen tenant: HTTP tokens and ZeroMQ key pairs (CURVE) with their id,
// public key, when created and revoked. New HTTP token… and New ZeroMQ key pair… show the answer
// once as a credentials file (console/README.md) to copy or save (mode 0600); Revoke… asks
// first. Changes need an admin token.
class ProducerKeyAdminPage final : public TenantListPage
{
    Q_OBJECT
public:
    explicit ProducerKeyAdminPage(ApiClient *client, QWidget *parent = nullptr);
    ~ProducerKeyAdminPage() override;

    ProducerKeyModel *model() const { return m_model; }
    QAction *newTokenAction() const { return m_newToken; }
    QAction *newKeyPairAction() const { return m_newKeyPair; }
    QAction *revokeAction() const { return m_revoke; }
    // The credentials dialog of the last key created (null once closed).
    SecretDialog *credentialsDialog() const;

    // kind "token" or "curve"; the credentials dialog opens when the agent answered.
    void createKey(const QString &kind);
    void askRevoke();

    // The credentials file of a POST /v1/tenants/{tenant}/producers answer; `ingestUrl` (HTTP
    // ingest) and `zmqHost` come from the agents' listen addresses and the connection.
    static QString credentialsFile(const QString &tenant, const QJsonObject &answer,
                                   const QString &ingestUrl, const QString &zmqHost);

protected:
    QString listPath(const QString &tenant) const override;
    void updateActions() override;

private:
    void showCredentials(const QString &tenant, const QJsonObject &answer,
                         const QJsonObject &agents);

    ProducerKeyModel *m_model;
    QAction *m_newToken;
    QAction *m_newKeyPair;
    QAction *m_revoke;
    QPointer<SecretDialog> m_dialog;
};

} // namespace ferry::console
