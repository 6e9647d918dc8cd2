#include "tests/bench/dispatchfill.h"

#include "tests/bench/benchsupport.h"

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace ferry::bench {

QByteArray num(qint64 v)
{
    return QByteArray::number(v);
}

Result<qint64> attemptsSoFar(Db &db)
{
    return db.int64("SELECT coalesce(max(id), 0) FROM delivery_attempts");
}

Result<qint64> openDeliveries(Db &db)
{
    return db.int64("SELECT count(*) FROM delivery_queue WHERE state IN ('ready', 'leased')");
}

Result<StateCounts> stateCounts(Db &db)
{
    auto r = db.rows("SELECT count(*), count(*) FILTER (WHERE state = 'succeeded'), "
                     "count(*) FILTER (WHERE state IN ('dead', 'discarded')), "
                     "count(*) FILTER (WHERE state IN ('queued', 'pending', 'retry_wait', "
                     "'in_flight')) FROM deliveries");
    if (!r)
        return r.error();
    return StateCounts{r->int64(0, 0), r->int64(0, 1), r->int64(0, 2), r->int64(0, 3)};
}

Result<StateCounts> checkNoneDead(Db &db)
{
    auto c = stateCounts(db);
    if (c && c->dead > 0) {
        auto why = db.rows("SELECT dead_reason, last_error FROM deliveries "
                           "WHERE state IN ('dead', 'discarded') LIMIT 1");
        return makeError(u"%1 deliveries are dead (%2: %3)"_s.arg(c->dead).arg(
            why && why->rows() ? why->text(0, 0) : QString(),
            why && why->rows() ? why->text(0, 1) : QString()));
    }
    return c;
}

Result<Database> freshDatabase(const QString &name)
{
    Database d;
    d.test = std::make_unique<test::TestDatabase>(name);
    if (!d.test->ok())
        return makeError(d.test->error());
    d.url = d.test->url();
    const auto migrated =
        test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, d.url}});
    if (migrated.exitCode != 0)
        return makeError(u"migrate failed: "_s + migrated.err + migrated.out);
    if (test::createTenant(d.url, u"bench"_s).isEmpty())
        return makeError(u"tenant create failed"_s);
    d.tenantId = d.test->scalar(u"SELECT id FROM tenants WHERE name = 'bench'"_s).toLongLong();
    return d;
}

Result<qint64> addEndpoint(const Database &d, const QString &url, const QString &channel,
                           int maxConcurrency, QByteArray *secret)
{
    const QString s = test::addEndpoint(d.url, u"bench"_s, url);
    if (s.isEmpty())
        return makeError(u"endpoint add failed"_s);
    if (secret)
        *secret = s.toUtf8();
    const qint64 id = d.test->scalar(u"SELECT max(id) FROM endpoints"_s).toLongLong();
    if (!d.test->exec(u"UPDATE endpoints SET channel = '%1', max_concurrency = %2 WHERE id = %3"_s
                          .arg(channel)
                          .arg(maxConcurrency)
                          .arg(id)))
        return makeError(
            u"cannot set the endpoint's channel to '%1' (migration 0008?)"_s.arg(channel));
    return id;
}

Result<void> fillBacklog(const Database &d, qint64 endpoint, qint64 count)
{
    Db db;
    if (auto r = db.open(d.url); !r)
        return r;
    constexpr qint64 kChunk = 1'000'000;
    const auto started = Clock::now();
    for (qint64 from = 1; from <= count; from += kChunk) {
        const qint64 to = std::min(count, from + kChunk - 1);
        auto r = db.run(
            "WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
            "  SELECT ('01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, "
            "    '/bench/dispatch', 'fill-' || g, 'bench.noop', '{\"n\":1}' "
            "  FROM generate_series($2::bigint, $3::bigint) g RETURNING id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT id, $4, $1 FROM e",
            {num(d.tenantId), num(from), num(to), num(endpoint)});
        if (!r)
            return r;
        if (count > kChunk)
            std::printf("    filled %s of %s (%.0f s)\n", qPrintable(fmtInt(double(to))),
                        qPrintable(fmtInt(double(count))), secondsSince(started));
        std::fflush(stdout);
    }
    for (const char *sql : {"VACUUM ANALYZE events", "VACUUM ANALYZE deliveries",
                            "VACUUM ANALYZE delivery_queue", "CHECKPOINT"}) {
        if (auto r = db.run(sql); !r)
            return r;
    }
    return {};
}

Result<void> insertCold(Db &db, qint64 tenant, qint64 endpoint, int n)
{
    return db.run(
        "WITH e AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
        "  VALUES (gen_random_uuid(), $1, '/bench/cold', 'cold-' || $2::text, 'bench.cold', "
        "    '{\"n\":1}') RETURNING id), "
        "d AS (INSERT INTO deliveries (event_id, endpoint_id, tenant_id) "
        "  SELECT id, $3, $1 FROM e RETURNING 1) "
        "SELECT pg_notify('ferry_work', 'bench') FROM d",
        {num(tenant), num(n), num(endpoint)});
}

Result<std::vector<double>> finishLatencies(Db &db, qint64 endpoint)
{
    auto rows = db.rows("SELECT extract(epoch FROM finished_at - created_at) * 1000 "
                        "FROM deliveries WHERE endpoint_id = $1",
                        {num(endpoint)});
    if (!rows)
        return rows.error();
    std::vector<double> ms;
    for (int i = 0; i < rows->rows(); ++i)
        ms.push_back(rows->text(i, 0).toDouble());
    return ms;
}

} // namespace ferry::bench
