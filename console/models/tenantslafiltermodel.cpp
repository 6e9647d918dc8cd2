#include "console/models/tenantslafiltermodel.h"

#include "console/models/tenantslamodel.h"

namespace ferry::console {

TenantSlaFilterModel::TenantSlaFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TenantSlaModel::SortRole);
}

void TenantSlaFilterModel::setTenantFilter(const QString &text)
{
    if (m_tenant == text)
        return;
    m_tenant = text;
    invalidateRowsFilter();
}

void TenantSlaFilterModel::setAttentionOnly(bool on)
{
    if (m_attentionOnly == on)
        return;
    m_attentionOnly = on;
    invalidateRowsFilter();
}

bool TenantSlaFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const TenantSla &t = static_cast<const TenantSlaModel *>(sourceModel())->item(sourceRow);
    if (!m_tenant.isEmpty() && !t.tenant.contains(m_tenant, Qt::CaseInsensitive))
        return false;
    return !m_attentionOnly || t.severity() != Severity::None;
}

} // namespace ferry::console
