#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

class QJsonArray;

namespace ferry::console {

// A route as GET /v1/routes lists it: where a tenant's events of some types go, through which
// channel, with which retry policy, ordering, caps and template. `json` keeps the whole item
// (the editor compares a change against it).
struct RouteEntry
{
    qint64 id = 0;
    QString tenant;
    QString name; // empty: unnamed
    QString channel;
    QString target;         // URL, recipient or command (masked below the admin role)
    QStringList eventTypes; // empty: every type
    QString retryMode;      // "" the agent's default, "exponential", "schedule"
    QString retrySchedule;  // with "schedule"
    int maxAttempts = 0;    // 0: the policy's
    qint64 maxAgeSeconds = 0;
    bool ordered = false;
    QString onBlock;
    int concurrency = 0;      // 0: the agent's default
    double ratePerSecond = 0; // 0: no limit
    QString templateText;     // null: none
    bool enabled = true;
    QString credential; // empty: the route's own signing secret
    QJsonObject json;

    static RouteEntry fromJson(const QJsonObject &o);
    // "ERP orders", or for an unnamed route its target.
    QString displayName() const;
};

// Routes of one tenant or of all, one row each: name, tenant, channel, target, event types,
// enabled, ordered, concurrency, rate and credential. The id is in the row's tooltip only.
// Disabled routes are grey.
class RouteModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Tenant,
        Channel,
        Target,
        EventTypes,
        Enabled,
        Ordered,
        Concurrency,
        Rate,
        Credential,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;

    explicit RouteModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setRoutes(const QJsonArray &items);
    // One route as the agent answered a change of it (added when new).
    void updateRoute(const QJsonObject &item);
    void clear();
    const RouteEntry &route(int row) const { return m_routes.at(row); }
    int rowOf(qint64 id) const; // -1: none
    const RouteEntry *find(qint64 id) const;

    // The channels a route may have, in the order the editor offers them, and their words.
    static QStringList channels();
    static QString channelText(const QString &channel);

private:
    static QVariant display(const RouteEntry &r, int column);
    static QVariant sortKey(const RouteEntry &r, int column);

    QList<RouteEntry> m_routes;
};

} // namespace ferry::console
