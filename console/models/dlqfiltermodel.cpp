#include "console/models/dlqfiltermodel.h"

#include "console/models/dlqmodel.h"

namespace ferry::console {

DlqFilterModel::DlqFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DlqModel::SortRole);
}

#define FERRY_FILTER_SETTER(name, member, type)                                                    \
    void DlqFilterModel::name(type value)                                                          \
    {                                                                                              \
        if (m_query.member == value)                                                               \
            return;                                                                                \
        m_query.member = value;                                                                    \
        invalidateRowsFilter();                                                                    \
    }
FERRY_FILTER_SETTER(setTenant, tenant, const QString &)
FERRY_FILTER_SETTER(setChannel, channel, const QString &)
FERRY_FILTER_SETTER(setReason, reason, const QString &)
FERRY_FILTER_SETTER(setTriageStatus, triageStatus, const QString &)
FERRY_FILTER_SETTER(setMaxAgeSeconds, maxAgeSeconds, qint64)
FERRY_FILTER_SETTER(setEndpoint, endpoint, qint64)
FERRY_FILTER_SETTER(setWithoutReason, withoutReason, bool)
#undef FERRY_FILTER_SETTER

bool DlqFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *model = static_cast<const DlqModel *>(sourceModel());
    const DeadItem &d = model->item(sourceRow);
    if (!m_query.tenant.isEmpty() && d.tenant != m_query.tenant)
        return false;
    if (!m_query.channel.isEmpty() && d.channel != m_query.channel)
        return false;
    if (!m_query.reason.isEmpty() && d.reason != m_query.reason)
        return false;
    if (m_query.reason.isEmpty() && m_query.withoutReason && !d.reason.isEmpty())
        return false;
    if (m_query.endpoint > 0 && d.endpoint != m_query.endpoint)
        return false;
    if (!m_query.triageStatus.isEmpty() && d.triageStatus != m_query.triageStatus)
        return false;
    if (m_query.maxAgeSeconds > 0 &&
        d.diedAt.secsTo(QDateTime::currentDateTimeUtc()) > m_query.maxAgeSeconds)
        return false;
    return true;
}

} // namespace ferry::console
