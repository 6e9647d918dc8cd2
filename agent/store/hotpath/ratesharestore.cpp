#include "agent/store/hotpath/ratesharestore.h"

#include "agent/store/pgconnection.h"

namespace ferry::agent::store {

namespace {

// "12,40" as the other agents' demands.
QList<qint64> demandsOf(const QString &text)
{
    QList<qint64> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        out.append(part.toLongLong());
    return out;
}

} // namespace

RateShareStore::RateShareStore(PgConnection &db)
    : m_db(db)
{}

Result<RateShareStore::Exchange>
RateShareStore::exchange(const QByteArray &agentId, const QList<Demand> &demands, qint64 freshMs)
{
    QList<qint64> tenants;
    QList<qint64> perSecond;
    for (const Demand &d : demands) {
        tenants.append(d.tenantId);
        perSecond.append(d.perSecond);
    }
    // The row of tenant 0 carries the number of live agents, whether or not there are demands.
    auto r = m_db.exec(
        "WITH mine AS ("
        "  INSERT INTO rate_shares (tenant_id, agent_id, demand, seen_at)"
        "  SELECT t, $1, d, now() FROM unnest($2::bigint[], $3::bigint[]) AS u(t, d)"
        "  ON CONFLICT (tenant_id, agent_id)"
        "  DO UPDATE SET demand = excluded.demand, seen_at = excluded.seen_at"
        "  RETURNING tenant_id),"
        " live AS (SELECT count(*) AS n FROM agents"
        "  WHERE heartbeat_at > now() - heartbeat_ms * 3 * interval '1 millisecond')"
        "SELECT m.tenant_id,"
        "  array_to_string(array_agg(o.demand) FILTER (WHERE o.agent_id <> $1), ','),"
        "  coalesce(max(o.demand) FILTER (WHERE o.agent_id = $1), -1), (SELECT n FROM live)"
        "  FROM mine m LEFT JOIN rate_shares o ON o.tenant_id = m.tenant_id"
        "   AND o.seen_at > now() - $4::bigint * interval '1 millisecond'"
        "  GROUP BY m.tenant_id "
        "UNION ALL SELECT 0, '', 0, (SELECT n FROM live)",
        {agentId, pgInt64Array(tenants), pgInt64Array(perSecond), QByteArray::number(freshMs)});
    if (!r)
        return r.error();
    Exchange out;
    for (int i = 0; i < r->rows(); ++i) {
        const qint64 tenant = r->int64(i, 0);
        if (tenant == 0)
            out.liveAgents = std::max(1, int(r->int64(i, 3)));
        else
            out.tenants.insert(tenant, {r->int64(i, 2), demandsOf(r->text(i, 1))});
    }
    return out;
}

Result<void> RateShareStore::purge()
{
    auto r = m_db.exec("DELETE FROM rate_shares WHERE seen_at < now() - interval '1 minute'");
    if (!r)
        return r.error();
    return {};
}

} // namespace ferry::agent::store
