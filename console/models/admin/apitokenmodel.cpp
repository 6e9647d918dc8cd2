#include "console/models/admin/apitokenmodel.h"

#include "console/core/role.h"

using namespace Qt::StringLiterals;

namespace ferry::console {

QStringList ApiTokenModel::headers() const
{
    return {tr("Id"),      tr("Name"),    tr("Role"),   tr("Tenant"),
            tr("Created"), tr("Expires"), tr("Revoked")};
}

QVariant ApiTokenModel::cell(const QJsonObject &item, int column, int role) const
{
    if (role == Qt::ForegroundRole)
        return greyed(item.value("revoked"_L1).toBool());
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Id:
        return item.value("id"_L1).toInteger();
    case Name: {
        const QString name = item.value("name"_L1).toString();
        return name.isEmpty() ? tr("(no name)") : name;
    }
    case TokenRole: {
        const QString r = item.value("role"_L1).toString();
        return roleText(r == "admin"_L1      ? Role::Admin
                        : r == "operator"_L1 ? Role::Operator
                        : r == "viewer"_L1   ? Role::Viewer
                                             : Role::Unknown);
    }
    case Tenant: {
        const QString tenant = item.value("tenant"_L1).toString();
        return tenant.isEmpty() ? tr("all tenants") : tenant;
    }
    case Created:
        return timeCell(item, "created_at"_L1, role, u"—"_s);
    case Expires:
        return timeCell(item, "expires_at"_L1, role, tr("never"));
    case Revoked:
        return timeCell(item, "revoked_at"_L1, role,
                        item.value("revoked"_L1).toBool() ? tr("revoked") : tr("active"));
    default:
        return {};
    }
}

} // namespace ferry::console
