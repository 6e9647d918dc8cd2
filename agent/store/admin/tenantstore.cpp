#include "agent/store/admin/tenantstore.h"

#include "agent/store/admin/auditlog.h"
#include "agent/store/readmodels/tenantrow.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// A text[] parameter: {"a","b"}; entries are CIDR text, quoted all the same.
QByteArray textArray(const QStringList &items)
{
    QStringList quoted;
    for (QString item : items)
        quoted.append(u'"' + item.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"');
    return u"{%1}"_s.arg(quoted.join(u',')).toUtf8();
}

} // namespace

TenantStore::TenantStore(PgConnection &db)
    : m_db(db)
{}

Result<PgResult> TenantStore::applyUpdate(qint64 tenantId, const TenantUpdate &update)
{
    const auto number = [](const std::optional<qint64> &v) {
        return v ? QByteArray::number(*v) : QByteArray();
    };
    const auto boolean = [](const std::optional<bool> &v) {
        return v ? QByteArray(*v ? "true" : "false") : QByteArray();
    };
    // $n NULL: unchanged; quotas 0: unlimited (stored as NULL).
    return m_db.exec(
        "UPDATE tenants SET"
        "  max_events_per_second = CASE WHEN $2::bigint IS NULL THEN max_events_per_second"
        "    ELSE nullif($2::bigint, 0) END,"
        "  max_events_per_day = CASE WHEN $3::bigint IS NULL THEN max_events_per_day"
        "    ELSE nullif($3::bigint, 0) END,"
        "  max_payload_bytes = CASE WHEN $4::bigint IS NULL THEN max_payload_bytes"
        "    ELSE nullif($4::bigint, 0) END,"
        "  sla_target = coalesce($5::double precision, sla_target),"
        "  sla_latency_ms = coalesce($6::bigint, sla_latency_ms),"
        "  allowed_networks = coalesce($7::text[], allowed_networks),"
        "  strict_schemas = coalesce($8::boolean, strict_schemas),"
        "  display_name = coalesce($9::text, display_name),"
        // Disabling again keeps the first time; enabling clears it.
        "  disabled_at = CASE WHEN $10::boolean IS NULL THEN disabled_at"
        "    WHEN $10::boolean THEN coalesce(disabled_at, now()) END "
        "WHERE id = $1 RETURNING max_events_per_second, max_events_per_day, max_payload_bytes",
        {QByteArray::number(tenantId), number(update.eventsPerSecond), number(update.eventsPerDay),
         number(update.maxPayloadBytes),
         update.slaTarget ? QByteArray::number(*update.slaTarget, 'g', 17) : QByteArray(),
         number(update.slaLatencyMs),
         update.allowedNetworks ? textArray(*update.allowedNetworks) : QByteArray(),
         boolean(update.strictSchemas),
         update.displayName ? update.displayName->toUtf8() : QByteArray(),
         boolean(update.disabled)});
}

Result<QStringList> TenantStore::allowedNetworks(qint64 tenantId)
{
    auto r = m_db.exec("SELECT array_to_string(allowed_networks, ',') FROM tenants WHERE id = $1",
                       {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    return r->rows() == 0 ? QStringList() : r->text(0, 0).split(u',', Qt::SkipEmptyParts);
}

Result<QHash<qint64, QStringList>> TenantStore::allAllowedNetworks()
{
    auto r = m_db.exec("SELECT id, array_to_string(allowed_networks, ',') FROM tenants"
                       "  WHERE cardinality(allowed_networks) > 0");
    if (!r)
        return r.error();
    QHash<qint64, QStringList> out;
    for (int i = 0; i < r->rows(); ++i)
        out.insert(r->int64(i, 0), r->text(i, 1).split(u',', Qt::SkipEmptyParts));
    return out;
}

Result<PgResult> TenantStore::lockTenant(const QString &name)
{
    return m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1 FOR UPDATE").constData(),
                     {name.toUtf8()});
}

Result<std::optional<QJsonObject>>
TenantStore::updateTenant(const QString &name, const TenantUpdate &update, const QString &actor)
{
    std::optional<QJsonObject> after;
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto before = lockTenant(name);
        if (!before || before->rows() == 0)
            return before ? Result<void>() : before.error();
        auto r = applyUpdate(before->int64(0, 0), update);
        if (!r)
            return r.error();
        auto now = m_db.exec(QByteArray(kTenantColumns).append("WHERE name = $1").constData(),
                             {name.toUtf8()});
        if (!now)
            return now.error();
        after = tenantJson(*now, 0);
        return writeAudit(
            m_db, {.actor = actor,
                   .action = u"tenant.update"_s,
                   .subject = name,
                   .tenant = name,
                   .details = {{u"before"_s, tenantJson(*before, 0)}, {u"after"_s, *after}}});
    });
    if (!done)
        return done.error();
    return after;
}

Result<TenantStore::DeleteOutcome> TenantStore::deleteTenant(const QString &name, bool force,
                                                             const QString &actor)
{
    DeleteOutcome outcome;
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto before = lockTenant(name);
        if (!before || before->rows() == 0)
            return before ? Result<void>() : before.error();
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
        return writeAudit(m_db, {.actor = actor,
                                 .action = u"tenant.delete"_s,
                                 .subject = name,
                                 .tenant = name,
                                 .details = {{u"before"_s, tenantJson(*before, 0)},
                                             {u"after"_s, QJsonValue()},
                                             {u"force"_s, force},
                                             {u"unfinished_deliveries"_s, outcome.unfinished}}});
    });
    if (!done)
        return done.error();
    return outcome;
}

} // namespace ferry::agent::store
