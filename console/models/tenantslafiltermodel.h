#pragma once

#include <QSortFilterProxyModel>

namespace ferry::console {

// Filters and sorts the tenants screen: by a part of the tenant's name, and to the tenants that
// need attention (below target or with deliveries at risk). The source must be a TenantSlaModel.
class TenantSlaFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TenantSlaFilterModel(QObject *parent = nullptr);

    void setTenantFilter(const QString &text);
    void setAttentionOnly(bool on);
    QString tenantFilter() const { return m_tenant; }
    bool attentionOnly() const { return m_attentionOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_tenant;
    bool m_attentionOnly = false;
};

} // namespace ferry::console
