#include "agent/store/readmodels/metricsstore.h"

#include "agent/store/readmodels/reportstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

MetricsStore::MetricsStore(PgConnection &db)
    : m_db(db)
{}

Result<MetricsStore::Snapshot> MetricsStore::snapshot(bool withSla)
{
    // A delivery's channel is its route's (endpoints.channel).
    // One snapshot for every count, so the figures agree with each other.
    auto tx = m_db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!tx)
        return tx.error();
    Snapshot s;
    const auto run = [&](const char *sql) { return m_db.exec(sql); };

    auto tenants = run("SELECT name FROM tenants ORDER BY name");
    if (!tenants)
        return tenants.error();
    for (int i = 0, n = tenants->rows(); i < n; ++i)
        s.tenants.append(tenants->text(i, 0));

    // Open and dead deliveries are the queue's rows; finished ones are not read.
    auto counts =
        run("SELECT t.name, e.channel, ferry_queue_state(q.state, q.attempts), count(*) "
            "FROM delivery_queue q "
            "JOIN tenants t ON t.id = q.tenant_id JOIN endpoints e ON e.id = q.endpoint_id "
            "GROUP BY 1, 2, 3");
    if (!counts)
        return counts.error();
    const PgResult &c = *counts;
    for (int i = 0; i < c.rows(); ++i) {
        s.deliveries.append({c.text(i, 0), c.text(i, 1), c.text(i, 2), c.int64(i, 3)});
        if (c.text(i, 2) == QLatin1StringView("dead"))
            s.dlqSizes.insert(c.text(i, 0), c.int64(i, 3));
    }

    // Due now: each endpoint's oldest from the ready index, one probe per endpoint.
    auto lag = run("SELECT t.name, e.channel, "
                   "  EXTRACT(EPOCH FROM clock_timestamp() - min(o.due_at))::float8 "
                   "FROM endpoints e JOIN tenants t ON t.id = e.tenant_id "
                   "CROSS JOIN LATERAL (SELECT q.due_at FROM delivery_queue q "
                   "  WHERE q.endpoint_id = e.id AND q.state = 'ready'"
                   "    AND q.due_at <= now() ORDER BY q.due_at LIMIT 1) o "
                   "GROUP BY t.name, e.channel");
    if (!lag)
        return lag.error();
    const PgResult &l = *lag;
    for (int i = 0; i < l.rows(); ++i)
        s.lag.append({l.text(i, 0), l.text(i, 1), std::max(0.0, l.real(i, 2))});

    auto endpoints = run("SELECT e.id, t.name, e.channel FROM endpoints e "
                         "JOIN tenants t ON t.id = e.tenant_id WHERE e.enabled ORDER BY e.id");
    if (!endpoints)
        return endpoints.error();
    const PgResult &ep = *endpoints;
    for (int i = 0; i < ep.rows(); ++i)
        s.endpoints.append({ep.int64(i, 0), ep.text(i, 1), ep.text(i, 2)});

    if (withSla) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto sla = ReportStore(m_db).sla(0, now.addDays(-1), now, {}, 100000);
        if (!sla) {
            return sla.error();
        }
        for (const auto &v : std::as_const(*sla)) {
            const QJsonObject o = v.toObject();
            const QJsonValue a = o.value("attainment"_L1);
            s.sla.append({o.value("tenant"_L1).toString(), o.value("target"_L1).toDouble(),
                          a.isDouble() ? a.toDouble() : -1.0});
        }
        s.slaIncluded = true;
    }

    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return s;
}

Result<MetricsStore::TenantNames> MetricsStore::tenantNames()
{
    TenantNames out;
    auto names = m_db.exec("SELECT id, name FROM tenants");
    if (!names)
        return names.error();
    const PgResult &n = *names;
    for (int i = 0; i < n.rows(); ++i)
        out.names.insert(n.int64(i, 0), n.text(i, 1));
    auto tokens = m_db.exec("SELECT token_hash, tenant_id FROM producer_tokens");
    if (!tokens)
        return tokens.error();
    const PgResult &t = *tokens;
    for (int i = 0; i < t.rows(); ++i)
        out.tokenTenants.insert(t.bytea(i, 0), t.int64(i, 1));
    return out;
}

} // namespace ferry::agent::store
