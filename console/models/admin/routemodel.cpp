#include "console/models/admin/routemodel.h"

#include "console/core/uiformat.h"

#include <QBrush>
#include <QHash>
#include <QJsonArray>
#include <QLocale>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace ferry::console {

RouteEntry RouteEntry::fromJson(const QJsonObject &o)
{
    RouteEntry r;
    r.id = o.value("id"_L1).toInteger();
    r.tenant = o.value("tenant"_L1).toString();
    r.name = o.value("name"_L1).toString();
    r.channel = o.value("channel"_L1).toString();
    r.target = o.value("target"_L1).toString();
    for (const QJsonValue &v : o.value("event_types"_L1).toArray())
        r.eventTypes.append(v.toString());
    const QJsonObject retry = o.value("retry"_L1).toObject();
    if (retry.value("exponential"_L1).toBool())
        r.retryMode = u"exponential"_s;
    else if (retry.contains("schedule"_L1))
        r.retryMode = u"schedule"_s;
    r.retrySchedule = retry.value("schedule"_L1).toString();
    r.maxAttempts = o.value("max_attempts"_L1).toInt();
    r.maxAgeSeconds = o.value("max_age"_L1).toInteger();
    r.ordered = o.value("ordered"_L1).toBool();
    r.onBlock = o.value("on_block"_L1).toString();
    r.concurrency = o.value("concurrency"_L1).toInt();
    r.ratePerSecond = o.value("rate_per_second"_L1).toDouble();
    r.templateText =
        o.value("template"_L1).isString() ? o.value("template"_L1).toString() : QString();
    r.enabled = o.value("enabled"_L1).toBool(true);
    r.credential = o.value("credential"_L1).toString();
    r.json = o;
    return r;
}

QString RouteEntry::displayName() const
{
    return name.isEmpty() ? target : name;
}

RouteModel::RouteModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int RouteModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_routes.size());
}

int RouteModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteModel::display(const RouteEntry &r, int column)
{
    const auto yesNo = [](bool b) { return b ? tr("yes") : tr("no"); };
    switch (column) {
    case Name:
        return r.name.isEmpty() ? tr("(unnamed)") : r.name;
    case Tenant:
        return r.tenant;
    case Channel:
        return channelText(r.channel);
    case Target:
        return r.target;
    case EventTypes:
        return r.eventTypes.isEmpty() ? tr("every type") : r.eventTypes.join(u", "_s);
    case Enabled:
        return yesNo(r.enabled);
    case Ordered:
        return r.ordered ? tr("yes (%1)").arg(r.onBlock == "skip"_L1 ? tr("skip") : tr("block"))
                         : yesNo(false);
    case Concurrency:
        return r.concurrency > 0 ? countText(r.concurrency) : tr("default");
    case Rate:
        return r.ratePerSecond > 0 ? tr("%1/s").arg(QLocale().toString(r.ratePerSecond, 'g', 6))
                                   : tr("no limit");
    case Credential:
        return r.credential.isEmpty() ? tr("own secret") : r.credential;
    default:
        return {};
    }
}

QVariant RouteModel::sortKey(const RouteEntry &r, int column)
{
    switch (column) {
    case Name:
        return r.displayName().toLower();
    case Enabled:
        return r.enabled;
    case Ordered:
        return r.ordered;
    case Concurrency:
        return r.concurrency;
    case Rate:
        return r.ratePerSecond;
    default:
        return display(r, column).toString().toLower();
    }
}

QVariant RouteModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_routes.size())
        return {};
    const RouteEntry &r = m_routes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case SortRole:
        return sortKey(r, index.column());
    case IdRole:
        return r.id;
    case Qt::ToolTipRole:
        return tr("Route %1 of tenant %2").arg(r.id).arg(r.tenant);
    case Qt::ForegroundRole:
        if (!r.enabled)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    default:
        return {};
    }
}

QVariant RouteModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Tenant:
        return tr("Tenant");
    case Channel:
        return tr("Channel");
    case Target:
        return tr("Target");
    case EventTypes:
        return tr("Event types");
    case Enabled:
        return tr("Enabled");
    case Ordered:
        return tr("Ordered");
    case Concurrency:
        return tr("Concurrency");
    case Rate:
        return tr("Rate");
    case Credential:
        return tr("Credential");
    default:
        return {};
    }
}

void RouteModel::setRoutes(const QJsonArray &items)
{
    beginResetModel();
    m_routes.clear();
    for (const QJsonValue &v : items)
        m_routes.append(RouteEntry::fromJson(v.toObject()));
    endResetModel();
}

void RouteModel::updateRoute(const QJsonObject &item)
{
    const RouteEntry route = RouteEntry::fromJson(item);
    const int row = rowOf(route.id);
    if (row < 0) {
        beginInsertRows({}, int(m_routes.size()), int(m_routes.size()));
        m_routes.append(route);
        endInsertRows();
        return;
    }
    m_routes[row] = route;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RouteModel::clear()
{
    beginResetModel();
    m_routes.clear();
    endResetModel();
}

QStringList RouteModel::channels()
{
    return {u"webhook"_s, u"email"_s, u"sms"_s, u"whatsapp"_s, u"push"_s, u"exec"_s, u"null"_s};
}

QString RouteModel::channelText(const QString &channel)
{
    static const QHash<QString, const char *> words{
        {u"webhook"_s, QT_TR_NOOP("Webhook")},
        {u"email"_s, QT_TR_NOOP("E-mail")},
        {u"sms"_s, QT_TR_NOOP("SMS")},
        {u"whatsapp"_s, QT_TR_NOOP("WhatsApp")},
        {u"push"_s, QT_TR_NOOP("Push notification")},
        {u"exec"_s, QT_TR_NOOP("Command on the agent (exec)")},
        {u"null"_s, QT_TR_NOOP("Null (accept and drop)")}};
    const char *word = words.value(channel);
    return word ? tr(word) : channel;
}

int RouteModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_routes.size(); ++i) {
        if (m_routes.at(i).id == id)
            return i;
    }
    return -1;
}

const RouteEntry *RouteModel::find(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_routes.at(row);
}

} // namespace ferry::console
