#include "console/models/deliverysearchmodel.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

DeliverySearchModel::DeliverySearchModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int DeliverySearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int DeliverySearchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeliverySearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole)
        return {};
    const QJsonObject d = m_items.at(index.row()).toObject();
    switch (Column(index.column())) {
    case CreatedAt:
        return localDateTimeText(
            QDateTime::fromString(d.value("created_at"_L1).toString(), Qt::ISODate));
    case Tenant:
        return d.value("tenant"_L1).toString();
    case EventType:
        return d.value("event_type"_L1).toString();
    case Channel:
        return d.value("channel"_L1).toString();
    case Endpoint:
        return QString::number(d.value("endpoint"_L1).toInteger()); // an id: no digit grouping
    case State:
        return deliveryStateText(d.value("state"_L1).toString());
    case Attempts:
        return d.value("attempts"_L1).toInt();
    case PartitionKey:
        return d.value("partition_key"_L1).toString();
    case LastError:
        return d.value("last_error"_L1).toString();
    case Id:
        return d.value("id"_L1).toString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DeliverySearchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case CreatedAt:
        return tr("Created");
    case Tenant:
        return tr("Tenant");
    case EventType:
        return tr("Event type");
    case Channel:
        return tr("Channel");
    case Endpoint:
        return tr("Endpoint");
    case State:
        return tr("State");
    case Attempts:
        return tr("Attempts");
    case PartitionKey:
        return tr("Partition key");
    case LastError:
        return tr("Last error");
    case Id:
        return tr("Delivery id");
    case ColumnCount:
        break;
    }
    return {};
}

void DeliverySearchModel::setItems(const QJsonArray &items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

QString DeliverySearchModel::idAt(int row) const
{
    return m_items.at(row).toObject().value("id"_L1).toString();
}

} // namespace ferry::console
