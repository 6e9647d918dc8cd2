#include "console/models/admin/routefiltermodel.h"

#include "console/models/admin/routemodel.h"

#include <algorithm>

namespace ferry::console {

RouteFilterModel::RouteFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RouteModel::SortRole);
}

void RouteFilterModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool RouteFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    static constexpr int kColumns[] = {RouteModel::Name,       RouteModel::Tenant,
                                       RouteModel::Channel,    RouteModel::Target,
                                       RouteModel::EventTypes, RouteModel::Credential};
    return std::ranges::any_of(kColumns, [&](int column) {
        const QModelIndex index = sourceModel()->index(sourceRow, column, sourceParent);
        return index.data().toString().contains(m_text, Qt::CaseInsensitive);
    });
}

} // namespace ferry::console
