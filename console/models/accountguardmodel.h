#pragma once

#include "console/models/guardhealth.h"
#include "console/models/livetablemodel.h"

class QJsonArray;

namespace ferry::console {

// The provider accounts of the channel health screen: one row per `guards` entry of scope
// "account" (breaker, rate limit and its use, in flight against the cap, last error), updated
// in place by each snapshot.
class AccountGuardModel final : public LiveTableModel
{
    Q_OBJECT
public:
    enum Column {
        Tenant,
        Account,
        Provider,
        Breaker,
        RateLimit,
        RateLimitUse,
        InFlight,
        LastError,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit AccountGuardModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A snapshot's `guards` array (its entries of other scopes are left out).
    void setGuards(const QJsonArray &guards);
    void clear();
    const GuardHealth &item(int row) const { return m_items.at(row); }

private:
    static QVariant toolTip(const GuardHealth &g, Column column);
    static QVariant value(const GuardHealth &g, Column column, bool sort);

    QList<GuardHealth> m_items;
};

} // namespace ferry::console
