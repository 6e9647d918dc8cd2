#include "console/models/reconciliation/providermessagemodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/reconciliation/receiptstatus.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

bool isProblem(const QString &status)
{
    return status == "undelivered"_L1 || status == "failed"_L1 || status == "bounced"_L1;
}

} // namespace

ProviderMessage ProviderMessage::fromJson(const QJsonObject &o)
{
    ProviderMessage m;
    m.deliveryId = o.value("delivery_id"_L1).toString();
    m.channel = o.value("channel"_L1).toString();
    m.providerMessageId = o.value("provider_message_id"_L1).toString();
    m.status = o.value("status"_L1).toString();
    m.error = o.value("error"_L1).toString();
    m.receipts = o.value("receipts"_L1).toInt();
    m.acceptedAt = QDateTime::fromString(o.value("accepted_at"_L1).toString(), Qt::ISODate);
    m.updatedAt = QDateTime::fromString(o.value("updated_at"_L1).toString(), Qt::ISODate);
    if (o.value("cost"_L1).isDouble())
        m.cost = o.value("cost"_L1).toDouble();
    m.currency = o.value("currency"_L1).toString();
    m.costEstimated = o.value("cost_estimated"_L1).toBool(true);
    return m;
}

ProviderMessageModel::ProviderMessageModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ProviderMessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int ProviderMessageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProviderMessageModel::costText(double cost)
{
    int decimals = 2;
    while (decimals < 6) {
        const double scale = std::pow(10.0, decimals);
        if (std::abs(std::round(cost * scale) / scale - cost) < 1e-9)
            break;
        ++decimals;
    }
    return QLocale().toString(cost, 'f', decimals);
}

QVariant ProviderMessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProviderMessage &m = m_messages.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(m, index.column(), role);
    return decoration(m, index.column(), role);
}

QVariant ProviderMessageModel::display(const ProviderMessage &m, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case AcceptedAt:
        return sort ? QVariant(m.acceptedAt) : localDateTimeText(m.acceptedAt);
    case ProviderMessageId:
        return m.providerMessageId;
    case Channel:
        return m.channel;
    case Status:
        return sort ? m.status : receiptStatusText(m.status);
    case Receipts:
        return sort ? QVariant(m.receipts) : countText(m.receipts);
    case Cost:
        if (sort)
            return m.cost ? QVariant(*m.cost) : QVariant(-1.0);
        return m.cost ? costText(*m.cost) : u"—"_s;
    case Currency:
        return m.currency;
    case Estimated:
        if (!m.cost)
            return QString();
        return m.costEstimated ? tr("yes") : tr("no");
    case UpdatedAt:
        return sort ? QVariant(m.updatedAt) : localDateTimeText(m.updatedAt);
    case Error:
        return m.error;
    case DeliveryId:
        return m.deliveryId;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProviderMessageModel::decoration(const ProviderMessage &m, int column, int role)
{
    if (role == Qt::TextAlignmentRole && (column == Receipts || column == Cost))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == Estimated && m.cost)
        return m.costEstimated ? tr("Estimated from the tenant's price for the channel")
                               : tr("The price the provider reported");
    if (role == Qt::ToolTipRole && column == Error)
        return m.error;
    if (role == Qt::BackgroundRole && isProblem(m.status))
        return severityBackground(Severity::Problem);
    return {};
}

QVariant ProviderMessageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case AcceptedAt:
        return tr("Accepted");
    case ProviderMessageId:
        return tr("Provider message id");
    case Channel:
        return tr("Channel");
    case Status:
        return tr("Status");
    case Receipts:
        return tr("Receipts");
    case Cost:
        return tr("Cost");
    case Currency:
        return tr("Currency");
    case Estimated:
        return tr("Estimated");
    case UpdatedAt:
        return tr("Updated");
    case Error:
        return tr("Error");
    case DeliveryId:
        return tr("Delivery id");
    case ColumnCount:
        break;
    }
    return {};
}

void ProviderMessageModel::setMessages(const QJsonArray &items)
{
    beginResetModel();
    m_messages.clear();
    m_messages.reserve(items.size());
    for (const auto &v : items)
        m_messages.append(ProviderMessage::fromJson(v.toObject()));
    endResetModel();
}

void ProviderMessageModel::clear()
{
    setMessages({});
}

} // namespace ferry::console
