#pragma once

#include "console/widgets/admin/tenantlistpage.h"

namespace ferry::console {

class CredentialDialog;
class CredentialModel;

// Provider credentials of the chosen tenant: name, provider, fingerprint, base URL, when created
// and updated. Set credential… and Replace… (a dialog whose secret fields are cleared once saved:
// the secret is write-only, the page only ever shows the fingerprint), Delete… (refused while
// routes use it, naming them). Changes need an admin token.
class CredentialAdminPage final : public TenantListPage
{
    Q_OBJECT
public:
    explicit CredentialAdminPage(ApiClient *client, QWidget *parent = nullptr);
    ~CredentialAdminPage() override;

    CredentialModel *model() const { return m_model; }
    QAction *setAction() const { return m_set; }
    QAction *replaceAction() const { return m_replace; }
    QAction *deleteAction() const { return m_delete; }
    QString selectedCredential() const;
    void selectCredential(const QString &name);

    // The dialogs (not blocking; they delete themselves when closed).
    CredentialDialog *openSet();
    CredentialDialog *openReplace();
    void askDelete();

protected:
    QString listPath(const QString &tenant) const override;
    QLatin1StringView keyMember() const override;
    QString loadFailedText(const ApiResponse &r) const override;
    void updateActions() override;

private:
    CredentialDialog *openDialog(const QString &name, const QString &provider);
    void save(const QString &tenant, const QString &name, const QJsonObject &body);
    void remove(const QString &tenant, const QString &name);

    CredentialModel *m_model;
    QAction *m_set;
    QAction *m_replace;
    QAction *m_delete;
};

} // namespace ferry::console
