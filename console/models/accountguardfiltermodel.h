#pragma once

#include <QSortFilterProxyModel>

namespace ferry::console {

// Filters the provider accounts of the channel health screen by tenant (exact; empty: all) and
// sorts them. The source must be an AccountGuardModel.
class AccountGuardFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AccountGuardFilterModel(QObject *parent = nullptr);

    void setTenant(const QString &tenant);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_tenant;
};

} // namespace ferry::console
