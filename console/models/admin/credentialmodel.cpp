#include "console/models/admin/credentialmodel.h"

using namespace Qt::StringLiterals;

namespace ferry::console {

QStringList CredentialModel::headers() const
{
    return {tr("Name"),     tr("Provider"), tr("Fingerprint"),
            tr("Base URL"), tr("Created"),  tr("Updated")};
}

QVariant CredentialModel::cell(const QJsonObject &item, int column, int role) const
{
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Name:
        return item.value("name"_L1).toString();
    case Provider:
        return item.value("provider"_L1).toString();
    case Fingerprint:
        return item.value("fingerprint"_L1).toString();
    case BaseUrl: {
        const QString url = item.value("base_url"_L1).toString();
        return url.isEmpty() ? tr("the provider's own") : url;
    }
    case Created:
        return timeCell(item, "created_at"_L1, role, u"—"_s);
    case Updated:
        return timeCell(item, "updated_at"_L1, role, u"—"_s);
    default:
        return {};
    }
}

} // namespace ferry::console
