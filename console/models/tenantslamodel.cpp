#include "console/models/tenantslamodel.h"

#include "console/core/uiformat.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

std::optional<qint64> optionalNumber(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return std::nullopt;
    return qint64(v.toDouble());
}

QString percent(double share)
{
    return percentText(share * 100.0, 2);
}

} // namespace

Severity TenantSla::severity() const
{
    if (belowTarget())
        return Severity::Problem;
    if (atRisk > 0)
        return Severity::Warning;
    return Severity::None;
}

TenantSlaModel::TenantSlaModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int TenantSlaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int TenantSlaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TenantSlaModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TenantSla &t = m_items.at(index.row());
    const auto column = Column(index.column());
    if (role == SeverityRole)
        return int(t.severity());
    if (role == Qt::BackgroundRole) {
        const QColor c = severityBackground(t.severity());
        return c.isValid() ? QVariant(c) : QVariant();
    }
    if (role == Qt::ToolTipRole)
        return toolTip(t);
    if (role == Qt::TextAlignmentRole)
        return column == Tenant ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    return value(t, column, role == SortRole);
}

QVariant TenantSlaModel::toolTip(const TenantSla &t)
{
    if (t.belowTarget())
        return tr("Below target: %1 of deliveries within %2 ms, target %3.")
            .arg(percent(*t.attainment))
            .arg(countText(t.latencyMs))
            .arg(percent(t.target));
    if (t.atRisk > 0)
        return tr("%Ln unfinished deliveries are past half of the latency target.", "",
                  int(t.atRisk));
    return {};
}

// The text shown, or with `sort` the value the column sorts by.
QVariant TenantSlaModel::quotaValue(const std::optional<qint64> &q, bool sort)
{
    if (sort)
        return q ? *q : std::numeric_limits<qint64>::max();
    return q ? countText(*q) : tr("no limit");
}

QVariant TenantSlaModel::latencyValue(qint64 ms, bool sort)
{
    if (sort)
        return ms;
    return ms % 1000 == 0 ? tr("%1 s").arg(countText(ms / 1000)) : tr("%1 ms").arg(countText(ms));
}

QVariant TenantSlaModel::countValue(qint64 n, bool sort)
{
    return sort ? QVariant(n) : QVariant(countText(n));
}

QVariant TenantSlaModel::value(const TenantSla &t, Column column, bool sort)
{
    switch (column) {
    case Tenant:
        return t.tenant;
    case Target:
        return sort ? QVariant(t.target) : QVariant(percent(t.target));
    case LatencyTarget:
        return latencyValue(t.latencyMs, sort);
    case Deliveries:
        return countValue(t.deliveries, sort);
    case WithinTarget:
        return countValue(t.withinTarget, sort);
    case Attainment:
        if (sort)
            return t.attainment.value_or(-1.0);
        return t.attainment ? percent(*t.attainment) : u"—"_s;
    case AtRisk:
        return countValue(t.atRisk, sort);
    case EventsPerSecondQuota:
        return quotaValue(t.maxEventsPerSecond, sort);
    case EventsPerDayQuota:
        return quotaValue(t.maxEventsPerDay, sort);
    case EventsToday:
        return countValue(t.eventsToday, sort);
    case PayloadQuota:
        if (sort || !t.maxPayloadBytes)
            return quotaValue(t.maxPayloadBytes, sort);
        return QLocale().formattedDataSize(*t.maxPayloadBytes, 1, QLocale::DataSizeSIFormat);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TenantSlaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(section)) {
    case Tenant:
        return tr("Tenant");
    case Target:
        return tip ? tr("Share of deliveries that must succeed within the latency target")
                   : tr("Target");
    case LatencyTarget:
        return tr("Latency target");
    case Deliveries:
        return tip ? tr("Deliveries created in the window that count: finished, or older than "
                        "the latency target")
                   : tr("Deliveries");
    case WithinTarget:
        return tr("Within target");
    case Attainment:
        return tr("Attainment");
    case AtRisk:
        return tip ? tr("Unfinished deliveries older than half of the latency target")
                   : tr("At risk");
    case EventsPerSecondQuota:
        return tr("Events/s quota");
    case EventsPerDayQuota:
        return tr("Events/day quota");
    case EventsToday:
        return tip ? tr("Events received since midnight UTC, the day of the daily quota")
                   : tr("Events today");
    case PayloadQuota:
        return tr("Payload quota");
    case ColumnCount:
        break;
    }
    return {};
}

int TenantSlaModel::rowOf(const QString &tenant) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).tenant == tenant)
            return i;
    }
    return -1;
}

void TenantSlaModel::setSla(const QJsonArray &items)
{
    QList<TenantSla> next;
    next.reserve(items.size());
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        TenantSla t;
        t.tenant = o.value("tenant"_L1).toString();
        const int old = rowOf(t.tenant);
        if (old >= 0)
            t = m_items.at(old); // keeps the quotas
        t.target = o.value("target"_L1).toDouble();
        t.latencyMs = qint64(o.value("latency_ms"_L1).toDouble());
        t.windowS = qint64(o.value("window_s"_L1).toDouble());
        t.deliveries = qint64(o.value("deliveries"_L1).toDouble());
        t.withinTarget = qint64(o.value("within_target"_L1).toDouble());
        t.attainment = o.value("attainment"_L1).isDouble()
                           ? std::optional<double>(o.value("attainment"_L1).toDouble())
                           : std::nullopt;
        t.atRisk = qint64(o.value("at_risk"_L1).toDouble());
        next.append(t);
    }
    // The same tenants as before (the usual refresh): change the values in place, so selection
    // and scroll position stay put.
    const bool sameRows =
        std::equal(next.cbegin(), next.cend(), m_items.cbegin(), m_items.cend(),
                   [](const auto &a, const auto &b) { return a.tenant == b.tenant; });
    if (sameRows) {
        m_items = std::move(next);
        if (!m_items.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_items.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_items = std::move(next);
    endResetModel();
}

void TenantSlaModel::setTenants(const QJsonArray &items)
{
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        const QString name = o.value("name"_L1).toString();
        const QJsonObject quotas = o.value("quotas"_L1).toObject();
        int row = rowOf(name);
        if (row < 0) {
            TenantSla t;
            t.tenant = name;
            const QJsonObject sla = o.value("sla"_L1).toObject();
            t.target = sla.value("target"_L1).toDouble();
            t.latencyMs = qint64(sla.value("latency_ms"_L1).toDouble());
            row = int(m_items.size());
            beginInsertRows({}, row, row);
            m_items.append(t);
            endInsertRows();
        }
        TenantSla &t = m_items[row];
        t.maxEventsPerSecond = optionalNumber(quotas.value("max_events_per_second"_L1));
        t.maxEventsPerDay = optionalNumber(quotas.value("max_events_per_day"_L1));
        t.maxPayloadBytes = optionalNumber(quotas.value("max_payload_bytes"_L1));
        t.eventsToday = qint64(o.value("usage"_L1).toObject().value("events_today"_L1).toDouble());
        Q_EMIT dataChanged(index(row, EventsPerSecondQuota), index(row, PayloadQuota));
    }
}

void TenantSlaModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
}

} // namespace ferry::console
