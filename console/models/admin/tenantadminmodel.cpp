#include "console/models/admin/tenantadminmodel.h"

#include "console/core/uiformat.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::console {

QStringList TenantAdminModel::headers() const
{
    return {tr("Display name"), tr("Name"),        tr("State"),
            tr("Events/s"),     tr("Events/day"),  tr("Max payload"),
            tr("SLA target"),   tr("SLA latency"), tr("Events today")};
}

// The value a cell sorts by: numbers as numbers, a quota without a limit above every limit.
QVariant TenantAdminModel::value(const QJsonObject &item, int column)
{
    const QJsonObject quotas = item.value("quotas"_L1).toObject();
    const QJsonObject sla = item.value("sla"_L1).toObject();
    const auto quota = [&quotas](QLatin1StringView key) -> QVariant {
        const QJsonValue v = quotas.value(key);
        return v.isNull() || v.isUndefined() ? QVariant() : QVariant(v.toInteger());
    };
    switch (column) {
    case DisplayName:
        return item.value("display_name"_L1).toString();
    case Name:
        return item.value("name"_L1).toString();
    case State:
        return item.value("disabled"_L1).toBool();
    case EventsPerSecond:
        return quota("max_events_per_second"_L1);
    case EventsPerDay:
        return quota("max_events_per_day"_L1);
    case MaxPayload:
        return quota("max_payload_bytes"_L1);
    case SlaTarget:
        return sla.value("target"_L1).toDouble();
    case SlaLatency:
        return sla.value("latency_ms"_L1).toInteger();
    case EventsToday:
        return item.value("usage"_L1).toObject().value("events_today"_L1).toInteger();
    default:
        return {};
    }
}

QVariant TenantAdminModel::cell(const QJsonObject &item, int column, int role) const
{
    QVariant v = value(item, column);
    const bool disabled = item.value("disabled"_L1).toBool();
    if (role == Qt::ForegroundRole && disabled)
        return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && column == State && disabled)
        return tr("Disabled %1: ingest refuses its new events; what it accepted before is still "
                  "delivered.")
            .arg(localDateTimeText(apiTime(item, "disabled_at"_L1)));
    const bool quotaColumn = column >= EventsPerSecond && column <= MaxPayload;
    if (role == SortRole)
        return quotaColumn && !v.isValid() ? QVariant(std::numeric_limits<qint64>::max()) : v;
    if (role != Qt::DisplayRole)
        return {};
    if (quotaColumn && !v.isValid())
        return tr("no limit");
    switch (column) {
    case State:
        return disabled ? tr("disabled") : tr("enabled");
    case EventsPerSecond:
    case EventsPerDay:
    case EventsToday:
        return countText(v.toLongLong());
    case MaxPayload:
        return tr("%1 bytes").arg(countText(v.toLongLong()));
    case SlaTarget:
        return percentText(v.toDouble() * 100.0, 2);
    case SlaLatency:
        return tr("%1 ms").arg(countText(v.toLongLong()));
    default:
        return v;
    }
}

} // namespace ferry::console
