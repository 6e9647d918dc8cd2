#pragma once

#include "console/core/dlqquery.h"

#include <QSortFilterProxyModel>

namespace ferry::console {

// Filters and sorts the DLQ inbox on screen, instantly, by the same DlqQuery the list and
// replay-by-filter requests use. The source must be a DlqModel.
class DlqFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DlqFilterModel(QObject *parent = nullptr);

    void setTenant(const QString &value);
    void setChannel(const QString &value);
    void setReason(const QString &value);
    void setTriageStatus(const QString &value);
    void setMaxAgeSeconds(qint64 value); // seconds; 0: any age
    void setEndpoint(qint64 value);      // a route's id; 0: every route
    void setWithoutReason(bool value);   // with no reason set: only deliveries without one
    const DlqQuery &query() const { return m_query; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    DlqQuery m_query;
};

} // namespace ferry::console
