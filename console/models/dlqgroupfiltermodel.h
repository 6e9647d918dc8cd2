#pragma once

#include <QSortFilterProxyModel>

namespace ferry::console {

// Filters the DLQ inbox's groups on screen, at once, by the inbox's tenant, channel and reason
// filters (empty: all), until the groups are loaded again for them. The source must be a
// DlqGroupModel; sorted by its SortRole, the largest groups first.
class DlqGroupFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DlqGroupFilterModel(QObject *parent = nullptr);

    void setTenant(const QString &value);
    void setChannel(const QString &value);
    void setReason(const QString &value);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_tenant;
    QString m_channel;
    QString m_reason;
};

} // namespace ferry::console
