#include "agent/store/readmodels/apistore.h"

#include "agent/store/readmodels/tenantrow.h"

#include <QJsonDocument>

#include <functional>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray scope(qint64 tenantId)
{
    return tenantId ? QByteArray::number(tenantId) : QByteArray();
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
                       {u"lag_seconds"_s, lag->real(0, 0)}};
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

Result<qint64> ApiStore::deliveryTenant(const QUuid &id)
{
    auto r = m_db.exec("SELECT tenant_id FROM deliveries WHERE id = $1",
                       {id.toByteArray(QUuid::WithoutBraces)});
    if (!r)
        return r.error();
    return r->rows() ? r->int64(0, 0) : qint64(0);
}

Result<QHash<QUuid, qint64>> ApiStore::deliveryTenants(const QList<QUuid> &ids)
{
    QList<QByteArray> texts;
    for (const QUuid &id : ids)
        texts.append(id.toByteArray(QUuid::WithoutBraces));
    auto r = m_db.exec("SELECT id, tenant_id FROM deliveries WHERE id = ANY($1::uuid[])",
                       {pgTextArray(texts)});
    if (!r)
        return r.error();
    QHash<QUuid, qint64> out;
    for (int i = 0; i < r->rows(); ++i)
        out.insert(QUuid::fromString(r->text(i, 0)), r->int64(i, 1));
    return out;
}

} // namespace ferry::agent::store
