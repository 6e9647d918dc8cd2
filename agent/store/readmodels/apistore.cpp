#include "agent/store/readmodels/apistore.h"

#include <QJsonDocument>

#include <functional>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray scope(qint64 tenantId)
{
    return tenantId ? QByteArray::number(tenantId) : QByteArray();
}

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
            {u"sla"_s,
             QJsonObject{{u"target"_s, r.text(i, 6).toDouble()}, {u"latency_ms"_s, r.int64(i, 7)}}},
            {u"usage"_s, QJsonObject{{u"events_today"_s, r.int64(i, 8)}}}};
}

constexpr const char *kTenantColumns =
    "SELECT id, name, created_at, max_events_per_second, max_events_per_day, max_payload_bytes, "
    "  sla_target, sla_latency_ms,"
    // Events received since midnight UTC (the day of the daily quota): an index-only range.
    "  (SELECT count(*) FROM events e WHERE e.tenant_id = tenants.id AND e.received_at >= "
    "    date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') "
    "FROM tenants ";

Result<void> writeAudit(PgConnection &db, const QString &actor, const char *action,
                        const QString &subject, const QJsonObject &details)
{
    auto a = db.exec("INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, "
                     "$4)",
                     {actor.toUtf8(), action, subject.toUtf8(),
                      QJsonDocument(details).toJson(QJsonDocument::Compact)});
    if (!a)
        return a.error();
    return {};
}

} // namespace

ApiStore::ApiStore(PgConnection &db)
    : m_db(db)
{}

Result<QJsonObject> ApiStore::overview(qint64 tenantId)
{
    auto r = m_db.exec("SELECT ferry_delivery_state(d.state, q.state), count(*) FROM deliveries d "
                       "LEFT JOIN delivery_queue q ON q.delivery_id = d.id "
                       "WHERE $1::bigint IS NULL OR d.tenant_id = $1 GROUP BY 1",
                       {scope(tenantId)});
    if (!r)
        return r.error();
    QJsonObject states;
    for (const char *s :
         {"queued", "pending", "in_flight", "retry_wait", "succeeded", "dead", "discarded"})
        states.insert(QLatin1StringView(s), 0);
    for (int i = 0; i < r->rows(); ++i)
        states.insert(r->text(i, 0), r->int64(i, 1));
    auto e = m_db.exec("SELECT count(*) FILTER (WHERE received_at > now() - interval '1 minute'),"
                       "  count(*) FROM events WHERE $1::bigint IS NULL OR tenant_id = $1",
                       {scope(tenantId)});
    if (!e)
        return e.error();
    auto lag =
        m_db.exec("SELECT coalesce(extract(epoch FROM now() - min(o.due_at)), 0) "
                  "FROM endpoints ep CROSS JOIN LATERAL (SELECT q.due_at FROM delivery_queue q"
                  "  WHERE q.endpoint_id = ep.id AND q.state = 'ready'"
                  "    AND q.due_at <= now() ORDER BY q.due_at LIMIT 1) o "
                  "WHERE $1::bigint IS NULL OR ep.tenant_id = $1",
                  {scope(tenantId)});
    if (!lag)
        return lag.error();
    return QJsonObject{{u"deliveries_by_state"_s, states},
                       {u"dlq_size"_s, states.value(u"dead"_s)},
                       {u"events_last_minute"_s, e->int64(0, 0)},
                       {u"events_total"_s, e->int64(0, 1)},
                       {u"lag_seconds"_s, lag->text(0, 0).toDouble()}};
}

Result<QJsonArray> ApiStore::tenants(qint64 tenantId)
{
    auto r = m_db.exec(QByteArray(kTenantColumns)
                           .append("WHERE $1::bigint IS NULL OR id = $1 ORDER BY name")
                           .constData(),
                       {scope(tenantId)});
    if (!r)
        return r.error();
    QJsonArray out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(tenantJson(*r, i));
    return out;
}

Result<QPair<qint64, QJsonObject>> ApiStore::tenant(const QString &name)
{
    auto r = m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1").constData(),
                       {name.toUtf8()});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return QPair<qint64, QJsonObject>(0, {});
    return QPair<qint64, QJsonObject>(r->int64(0, 0), tenantJson(*r, 0));
}

