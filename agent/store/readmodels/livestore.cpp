#include "agent/store/readmodels/livestore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// Counts and SLA per tenant; 'released' (handed back at shutdown) is not a failure.
constexpr const char *kTenantsSql =
    "SELECT now(), t.id, t.name, t.sla_target, t.sla_latency_ms, coalesce(e.n, 0),"
    "  coalesce(d.ok, 0), coalesce(d.dead, 0), coalesce(a.failed, 0),"
    "  coalesce(sla.counted, 0), coalesce(sla.within, 0),"
    "  (SELECT count(*) FROM deliveries r WHERE r.tenant_id = t.id"
    "    AND r.state IN ('queued', 'pending', 'retry_wait')"
    "    AND r.created_at < now() - t.sla_latency_ms * interval '0.5 millisecond'"
    "    AND r.created_at >= now() - t.sla_latency_ms * interval '1 millisecond') "
    "FROM tenants t "
    "LEFT JOIN (SELECT tenant_id, count(*) AS n FROM events GROUP BY 1) e"
    "  ON e.tenant_id = t.id "
    "LEFT JOIN (SELECT tenant_id, count(*) FILTER (WHERE state = 'succeeded') AS ok,"
    "    count(*) FILTER (WHERE state = 'dead') AS dead FROM deliveries GROUP BY 1) d"
    "  ON d.tenant_id = t.id "
    "LEFT JOIN (SELECT d.tenant_id, count(*) AS failed FROM delivery_attempts x"
    "    JOIN deliveries d ON d.id = x.delivery_id"
    "    WHERE x.outcome NOT IN ('succeeded', 'released') GROUP BY 1) a"
    "  ON a.tenant_id = t.id "
    "LEFT JOIN LATERAL (SELECT"
    "    count(*) FILTER (WHERE d.state IN ('succeeded', 'dead', 'discarded')"
    "      OR d.created_at < now() - t.sla_latency_ms * interval '1 millisecond') AS counted,"
    "    count(*) FILTER (WHERE d.state = 'succeeded' AND d.finished_at <= d.created_at"
    "      + t.sla_latency_ms * interval '1 millisecond') AS within"
    "    FROM deliveries d WHERE d.tenant_id = t.id"
    "    AND d.created_at >= now() - interval '24 hours') sla ON true "
    "ORDER BY t.name";

constexpr const char *kLagSql =
    "SELECT q.tenant_id,"
    "  count(*) FILTER (WHERE q.state = 'ready' AND q.due_at <= now()),"
    "  count(*) FILTER (WHERE q.state = 'leased'),"
    "  coalesce(extract(epoch FROM now() - min(q.due_at) FILTER (WHERE q.state = 'ready'"
    "    AND q.due_at <= now())), 0), ep.channel "
    "FROM delivery_queue q JOIN endpoints ep ON ep.id = q.endpoint_id "
    "WHERE q.state IN ('ready', 'leased') "
    "GROUP BY q.tenant_id, ep.channel ORDER BY q.tenant_id, ep.channel";

constexpr const char *kChannelsSql =
    "SELECT ep.id, ep.tenant_id, coalesce(f.n, 0),"
    "  a.p50, a.p99, coalesce(a.ok, 0), coalesce(a.failed, 0), ep.channel "
    "FROM endpoints ep "
    // In flight: the leased index holds just those rows.
    "LEFT JOIN (SELECT endpoint_id, count(*) AS n FROM delivery_queue WHERE state = 'leased'"
    "  GROUP BY 1) f ON f.endpoint_id = ep.id "
    "LEFT JOIN (SELECT d.endpoint_id,"
    "    percentile_cont(0.5) WITHIN GROUP (ORDER BY x.duration_ms) AS p50,"
    "    percentile_cont(0.99) WITHIN GROUP (ORDER BY x.duration_ms) AS p99,"
    "    count(*) FILTER (WHERE x.outcome = 'succeeded' AND x.finished_at > s.since) AS ok,"
    "    count(*) FILTER (WHERE x.outcome NOT IN ('succeeded', 'released')"
    "      AND x.finished_at > s.since) AS failed"
    "  FROM delivery_attempts x JOIN deliveries d ON d.id = x.delivery_id,"
    "    (SELECT coalesce($1::timestamptz, now() - interval '1 second') AS since) s"
    "  WHERE x.finished_at > now() - interval '1 minute' GROUP BY 1) a"
    "  ON a.endpoint_id = ep.id "
    "WHERE ep.enabled ORDER BY ep.id";

