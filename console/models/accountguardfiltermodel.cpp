#include "console/models/accountguardfiltermodel.h"

#include "console/models/accountguardmodel.h"

namespace ferry::console {

AccountGuardFilterModel::AccountGuardFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(AccountGuardModel::SortRole);
    // Rows change every second: keep the chosen order while values move.
    setDynamicSortFilter(true);
}

void AccountGuardFilterModel::setTenant(const QString &tenant)
{
    if (m_tenant == tenant)
        return;
    m_tenant = tenant;
    invalidateRowsFilter();
}

bool AccountGuardFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *model = static_cast<const AccountGuardModel *>(sourceModel());
    return m_tenant.isEmpty() || model->item(sourceRow).tenant == m_tenant;
}

} // namespace ferry::console
