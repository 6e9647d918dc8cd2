#include "agent/store/readmodels/tenantrow.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

QJsonObject tenantJson(const PgResult &r, int i)
{
    const auto optionalNumber = [&](int column) -> QJsonValue {
        return r.isNull(i, column) ? QJsonValue() : QJsonValue(r.int64(i, column));
    };
    return {{u"name"_s, r.text(i, 1)},
            {u"created_at"_s, r.timestamp(i, 2).toString(Qt::ISODate)},
            {u"quotas"_s, QJsonObject{{u"max_events_per_second"_s, optionalNumber(3)},
                                      {u"max_events_per_day"_s, optionalNumber(4)},
                                      {u"max_payload_bytes"_s, optionalNumber(5)}}},
            {u"sla"_s, QJsonObject{{u"target"_s, r.real(i, 6)}, {u"latency_ms"_s, r.int64(i, 7)}}},
            {u"usage"_s, QJsonObject{{u"events_today"_s, r.int64(i, 8)}}},
            {u"allowed_networks"_s,
             QJsonArray::fromStringList(r.text(i, 9).split(u',', Qt::SkipEmptyParts))},
            {u"strict_schemas"_s, r.boolean(i, 10)},
            {u"display_name"_s, r.text(i, 11)},
            {u"disabled"_s, !r.isNull(i, 12)},
            {u"disabled_at"_s, r.isNull(i, 12)
                                   ? QJsonValue()
                                   : QJsonValue(r.timestamp(i, 12).toString(Qt::ISODate))}};
}
} // namespace ferry::agent::store
