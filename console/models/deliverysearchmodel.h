#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>

namespace ferry::console {

// Deliveries found by GET /v1/deliveries (search by event id or partition key).
class DeliverySearchModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        CreatedAt,
        Tenant,
        EventType,
        Channel,
        Endpoint,
        State,
        Attempts,
        PartitionKey,
        LastError,
        Id,
        ColumnCount
    };

    explicit DeliverySearchModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setItems(const QJsonArray &items);
    QString idAt(int row) const;

private:
    QJsonArray m_items;
};

} // namespace ferry::console
