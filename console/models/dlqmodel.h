#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One dead delivery as GET /v1/dlq lists it.
struct DeadItem
{
    QString id;
    QString tenant;
    QString eventId;
    QString eventType;
    qint64 endpoint = 0;
    QString endpointName; // the route's name; "" when it has none
    QString url;
    QString channel;
    int attempts = 0;
    QString reason;
    QString lastError;
    QDateTime diedAt;
    QString triageStatus;
    QString assignee;

    static DeadItem fromJson(const QJsonObject &o);
    // A route as people know it: "name — URL" when it has a name, its URL (or address)
    // otherwise; never its numeric id.
    static QString endpointText(const QString &name, const QString &target);
};

// The DLQ inbox's rows. Actions change it at once (removeIds, setTriage) so the list reflects
// them without waiting for the next refresh.
class DlqModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        DiedAt,
        Tenant,
        Channel,
        Endpoint,
        EventType,
        Reason,
        Attempts,
        LastError,
        Triage,
        Assignee,
        Id,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    // The agent's code of the reason and the triage status ("http_5xx"), which the filters and
    // the API match; the other columns give their text. The endpoint column's is the route id.
    static constexpr int CodeRole = Qt::UserRole + 2;

    explicit DlqModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setItems(const QJsonArray &items);
    void removeIds(const QStringList &ids);
    void setTriage(const QString &id, const QString &status, const QString &assignee);
    const DeadItem &item(int row) const { return m_items.at(row); }
    int rowOf(const QString &id) const;

private:
    QList<DeadItem> m_items;
};

} // namespace ferry::console
