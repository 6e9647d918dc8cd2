#pragma once

#include "console/models/admin/admintablemodel.h"

namespace ferry::console {

// A tenant's producer tokens and CURVE keys as GET /v1/tenants/{tenant}/producers lists them;
// revoked ones are grey.
class ProducerKeyModel final : public AdminTableModel
{
    Q_OBJECT
public:
    enum Column { Kind, Id, PublicKey, Created, Revoked, ColumnCount };
    using AdminTableModel::AdminTableModel;

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &item, int column, int role) const override;
};

} // namespace ferry::console
