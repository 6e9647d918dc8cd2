#pragma once

#include "console/core/role.h"

#include "console/widgets/admin/checkeddialog.h"
#include <QJsonObject>

class QComboBox;
class QLineEdit;

namespace ferry::console {

// New API token…: its role (up to the caller's own), its tenant (a scoped admin's own only;
// "all tenants" for unscoped admins), a name and when it expires, for POST /v1/tokens.
class TokenDialog final : public CheckedDialog
{
    Q_OBJECT
public:
    // `tenants`: the tenants to offer; `ownRole` and `ownScope`: the calling token's.
    TokenDialog(const QStringList &tenants, Role ownRole, const QString &ownScope,
                QWidget *parent = nullptr);

    QComboBox *roleField() const { return m_role; }
    QComboBox *tenantField() const { return m_tenant; }
    QLineEdit *nameField() const { return m_name; }
    QComboBox *expiresField() const { return m_expires; }
    QString problem() const override;
    QJsonObject body() const;

private:
    QComboBox *m_role;
    QComboBox *m_tenant;
    QLineEdit *m_name;
    QComboBox *m_expires;
};

} // namespace ferry::console
