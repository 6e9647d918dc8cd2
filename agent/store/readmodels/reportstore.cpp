#include "agent/store/readmodels/reportstore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray optional(const QString &s)
{
    return s.isEmpty() ? QByteArray() : s.toUtf8();
}

QByteArray time(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
}

} // namespace

ReportStore::ReportStore(PgConnection &db)
    : m_db(db)
{}

Result<QJsonArray> ReportStore::sla(qint64 tenantId, const QDateTime &from, const QDateTime &to,
                                    const QString &afterTenant, int limit)
{
    auto r = m_db.exec(
        "SELECT t.name, t.sla_target, t.sla_latency_ms,"
        "  count(d.id) FILTER (WHERE d.state IN ('succeeded', 'dead', 'discarded')"
        "    OR d.created_at < now() - t.sla_latency_ms * interval '1 millisecond'),"
        "  count(d.id) FILTER (WHERE d.state = 'succeeded'"
        "    AND d.finished_at <= d.created_at + t.sla_latency_ms * interval '1 millisecond'),"
        "  (SELECT count(*) FROM deliveries r WHERE r.tenant_id = t.id"
        "    AND r.state IN ('queued', 'pending', 'retry_wait')"
        "    AND r.created_at < now() - t.sla_latency_ms * interval '0.5 millisecond'"
        "    AND r.created_at >= now() - t.sla_latency_ms * interval '1 millisecond') "
        "FROM tenants t LEFT JOIN deliveries d ON d.tenant_id = t.id"
        "  AND d.created_at >= $2::timestamptz AND d.created_at < $3::timestamptz "
        "WHERE ($1::bigint IS NULL OR t.id = $1) AND ($4::text IS NULL OR t.name > $4) "
        "GROUP BY t.id ORDER BY t.name LIMIT $5",
        {tenantId ? QByteArray::number(tenantId) : QByteArray(), time(from), time(to),
         optional(afterTenant), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QJsonArray out;
    const qint64 windowS = from.secsTo(to);
    for (int i = 0; i < r->rows(); ++i) {
        const qint64 deliveries = r->int64(i, 3);
        const qint64 within = r->int64(i, 4);
        out.append(QJsonObject{
            {u"tenant"_s, r->text(i, 0)},
            {u"target"_s, r->real(i, 1)},
            {u"latency_ms"_s, r->int64(i, 2)},
            {u"window_s"_s, windowS},
            {u"deliveries"_s, deliveries},
            {u"within_target"_s, within},
            {u"attainment"_s,
             deliveries ? QJsonValue(double(within) / double(deliveries)) : QJsonValue()},
            {u"at_risk"_s, r->int64(i, 5)}});
    }
    return out;
}

Result<ReportStore::Page> ReportStore::searchDeliveries(const Search &s)
{
    auto r = m_db.exec(
        "SELECT d.id, t.name, d.event_id, e.type, d.endpoint_id,"
        "  ferry_delivery_state(d.state, q.state), greatest(d.attempts, q.attempts),"
        "  e.partition_key, d.created_at, d.updated_at, d.last_status, d.last_error,"
        "  (extract(epoch FROM d.created_at) * 1000000)::bigint, ep.channel "
        "FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id "
        "JOIN tenants t ON t.id = d.tenant_id "
        "JOIN events e ON e.id = d.event_id JOIN endpoints ep ON ep.id = d.endpoint_id "
        "WHERE ($1::bigint IS NULL OR d.tenant_id = $1)"
        "  AND ($2::text IS NULL OR t.name = $2)"
        "  AND ($3::text IS NULL OR ferry_delivery_state(d.state, q.state) = $3)"
        "  AND ($4::text IS NULL OR ep.channel = $4)"
        "  AND ($5::bigint IS NULL OR d.endpoint_id = $5)"
        "  AND ($6::timestamptz IS NULL OR d.created_at >= $6)"
        "  AND ($7::timestamptz IS NULL OR d.created_at < $7)"
        "  AND ($8::uuid IS NULL OR d.event_id = $8)"
        "  AND ($9::text IS NULL OR e.partition_key = $9)"
        "  AND ($10::bigint IS NULL OR (d.created_at, d.id) < ('epoch'::timestamptz"
        "    + $10::bigint * interval '1 microsecond', $11::uuid)) "
        "ORDER BY d.created_at DESC, d.id DESC LIMIT $12",
        {s.scopeTenantId ? QByteArray::number(s.scopeTenantId) : QByteArray(), optional(s.tenant),
         optional(s.state), optional(s.channel),
         s.endpointId ? QByteArray::number(s.endpointId) : QByteArray(), time(s.since),
         time(s.until),
         s.eventId.isNull() ? QByteArray() : s.eventId.toByteArray(QUuid::WithoutBraces),
         optional(s.partitionKey), s.after ? QByteArray::number(s.after->first) : QByteArray(),
         s.after ? s.after->second.toByteArray(QUuid::WithoutBraces) : QByteArray(),
         QByteArray::number(s.limit + 1)});
    if (!r)
        return r.error();
    Page page;
    const auto optionalText = [&](int i, int c) {
        return r->isNull(i, c) ? QJsonValue() : QJsonValue(r->text(i, c));
    };
    const int rows = std::min(r->rows(), s.limit);
    for (int i = 0; i < rows; ++i) {
        page.items.append(QJsonObject{
            {u"id"_s, r->text(i, 0)},
            {u"tenant"_s, r->text(i, 1)},
            {u"event_id"_s, r->text(i, 2)},
            {u"event_type"_s, r->text(i, 3)},
            {u"endpoint"_s, r->int64(i, 4)},
            {u"channel"_s, r->text(i, 13)},
            {u"state"_s, r->text(i, 5)},
            {u"attempts"_s, r->int64(i, 6)},
            {u"partition_key"_s, optionalText(i, 7)},
            {u"created_at"_s, r->timestamp(i, 8).toString(Qt::ISODateWithMs)},
            {u"updated_at"_s, r->timestamp(i, 9).toString(Qt::ISODateWithMs)},
            {u"last_status"_s, r->isNull(i, 10) ? QJsonValue() : QJsonValue(r->int64(i, 10))},
            {u"last_error"_s, optionalText(i, 11)}});
    }
    if (r->rows() > s.limit)
        page.next = std::pair(r->int64(rows - 1, 12), QUuid::fromString(r->text(rows - 1, 0)));
    return page;
}

Result<QList<ReportStore::ReportRow>>
ReportStore::deliveryReport(qint64 tenantId, const QDateTime &from, const QDateTime &to)
{
    // A delivery's channel is its route's. Its cost is its billing ledger entry's (messages a
    // provider accepted); deliveries with none cost nothing. A row's cost is unknown while an
    // entry has no cost yet (no price and no provider figure), or its entries mix currencies.
    auto r = m_db.exec("SELECT ep.channel, ferry_delivery_state(d.state, q.state), count(*),"
                       "  CASE WHEN count(l.delivery_id) FILTER (WHERE l.cost IS NULL) > 0"
                       "    OR count(DISTINCT l.currency) > 1 THEN NULL"
                       "  ELSE coalesce(sum(l.cost), 0) END::text "
                       "FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id "
                       "JOIN endpoints ep ON ep.id = d.endpoint_id "
                       "LEFT JOIN billing_ledger l ON l.delivery_id = d.id "
                       "WHERE d.tenant_id = $1"
                       "  AND d.created_at >= $2::timestamptz AND d.created_at < $3::timestamptz "
                       "GROUP BY 1, 2 ORDER BY 1, 2",
                       {QByteArray::number(tenantId), time(from), time(to)});
    if (!r)
        return r.error();
    QList<ReportRow> rows;
    for (int i = 0; i < r->rows(); ++i)
        rows.append({r->text(i, 0), r->text(i, 1), r->int64(i, 2),
                     r->isNull(i, 3) ? std::nullopt : std::optional(r->text(i, 3).toDouble())});
    return rows;
}

Result<ReportStore::Outcome> ReportStore::outcome(qint64 tenantId)
{
    auto r = m_db.exec(
        "SELECT count(*), count(*) FILTER (WHERE d.state = 'succeeded'),"
        "  count(*) FILTER (WHERE d.state = 'dead'),"
        "  (SELECT count(*) FROM delivery_attempts a JOIN deliveries r ON r.id = a.delivery_id"
        "    WHERE r.tenant_id = $1 AND a.outcome = 'retryable'),"
        "  coalesce(extract(epoch FROM max(d.finished_at) - min(d.created_at)), 0),"
        "  coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
        "    d.finished_at - d.created_at)) FILTER (WHERE d.state = 'succeeded'), 0),"
        "  coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM"
        "    d.finished_at - d.created_at)) FILTER (WHERE d.state = 'succeeded'), 0),"
        "  max(d.finished_at) "
        "FROM deliveries d WHERE d.tenant_id = $1",
        {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    return Outcome{r->int64(0, 0), r->int64(0, 1), r->int64(0, 2), r->int64(0, 3),
                   r->real(0, 4),  r->real(0, 5),  r->real(0, 6),  r->timestamp(0, 7)};
}

Result<QHash<QString, qint64>> ReportStore::openDeliveriesByTenant()
{
    auto r = m_db.exec("SELECT t.name, count(*) FROM delivery_queue q "
                       "JOIN tenants t ON t.id = q.tenant_id "
                       "WHERE q.state IN ('ready', 'leased') GROUP BY t.name");
    if (!r)
        return r.error();
    QHash<QString, qint64> open;
    for (int i = 0; i < r->rows(); ++i)
        open.insert(r->text(i, 0), r->int64(i, 1));
    return open;
}

} // namespace ferry::agent::store
