#include "console/models/channelmodel.h"

#include "console/core/uiformat.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <tuple>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

std::optional<double> optionalDouble(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

ChannelHealth fromJson(const QJsonObject &o)
{
    ChannelHealth c;
    c.tenant = o.value("tenant"_L1).toString();
    c.channel = o.value("channel"_L1).toString();
    c.endpoint = qint64(o.value("endpoint"_L1).toDouble());
    c.inFlight = qint64(o.value("in_flight"_L1).toDouble());
    c.latencyP50Ms = optionalDouble(o.value("latency_p50_ms"_L1));
    c.latencyP99Ms = optionalDouble(o.value("latency_p99_ms"_L1));
    c.successPerS = o.value("success_per_s"_L1).toDouble();
    c.failurePerS = o.value("failure_per_s"_L1).toDouble();
    c.breaker = o.value("breaker"_L1).toString();
    c.rateLimitUse = optionalDouble(o.value("rate_limit_use"_L1));
    for (const QJsonValue &e : o.value("recent_errors"_L1).toArray()) {
        const QJsonObject eo = e.toObject();
        c.recentErrors.append({QDateTime::fromString(eo.value("at"_L1).toString(), Qt::ISODate),
                               eo.value("status"_L1).toInt(), eo.value("error"_L1).toString()});
    }
    std::sort(c.recentErrors.begin(), c.recentErrors.end(),
              [](const auto &a, const auto &b) { return a.at > b.at; });
    return c;
}

auto key(const ChannelHealth &c)
{
    return std::tie(c.tenant, c.channel, c.endpoint);
}

QString rate(double perSecond)
{
    return ChannelModel::tr("%1/s").arg(QLocale().toString(perSecond, 'f', 1));
}

QString milliseconds(const std::optional<double> &ms)
{
    return ms ? ChannelModel::tr("%1 ms").arg(QLocale().toString(*ms, 'f', *ms < 10 ? 1 : 0))
              : u"—"_s;
}

} // namespace

Severity ChannelHealth::severity() const
{
    const Severity ofBreaker = GuardHealth::breakerSeverity(breaker);
    if (ofBreaker == Severity::Problem || (failurePerS > 0 && successPerS == 0))
        return Severity::Problem;
    if (failurePerS > 0 || !recentErrors.isEmpty() || ofBreaker == Severity::Warning)
        return Severity::Warning;
    return Severity::None;
}

ChannelModel::ChannelModel(QObject *parent)
    : LiveTableModel(parent)
{}

int ChannelModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ChannelModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChannelHealth &c = m_items.at(index.row());
    const auto column = Column(index.column());
    if (role == Qt::BackgroundRole) {
        const QColor color = severityBackground(c.severity());
        return color.isValid() ? QVariant(color) : QVariant();
    }
    if (role == Qt::ToolTipRole)
        return toolTip(c, column);
    if (role == Qt::DecorationRole)
        return column == Breaker ? QVariant(GuardHealth::breakerIcon(c.breaker)) : QVariant();
    if (role == Qt::TextAlignmentRole) {
        const bool text =
            column == Tenant || column == Channel || column == Breaker || column == RecentErrors;
        return text ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    return value(c, column, role == SortRole);
}

QVariant ChannelModel::toolTip(const ChannelHealth &c, Column column)
{
    if (column == RecentErrors && !c.recentErrors.isEmpty()) {
        QStringList lines;
        for (const auto &e : c.recentErrors)
            lines.append(u"%1  %2"_s.arg(localClockText(e.at), e.error));
        return lines.join(u'\n');
    }
    if (column == Breaker) {
        if (c.guard)
            return c.guard->breakerToolTip();
        return c.breaker.isEmpty() ? tr("This agent does not report circuit breakers.")
                                   : QVariant();
    }
    if (column == RateLimit) {
        if (!c.rateLimitUse)
            return tr("This route has no rate limit.");
        if (c.guard && c.guard->ratePerSecond)
            return tr("%1 of %2 per second used over the last interval")
                .arg(GuardHealth::percent(c.rateLimitUse),
                     QLocale().toString(*c.guard->ratePerSecond, 'g', 6));
    }
    return {};
}

// The text shown, or with `sort` the value the column sorts by.
QVariant ChannelModel::value(const ChannelHealth &c, Column column, bool sort)
{
    switch (column) {
    case Tenant:
        return c.tenant;
    case Channel:
        return c.channel;
    case Endpoint:
        return c.endpoint;
    case InFlight:
        return c.inFlight;
    case LatencyP50:
        return sort ? QVariant(c.latencyP50Ms.value_or(-1))
                    : QVariant(milliseconds(c.latencyP50Ms));
    case LatencyP99:
        return sort ? QVariant(c.latencyP99Ms.value_or(-1))
                    : QVariant(milliseconds(c.latencyP99Ms));
    case SuccessRate:
        return sort ? QVariant(c.successPerS) : QVariant(rate(c.successPerS));
    case FailureRate:
        return sort ? QVariant(c.failurePerS) : QVariant(rate(c.failurePerS));
    case Breaker:
        return sort ? QVariant(int(GuardHealth::breakerSeverity(c.breaker)))
                    : QVariant(GuardHealth::breakerLabel(c.breaker));
    case RateLimit:
        return sort ? QVariant(c.rateLimitUse.value_or(-1))
                    : QVariant(GuardHealth::percent(c.rateLimitUse));
    case RecentErrors:
        if (sort)
            return int(c.recentErrors.size());
        if (c.recentErrors.isEmpty())
            return tr("none");
        return tr("%n, last: %1", "", int(c.recentErrors.size())).arg(c.recentErrors.first().error);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ChannelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(section)) {
    case Tenant:
        return tr("Tenant");
    case Channel:
        return tr("Channel");
    case Endpoint:
        return tr("Endpoint");
    case InFlight:
        return tr("In flight");
    case LatencyP50:
        return tip ? tr("Median attempt latency over the last minute") : tr("p50");
    case LatencyP99:
        return tip ? tr("99th percentile attempt latency over the last minute") : tr("p99");
    case SuccessRate:
        return tr("Succeeded");
    case FailureRate:
        return tr("Failed");
    case Breaker:
        return tr("Breaker");
    case RateLimit:
        return tip ? tr("Share of the route's rate limit used over the last interval")
                   : tr("Rate limit");
    case RecentErrors:
        return tip ? tr("Failed attempts of the last five minutes (at most five)")
                   : tr("Recent errors");
    case ColumnCount:
        break;
    }
    return {};
}

void ChannelModel::setChannels(const QJsonArray &channels, const QJsonArray &guards)
{
    QHash<qint64, GuardHealth> routes;
    for (const GuardHealth &g : GuardHealth::listFromJson(guards, u"endpoint"_s))
        routes.insert(g.id, g);
    QList<ChannelHealth> next;
    next.reserve(channels.size());
    for (const QJsonValue &v : channels) {
        ChannelHealth c = fromJson(v.toObject());
        if (const auto it = routes.constFind(c.endpoint); it != routes.cend())
            c.guard = *it;
        next.append(c);
    }
    mergeRows(m_items, std::move(next), key);
}

void ChannelModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
}

} // namespace ferry::console
