#include "console/models/dlqmodel.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::console {

DeadItem DeadItem::fromJson(const QJsonObject &o)
{
    DeadItem d;
    d.id = o.value("id"_L1).toString();
    d.tenant = o.value("tenant"_L1).toString();
    d.eventId = o.value("event_id"_L1).toString();
    d.eventType = o.value("event_type"_L1).toString();
    d.endpoint = qint64(o.value("endpoint"_L1).toDouble());
    d.endpointName = o.value("endpoint_name"_L1).toString(); // null: the route has no name
    d.url = o.value("url"_L1).toString();
    d.channel = o.value("channel"_L1).toString();
    d.attempts = o.value("attempts"_L1).toInt();
    d.reason = o.value("reason"_L1).toString();
    d.lastError = o.value("last_error"_L1).toString();
    d.diedAt = QDateTime::fromString(o.value("died_at"_L1).toString(), Qt::ISODate);
    d.triageStatus = o.value("triage_status"_L1).toString();
    d.assignee = o.value("assignee"_L1).toString();
    return d;
}

QString DeadItem::endpointText(const QString &name, const QString &target)
{
    return name.isEmpty() ? target : u"%1 — %2"_s.arg(name, target);
}

DlqModel::DlqModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int DlqModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int DlqModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DlqModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeadItem &d = m_items.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == LastError)
        return d.lastError;
    if (role == Qt::ToolTipRole && index.column() == Endpoint)
        return tr("%1\nRoute %2")
            .arg(DeadItem::endpointText(d.endpointName, d.url))
            .arg(d.endpoint);
    if (role == Qt::TextAlignmentRole && index.column() == Attempts)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == CodeRole && index.column() == Reason)
        return d.reason;
    if (role == CodeRole && index.column() == Endpoint)
        return d.endpoint;
    if (role == CodeRole && index.column() == Triage)
        return d.triageStatus;
    if (role != Qt::DisplayRole && role != SortRole && role != CodeRole)
        return {};
    switch (Column(index.column())) {
    case DiedAt:
        if (role == SortRole)
            return d.diedAt;
        return localDateTimeText(d.diedAt);
    case Tenant:
        return d.tenant;
    case Channel:
        return d.channel;
    case Endpoint:
        return DeadItem::endpointText(d.endpointName, d.url);
    case EventType:
        return d.eventType;
    case Reason:
        return deadReasonText(d.reason);
    case Attempts:
        return d.attempts;
    case LastError:
        return d.lastError;
    case Triage:
        return role == SortRole ? d.triageStatus : triageStatusText(d.triageStatus);
    case Assignee:
        return d.assignee;
    case Id:
        return d.id;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DlqModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case DiedAt:
        return tr("Died");
    case Tenant:
        return tr("Tenant");
    case Channel:
        return tr("Channel");
    case Endpoint:
        return tr("Endpoint");
    case EventType:
        return tr("Event type");
    case Reason:
        return tr("Reason");
    case Attempts:
        return tr("Attempts");
    case LastError:
        return tr("Last error");
    case Triage:
        return tr("Triage");
    case Assignee:
        return tr("Assignee");
    case Id:
        return tr("Delivery id");
    case ColumnCount:
        break;
    }
    return {};
}

void DlqModel::setItems(const QJsonArray &items)
{
    beginResetModel();
    m_items.clear();
    m_items.reserve(items.size());
    for (const auto &v : items)
        m_items.append(DeadItem::fromJson(v.toObject()));
    endResetModel();
}

int DlqModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).id == id)
            return i;
    }
    return -1;
}

void DlqModel::removeIds(const QStringList &ids)
{
    for (const QString &id : ids) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_items.removeAt(row);
        endRemoveRows();
    }
}

void DlqModel::setTriage(const QString &id, const QString &status, const QString &assignee)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    if (!status.isEmpty())
        m_items[row].triageStatus = status;
    if (!assignee.isNull())
        m_items[row].assignee = assignee;
    Q_EMIT dataChanged(index(row, Triage), index(row, Assignee));
}

} // namespace ferry::console
