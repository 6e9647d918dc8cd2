#pragma once

#include "console/models/admin/admintablemodel.h"

namespace ferry::console {

// The API tokens as GET /v1/tokens lists them (never a secret); revoked ones are grey.
class ApiTokenModel final : public AdminTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Name, TokenRole, Tenant, Created, Expires, Revoked, ColumnCount };
    using AdminTableModel::AdminTableModel;

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &item, int column, int role) const override;
};

} // namespace ferry::console