constexpr const char *kRecentErrorsSql =
    "SELECT endpoint_id, finished_at, status_code, coalesce(error, '') FROM ("
    "  SELECT d.endpoint_id, x.finished_at, x.status_code, x.error, row_number() OVER"
    "    (PARTITION BY d.endpoint_id ORDER BY x.finished_at DESC) AS n"
    "  FROM delivery_attempts x JOIN deliveries d ON d.id = x.delivery_id"
    "  WHERE x.outcome NOT IN ('succeeded', 'released')"
    "    AND x.finished_at > now() - interval '5 minutes') recent "
    "WHERE n <= 5 ORDER BY endpoint_id, finished_at DESC";

Result<QDateTime> readTenants(PgConnection &db, QList<LiveSample::Tenant> &out)
{
    auto t = db.exec(kTenantsSql);
    if (!t)
        return t.error();
    for (int i = 0; i < t->rows(); ++i) {
        LiveSample::Tenant x;
        x.id = t->int64(i, 1);
        x.name = t->text(i, 2);
        x.slaTarget = t->real(i, 3);
        x.slaLatencyMs = t->int64(i, 4);
        x.events = t->int64(i, 5);
        x.deliveriesSucceeded = t->int64(i, 6);
        x.dead = t->int64(i, 7);
        x.attemptsFailed = t->int64(i, 8);
        if (const qint64 counted = t->int64(i, 9))
            x.slaAttainment = double(t->int64(i, 10)) / double(counted);
        x.atRisk = t->int64(i, 11);
        out.append(x);
    }
    return t->rows() ? t->timestamp(0, 0) : QDateTime::currentDateTimeUtc();
}

Result<void> readLag(PgConnection &db, QList<LiveSample::Lag> &out)
{
    auto lag = db.exec(kLagSql);
    if (!lag)
        return lag.error();
    for (int i = 0; i < lag->rows(); ++i)
        out.append({lag->int64(i, 0), lag->text(i, 4), lag->int64(i, 1), lag->int64(i, 2),
                    lag->real(i, 3)});
    return {};
}

Result<void> readChannels(PgConnection &db, const QDateTime &since, QList<LiveSample::Channel> &out)
{
    const QByteArray from =
        since.isValid() ? since.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
    auto ch = db.exec(kChannelsSql, {from});
    if (!ch)
        return ch.error();
    for (int i = 0; i < ch->rows(); ++i) {
        LiveSample::Channel c;
        c.endpointId = ch->int64(i, 0);
        c.tenantId = ch->int64(i, 1);
        c.channel = ch->text(i, 7);
        c.inFlight = ch->int64(i, 2);
        if (!ch->isNull(i, 3))
            c.latencyP50Ms = ch->real(i, 3);
        if (!ch->isNull(i, 4))
            c.latencyP99Ms = ch->real(i, 4);
        c.successes = ch->int64(i, 5);
        c.failures = ch->int64(i, 6);
        out.append(c);
    }
    return {};
}

Result<void> readRecentErrors(PgConnection &db, QList<LiveSample::Channel> &channels)
{
    QHash<qint64, qsizetype> byEndpoint;
    for (qsizetype i = 0; i < channels.size(); ++i)
        byEndpoint.insert(channels[i].endpointId, i);
    auto errors = db.exec(kRecentErrorsSql);
    if (!errors)
        return errors.error();
    for (int i = 0; i < errors->rows(); ++i) {
        const auto it = byEndpoint.constFind(errors->int64(i, 0));
        if (it == byEndpoint.constEnd())
            continue;
        channels[*it].recentErrors.append(
            {errors->timestamp(i, 1),
             errors->isNull(i, 2) ? std::nullopt : std::optional<qint64>(errors->int64(i, 2)),
             errors->text(i, 3)});
    }
    return {};
}

} // namespace

LiveStore::LiveStore(PgConnection &db)
    : m_db(db)
{}

Result<LiveSample> LiveStore::sample(const QDateTime &since)
{
    LiveSample s;
    auto at = readTenants(m_db, s.tenants);
    if (!at)
        return at.error();
    s.at = *at;
    if (auto r = readLag(m_db, s.lag); !r)
        return r.error();
    if (auto r = readChannels(m_db, since, s.channels); !r)
        return r.error();
    if (auto r = readRecentErrors(m_db, s.channels); !r)
        return r.error();
    auto guards = GuardStore(m_db).statuses();
    if (!guards)
        return guards.error();
    s.guards = std::move(*guards);
    return s;
}

} // namespace ferry::agent::store
