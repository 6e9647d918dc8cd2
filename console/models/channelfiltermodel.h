#pragma once

#include <QSortFilterProxyModel>

namespace ferry::console {

// Filters and sorts the channel health screen by tenant and channel (exact; empty: all) and to
// the endpoints with failures or recent errors. The source must be a ChannelModel.
class ChannelFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ChannelFilterModel(QObject *parent = nullptr);

    void setTenant(const QString &tenant);
    void setChannel(const QString &channel);
    void setProblemsOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_tenant;
    QString m_channel;
    bool m_problemsOnly = false;
};

} // namespace ferry::console
