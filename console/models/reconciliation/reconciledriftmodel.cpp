#include "console/models/reconciliation/reconciledriftmodel.h"

#include "console/core/uiformat.h"
#include "console/models/reconciliation/receiptstatus.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

ReconcileDrift ReconcileDrift::fromJson(const QJsonObject &o)
{
    ReconcileDrift d;
    d.runId = qint64(o.value("run_id"_L1).toDouble());
    d.deliveryId = o.value("delivery_id"_L1).toString();
    d.channel = o.value("channel"_L1).toString();
    d.providerMessageId = o.value("provider_message_id"_L1).toString();
    d.believed = o.value("believed"_L1).toString();
    d.providerSaid = o.value("provider_said"_L1).toString();
    d.action = o.value("action"_L1).toString();
    d.foundAt = QDateTime::fromString(o.value("found_at"_L1).toString(), Qt::ISODate);
    return d;
}

ReconcileDriftModel::ReconcileDriftModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ReconcileDriftModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_drifts.size());
}

int ReconcileDriftModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReconcileDriftModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReconcileDrift &d = m_drifts.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(d, index.column(), role);
    if (role == Qt::TextAlignmentRole && index.column() == Run)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Action)
        return d.action; // the agent's own words
    if (role == Qt::ToolTipRole && index.column() == ProviderSaid)
        return tr("The provider's word: %1").arg(d.providerSaid);
    return {};
}

QVariant ReconcileDriftModel::display(const ReconcileDrift &d, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case FoundAt:
        if (sort)
            return d.foundAt;
        return localDateTimeText(d.foundAt);
    case ProviderMessageId:
        return d.providerMessageId;
    case Channel:
        return d.channel;
    case Believed:
        return sort ? d.believed : receiptStatusText(d.believed);
    case ProviderSaid:
        return sort ? d.providerSaid : receiptStatusText(d.providerSaid);
    case Action:
        return reconcileActionText(d.action);
    case Run:
        return sort ? QVariant(d.runId) : QString::number(d.runId);
    case DeliveryId:
        return d.deliveryId;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ReconcileDriftModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case FoundAt:
        return tr("Found");
    case ProviderMessageId:
        return tr("Provider message id");
    case Channel:
        return tr("Channel");
    case Believed:
        return tr("Ferry believed");
    case ProviderSaid:
        return tr("Provider said");
    case Action:
        return tr("Action");
    case Run:
        return tr("Run");
    case DeliveryId:
        return tr("Delivery id");
    case ColumnCount:
        break;
    }
    return {};
}

void ReconcileDriftModel::setDrifts(const QJsonArray &drifts)
{
    beginResetModel();
    m_drifts.clear();
    m_drifts.reserve(drifts.size());
    for (const auto &v : drifts)
        m_drifts.append(ReconcileDrift::fromJson(v.toObject()));
    endResetModel();
}

void ReconcileDriftModel::clear()
{
    setDrifts({});
}

} // namespace ferry::console
