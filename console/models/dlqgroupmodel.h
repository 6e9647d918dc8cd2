#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>

class QJsonArray;

namespace ferry::console {

struct GuardHealth;

// One triage group as GET /v1/dlq/groups lists it: the dead deliveries of one tenant, route and
// reason.
struct DlqGroup
{
    QString tenant;
    qint64 endpoint = 0;
    QString endpointName; // "" when the route has no name
    QString channel;
    QString target; // the route's URL or address (masked for non-admins)
    bool routeEnabled = true;
    QString breaker; // the route's breaker when the groups were loaded
    QString reason;  // "": died without a recorded reason
    qint64 count = 0;
    QDateTime firstSeen;
    QDateTime lastSeen;
    QString lastError;
    QJsonObject filter; // POST /v1/dlq/replay's filter for exactly this group

    static DlqGroup fromJson(const QJsonObject &o);
    // "name — URL", or the URL alone.
    QString endpointText() const;
    // Tenant, route and reason: what tells one group from another.
    QString key() const;
};

// The DLQ inbox's "By cause" rows, the largest groups first. The breaker comes from the live
// feed's guards when it has the route, else from the groups' answer.
class DlqGroupModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Count,
        Tenant,
        Endpoint,
        Channel,
        Reason,
        Breaker,
        Route,
        FirstSeen,
        LastSeen,
        LastError,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    // The agent's codes (tenant, channel, reason, route id), as DlqModel::CodeRole.
    static constexpr int CodeRole = Qt::UserRole + 2;

    explicit DlqGroupModel(QObject *parent = nullptr);
    ~DlqGroupModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setItems(const QJsonArray &items);
    // The live feed's route guards (scope "endpoint"), by route id.
    void setGuards(const QList<GuardHealth> &guards);
    const DlqGroup &item(int row) const { return m_items.at(row); }
    int rowOf(const QString &key) const;
    // The route's breaker now: the live feed's if it reports the route, else the group's.
    QString breakerOf(const DlqGroup &g) const;
    QString breakerToolTip(const DlqGroup &g) const;

private:
    QVariant value(const DlqGroup &g, Column column, bool sort) const;
    QVariant decoration(const DlqGroup &g, Column column) const;
    QVariant toolTip(const DlqGroup &g, Column column) const;

    QList<DlqGroup> m_items;
    QHash<qint64, GuardHealth> m_guards;
};

} // namespace ferry::console
