#include "console/models/dlqgroupmodel.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"
#include "console/models/dlqmodel.h"
#include "console/models/guardhealth.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::console {

DlqGroup DlqGroup::fromJson(const QJsonObject &o)
{
    DlqGroup g;
    g.tenant = o.value("tenant"_L1).toString();
    g.endpoint = qint64(o.value("endpoint"_L1).toDouble());
    g.endpointName = o.value("endpoint_name"_L1).toString(); // null: no name
    g.channel = o.value("channel"_L1).toString();
    g.target = o.value("target"_L1).toString();
    g.routeEnabled = o.value("route_enabled"_L1).toBool(true);
    g.breaker = o.value("breaker"_L1).toString();
    g.reason = o.value("reason"_L1).toString();
    g.count = qint64(o.value("count"_L1).toDouble());
    g.firstSeen = QDateTime::fromString(o.value("first_seen"_L1).toString(), Qt::ISODate);
    g.lastSeen = QDateTime::fromString(o.value("last_seen"_L1).toString(), Qt::ISODate);
    g.lastError = o.value("last_error"_L1).toString();
    g.filter = o.value("filter"_L1).toObject();
    return g;
}

QString DlqGroup::endpointText() const
{
    return DeadItem::endpointText(endpointName, target);
}

QString DlqGroup::key() const
{
    return u"%1/%2/%3"_s.arg(tenant).arg(endpoint).arg(reason);
}

DlqGroupModel::DlqGroupModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DlqGroupModel::~DlqGroupModel() = default;

int DlqGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int DlqGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DlqGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DlqGroup &g = m_items.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return value(g, column, false);
    case SortRole:
        return value(g, column, true);
    case CodeRole:
        if (column == Endpoint)
            return g.endpoint;
        return column == Reason ? QVariant(g.reason) : value(g, column, true);
    case Qt::ToolTipRole:
        return toolTip(g, column);
    case Qt::DecorationRole:
        return decoration(g, column);
    case Qt::BackgroundRole:
        if (column == Breaker && GuardHealth::breakerSeverity(breakerOf(g)) != Severity::None)
            return severityBackground(GuardHealth::breakerSeverity(breakerOf(g)));
        if (column == Route && !g.routeEnabled)
            return severityBackground(Severity::Problem);
        return {};
    case Qt::TextAlignmentRole:
        return column == Count ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}

QVariant DlqGroupModel::value(const DlqGroup &g, Column column, bool sort) const
{
    switch (column) {
    case Count:
        return sort ? QVariant(g.count) : QVariant(countText(g.count));
    case Tenant:
        return g.tenant;
    case Endpoint:
        return g.endpointText();
    case Channel:
        return g.channel;
    case Reason:
        return g.reason.isEmpty() ? tr("no reason recorded") : deadReasonText(g.reason);
    case Breaker:
        return sort ? QVariant(int(GuardHealth::breakerSeverity(breakerOf(g))))
                    : QVariant(GuardHealth::breakerLabel(breakerOf(g)));
    case Route:
        return g.routeEnabled ? tr("enabled") : tr("disabled");
    case FirstSeen:
        return sort ? QVariant(g.firstSeen) : QVariant(localDateTimeText(g.firstSeen));
    case LastSeen:
        return sort ? QVariant(g.lastSeen) : QVariant(localDateTimeText(g.lastSeen));
    case LastError:
        return g.lastError;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DlqGroupModel::decoration(const DlqGroup &g, Column column) const
{
    return column == Breaker ? QVariant(GuardHealth::breakerIcon(breakerOf(g))) : QVariant();
}

QVariant DlqGroupModel::toolTip(const DlqGroup &g, Column column) const
{
    switch (column) {
    case Endpoint:
        return tr("%1\nRoute %2, channel %3").arg(g.endpointText()).arg(g.endpoint).arg(g.channel);
    case Breaker:
        return breakerToolTip(g);
    case Route:
        return g.routeEnabled ? tr("The route is on: new events make deliveries.")
                              : tr("The route is disabled: it makes no new deliveries, and "
                                   "replayed ones die again.");
    case Reason:
        return g.reason.isEmpty() ? tr("These deliveries died without a recorded reason.")
                                  : g.reason;
    case LastError:
        return g.lastError;
    default:
        return {};
    }
}

QString DlqGroupModel::breakerOf(const DlqGroup &g) const
{
    const auto it = m_guards.constFind(g.endpoint);
    return it == m_guards.constEnd() ? g.breaker : it->breaker;
}

QString DlqGroupModel::breakerToolTip(const DlqGroup &g) const
{
    const auto it = m_guards.constFind(g.endpoint);
    if (it != m_guards.constEnd())
        return it->breakerToolTip();
    return tr("%1, when the groups were loaded (the live feed does not report this route).")
        .arg(GuardHealth::breakerLabel(g.breaker));
}

QVariant DlqGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Count:
        return tr("Dead");
    case Tenant:
        return tr("Tenant");
    case Endpoint:
        return tr("Endpoint");
    case Channel:
        return tr("Channel");
    case Reason:
        return tr("Reason");
    case Breaker:
        return tr("Breaker");
    case Route:
        return tr("Route");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    case LastError:
        return tr("Latest error");
    case ColumnCount:
        break;
    }
    return {};
}

void DlqGroupModel::setItems(const QJsonArray &items)
{
    beginResetModel();
    m_items.clear();
    m_items.reserve(items.size());
    for (const auto &v : items)
        m_items.append(DlqGroup::fromJson(v.toObject()));
    endResetModel();
}

void DlqGroupModel::setGuards(const QList<GuardHealth> &guards)
{
    m_guards.clear();
    for (const GuardHealth &g : guards)
        m_guards.insert(g.id, g);
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0, Breaker), index(rowCount() - 1, Breaker));
}

int DlqGroupModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).key() == key)
            return i;
    }
    return -1;
}

} // namespace ferry::console