Result<QJsonArray> ApiStore::audit(int limit, qint64 beforeId)
{
    auto r = m_db.exec(
        "SELECT id, at, actor, action, coalesce(subject, ''), "
        "  coalesce(details::text, '{}') FROM audit_log "
        "WHERE $2::bigint IS NULL OR id < $2 ORDER BY id DESC LIMIT $1",
        {QByteArray::number(limit), beforeId ? QByteArray::number(beforeId) : QByteArray()});
    if (!r)
        return r.error();
    QJsonArray out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(QJsonObject{{u"id"_s, r->int64(i, 0)},
                               {u"at"_s, r->timestamp(i, 1).toString(Qt::ISODate)},
                               {u"actor"_s, r->text(i, 2)},
                               {u"action"_s, r->text(i, 3)},
                               {u"subject"_s, r->text(i, 4)},
                               {u"details"_s, QJsonDocument::fromJson(r->bytes(i, 5)).object()}});
    return out;
}

Result<qint64> ApiStore::deliveryTenant(const QUuid &id)
{
    auto r = m_db.exec("SELECT tenant_id FROM deliveries WHERE id = $1",
                       {id.toByteArray(QUuid::WithoutBraces)});
    if (!r)
        return r.error();
    return r->rows() ? r->int64(0, 0) : qint64(0);
}

Result<std::optional<QJsonObject>>
ApiStore::updateTenant(const QString &name, const TenantUpdate &update, const QString &actor)
{
    const auto number = [](const std::optional<qint64> &v) {
        return v ? QByteArray::number(*v) : QByteArray();
    };
    std::optional<QJsonObject> after;
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto before =
            m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1 FOR UPDATE").constData(),
                      {name.toUtf8()});
        if (!before)
            return before.error();
        if (before->rows() == 0)
            return {};
        // $n NULL: unchanged; quotas 0: unlimited (stored as NULL).
        auto r = m_db.exec(
            "UPDATE tenants SET"
            "  max_events_per_second = CASE WHEN $2::bigint IS NULL THEN max_events_per_second"
            "    ELSE nullif($2::bigint, 0) END,"
            "  max_events_per_day = CASE WHEN $3::bigint IS NULL THEN max_events_per_day"
            "    ELSE nullif($3::bigint, 0) END,"
            "  max_payload_bytes = CASE WHEN $4::bigint IS NULL THEN max_payload_bytes"
            "    ELSE nullif($4::bigint, 0) END,"
            "  sla_target = coalesce($5::double precision, sla_target),"
            "  sla_latency_ms = coalesce($6::bigint, sla_latency_ms) "
            "WHERE id = $1",
            {QByteArray::number(before->int64(0, 0)), number(update.eventsPerSecond),
             number(update.eventsPerDay), number(update.maxPayloadBytes),
             update.slaTarget ? QByteArray::number(*update.slaTarget, 'g', 17) : QByteArray(),
             number(update.slaLatencyMs)});
        if (!r)
            return r.error();
        auto now = m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1").constData(),
                             {name.toUtf8()});
        if (!now)
            return now.error();
        after = tenantJson(*now, 0);
        return writeAudit(m_db, actor, "tenant.update", name,
                          {{u"before"_s, tenantJson(*before, 0)}, {u"after"_s, *after}});
    });
    if (!done)
        return done.error();
    return after;
}

Result<ApiStore::DeleteOutcome> ApiStore::deleteTenant(const QString &name, bool force,
                                                       const QString &actor)
{
    DeleteOutcome outcome;
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto before =
            m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1 FOR UPDATE").constData(),
                      {name.toUtf8()});
        if (!before)
            return before.error();
        if (before->rows() == 0)
            return {};
        outcome.found = true;
        const QByteArray id = QByteArray::number(before->int64(0, 0));
        auto open = m_db.exec("SELECT count(*) FROM delivery_queue WHERE tenant_id = $1"
                              "  AND state <> 'dead'",
                              {id});
        if (!open)
            return open.error();
        outcome.unfinished = open->int64(0, 0);
        if (outcome.unfinished > 0 && !force)
            return {};
        // Events, endpoints (and with them deliveries, attempts, notes), tokens, keys and usage
        // go with the tenant (ON DELETE CASCADE); the dedupe keys have no foreign key.
        if (auto k = m_db.exec("DELETE FROM ingest_keys WHERE tenant_id = $1", {id}); !k)
            return k.error();
        if (auto d = m_db.exec("DELETE FROM deliveries WHERE tenant_id = $1", {id}); !d)
            return d.error();
        if (auto t = m_db.exec("DELETE FROM tenants WHERE id = $1", {id}); !t)
            return t.error();
        outcome.deleted = true;
        return writeAudit(m_db, actor, "tenant.delete", name,
                          {{u"before"_s, tenantJson(*before, 0)},
                           {u"after"_s, QJsonValue()},
                           {u"force"_s, force},
                           {u"unfinished_deliveries"_s, outcome.unfinished}});
    });
    if (!done)
        return done.error();
    return outcome;
}

} // namespace ferry::agent::store
