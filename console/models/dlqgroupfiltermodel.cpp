#include "console/models/dlqgroupfiltermodel.h"

#include "console/models/dlqgroupmodel.h"

namespace ferry::console {

DlqGroupFilterModel::DlqGroupFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DlqGroupModel::SortRole);
}

namespace {

// Sets a filter; true when it changed.
bool changed(QString &filter, const QString &value)
{
    if (filter == value)
        return false;
    filter = value;
    return true;
}

} // namespace

void DlqGroupFilterModel::setTenant(const QString &value)
{
    if (changed(m_tenant, value))
        invalidateRowsFilter();
}

void DlqGroupFilterModel::setChannel(const QString &value)
{
    if (changed(m_channel, value))
        invalidateRowsFilter();
}

void DlqGroupFilterModel::setReason(const QString &value)
{
    if (changed(m_reason, value))
        invalidateRowsFilter();
}

bool DlqGroupFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const DlqGroup &g = static_cast<const DlqGroupModel *>(sourceModel())->item(sourceRow);
    return (m_tenant.isEmpty() || g.tenant == m_tenant) &&
           (m_channel.isEmpty() || g.channel == m_channel) &&
           (m_reason.isEmpty() || g.reason == m_reason);
}

} // namespace ferry::console
