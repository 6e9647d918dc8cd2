#pragma once

#include "console/models/admin/admintablemodel.h"

namespace ferry::console {

// A tenant's provider credentials as GET /v1/tenants/{tenant}/credentials lists them: metadata
// and the fingerprint only; the secret is write-only and never reaches the console.
class CredentialModel final : public AdminTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Provider, Fingerprint, BaseUrl, Created, Updated, ColumnCount };
    using AdminTableModel::AdminTableModel;

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &item, int column, int role) const override;
};

} // namespace ferry::console
