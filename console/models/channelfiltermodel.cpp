#include "console/models/channelfiltermodel.h"

#include "console/models/channelmodel.h"

namespace ferry::console {

ChannelFilterModel::ChannelFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ChannelModel::SortRole);
    // Rows change every second: keep the chosen order while values move.
    setDynamicSortFilter(true);
}

void ChannelFilterModel::setTenant(const QString &tenant)
{
    if (m_tenant == tenant)
        return;
    m_tenant = tenant;
    invalidateRowsFilter();
}

void ChannelFilterModel::setChannel(const QString &channel)
{
    if (m_channel == channel)
        return;
    m_channel = channel;
    invalidateRowsFilter();
}

void ChannelFilterModel::setProblemsOnly(bool on)
{
    if (m_problemsOnly == on)
        return;
    m_problemsOnly = on;
    invalidateRowsFilter();
}

bool ChannelFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const ChannelHealth &c = static_cast<const ChannelModel *>(sourceModel())->item(sourceRow);
    if (!m_tenant.isEmpty() && c.tenant != m_tenant)
        return false;
    if (!m_channel.isEmpty() && c.channel != m_channel)
        return false;
    return !m_problemsOnly || c.severity() != Severity::None;
}

} // namespace ferry::console
