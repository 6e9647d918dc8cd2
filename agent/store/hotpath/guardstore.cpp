#include "agent/store/hotpath/guardstore.h"

#include <climits>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// Any constant both sides agree on: the key of the claim lock.
constexpr char kClaimLockKey[] = "8317202614";

// Lets open breakers past their cool-down probe (and a half-open one whose probe outlived its
// lease: the agent holding it died or its outcome was lost), refills the buckets (a new bucket
// starts empty: a limit is never exceeded, not even at the start), and reads what holds endpoints
// back. Rows: (kind, id, value, account).
constexpr char kViewSql[] =
    "WITH half AS ("
    "  UPDATE guard_breakers SET state = 'half_open', probe_in_flight = false,"
    "    probe_successes = 0, changed_at = now()"
    "  WHERE state = 'open' AND retry_at <= now() RETURNING scope, id), "
    "brk AS ("
    "  SELECT scope, id, CASE WHEN state = 'half_open' AND (NOT probe_in_flight"
    "    OR retry_at <= now()) THEN 1 ELSE 0 END AS room FROM guard_breakers"
    "  WHERE state = 'half_open' OR (state = 'open' AND retry_at > now())"
    "  UNION ALL SELECT scope, id, 1 FROM half), "
    "limited AS ("
    "  SELECT 'endpoint'::text AS scope, id, rate_per_second AS rate FROM endpoints"
    "  WHERE rate_per_second IS NOT NULL AND enabled"
    "  UNION ALL SELECT 'account', id, rate_per_second FROM credentials"
    "  WHERE rate_per_second IS NOT NULL), "
    "made AS ("
    "  INSERT INTO guard_buckets (scope, id, tokens) SELECT scope, id, 0 FROM limited"
    "  ON CONFLICT DO NOTHING RETURNING scope, id), "
    "refill AS ("
    "  UPDATE guard_buckets b SET refilled_at = now(), tokens = least(greatest(1, l.rate),"
    "    b.tokens + l.rate * extract(epoch FROM now() - b.refilled_at))"
    "  FROM limited l WHERE b.scope = l.scope AND b.id = l.id RETURNING b.scope, b.id, b.tokens), "
    "busy AS ("
    "  SELECT endpoint_id, count(*) AS n FROM delivery_queue WHERE state = 'leased'"
    "  GROUP BY endpoint_id), "
    "acct AS ("
    "  SELECT id, coalesce(max_concurrency, 0) AS cap FROM credentials"
    "  WHERE max_concurrency IS NOT NULL OR rate_per_second IS NOT NULL"
    "    OR id IN (SELECT id FROM brk WHERE scope = 'account')) "
    "SELECT 'busy', endpoint_id, n::float8, 0::bigint FROM busy "
    "UNION ALL SELECT 'breaker:' || scope, id, room::float8, 0 FROM brk "
    "UNION ALL SELECT 'tokens:' || scope, id, tokens, 0 FROM refill "
    "UNION ALL SELECT 'tokens:' || scope, id, 0, 0 FROM made "
    "UNION ALL SELECT 'account', ep.id, a.cap::float8, ep.credential_id "
    "FROM endpoints ep JOIN acct a ON a.id = ep.credential_id WHERE ep.enabled";

constexpr char kSpendSql[] =
    "WITH d AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[]) AS d(scope, id, n)), "
    "b AS ("
    "  UPDATE guard_buckets g SET tokens = g.tokens - d.n, spent = g.spent + d.n"
    "  FROM d WHERE g.scope = d.scope AND g.id = d.id RETURNING 1) "
    "UPDATE guard_breakers g SET probe_in_flight = true,"
    "  retry_at = now() + make_interval(secs => $4::float8 / 1000)"
    "  FROM d WHERE g.scope = d.scope AND g.id = d.id AND g.state = 'half_open'";

constexpr char kLockBreakersSql[] =
    "SELECT g.scope, g.id, g.state, g.consecutive_failures, g.window_started_at,"
    "  g.window_requests, g.window_failures, g.retry_at, g.probe_in_flight, g.probe_successes,"
    "  g.opened_count, coalesce(g.last_error, ''), now() "
    "FROM guard_breakers g JOIN unnest($1::text[], $2::bigint[]) AS k(scope, id)"
    "  ON g.scope = k.scope AND g.id = k.id "
    "ORDER BY g.scope, g.id FOR UPDATE OF g";

constexpr char kWriteBreakersSql[] =
    "UPDATE guard_breakers g SET state = u.state, consecutive_failures = u.consecutive,"
    "  window_started_at = u.window_started, window_requests = u.requests,"
    "  window_failures = u.failures, retry_at = u.retry_at, probe_in_flight = u.probing,"
    "  probe_successes = u.probes, opened_count = u.opened, last_error = nullif(u.error, ''),"
    "  changed_at = CASE WHEN g.state <> u.state THEN now() ELSE g.changed_at END "
    "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::timestamptz[],"
    "  $6::int[], $7::int[], $8::timestamptz[], $9::bool[], $10::int[], $11::bigint[],"
    "  $12::text[]) AS u(scope, id, state, consecutive, window_started, requests, failures,"
    "  retry_at, probing, probes, opened, error) "
    "WHERE g.scope = u.scope AND g.id = u.id";

// Every enabled route and every provider account a route sends through, with its guards.
constexpr char kStatusSql[] =
    "WITH k AS ("
    "  SELECT 'endpoint'::text AS scope, ep.id, ep.url AS name, ep.tenant_id, ep.channel,"
    "    ep.rate_per_second AS rate, ep.max_concurrency AS cap FROM endpoints ep WHERE ep.enabled"
    "  UNION ALL SELECT 'account', cr.id, cr.name, cr.tenant_id, cr.provider,"
    "    cr.rate_per_second, cr.max_concurrency FROM credentials cr"
    "  WHERE EXISTS (SELECT 1 FROM endpoints ep WHERE ep.credential_id = cr.id AND ep.enabled)), "
    "busy AS ("
    "  SELECT q.endpoint_id, ep.credential_id, count(*) AS n FROM delivery_queue q"
    "  JOIN endpoints ep ON ep.id = q.endpoint_id WHERE q.state = 'leased'"
    "  GROUP BY q.endpoint_id, ep.credential_id) "
    "SELECT k.scope, k.id, k.name, t.name, k.channel, coalesce(b.state, 'closed'), b.retry_at,"
    "  coalesce(b.opened_count, 0), coalesce(b.last_error, ''), coalesce(k.rate, 0)::text,"
    "  coalesce(g.tokens, 0)::text, coalesce(g.spent, 0), coalesce(k.cap, 0),"
    "  coalesce((SELECT sum(n) FROM busy WHERE CASE WHEN k.scope = 'endpoint'"
    "    THEN busy.endpoint_id = k.id ELSE busy.credential_id = k.id END), 0) "
    "FROM k JOIN tenants t ON t.id = k.tenant_id"
    "  LEFT JOIN guard_breakers b ON b.scope = k.scope AND b.id = k.id"
    "  LEFT JOIN guard_buckets g ON g.scope = k.scope AND g.id = k.id "
    "ORDER BY t.name, k.scope DESC, k.id";

QByteArray isoOrNull(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
}

QByteArray pgBoolArray(const QList<bool> &values)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < values.size(); ++i)
        out += QByteArray(i ? "," : "") + (values[i] ? "t" : "f");
    return out + "}";
}

// Folds the rows of kViewSql into what each endpoint may take.
class ViewBuilder
{
public:
    void add(const QString &kind, qint64 id, double value, qint64 account)
    {
        if (kind == "busy"_L1) {
            m_view.busy.insert(id, int(value));
        } else if (kind == "account"_L1) {
            m_view.accountOf.insert(id, account);
            m_accountCap.insert(account, int(value));
        } else {
            const bool tokens = kind.startsWith("tokens:"_L1);
            if (tokens && value < 1)
                m_view.outOfTokens = true;
            const int room = tokens ? int(std::floor(std::max(0.0, value))) : int(value);
            auto &rooms = kind.endsWith(":account"_L1) ? m_accountLimit : m_view.room;
            rooms.insert(id, std::min(room, rooms.value(id, INT_MAX)));
        }
    }

    GuardView finish()
    {
        QHash<qint64, int> accountBusy;
        for (auto it = m_view.accountOf.cbegin(); it != m_view.accountOf.cend(); ++it)
            accountBusy[it.value()] += m_view.busy.value(it.key());
        for (auto it = m_accountCap.cbegin(); it != m_accountCap.cend(); ++it) {
            int room = m_accountLimit.value(it.key(), INT_MAX);
            if (it.value() > 0)
                room = std::min(room, std::max(0, it.value() - accountBusy.value(it.key())));
            m_view.accountRoom.insert(it.key(), room);
        }
        for (auto it = m_view.accountOf.cbegin(); it != m_view.accountOf.cend(); ++it) {
            const int room = m_view.accountRoom.value(it.value(), INT_MAX);
            if (room < INT_MAX)
                m_view.room.insert(it.key(), std::min(room, m_view.room.value(it.key(), INT_MAX)));
        }
        return m_view;
    }

private:
    GuardView m_view;
    QHash<qint64, int> m_accountCap;
    QHash<qint64, int> m_accountLimit;
};

guards::BreakerState breakerFromRow(const PgResult &r, int i)
{
    guards::BreakerState s;
    s.state = guards::BreakerState::parse(r.text(i, 2));
    s.consecutiveFailures = int(r.int64(i, 3));
    s.windowStartedAt = r.timestamp(i, 4);
    s.windowRequests = int(r.int64(i, 5));
    s.windowFailures = int(r.int64(i, 6));
    s.retryAt = r.isNull(i, 7) ? QDateTime() : r.timestamp(i, 7);
    s.probeInFlight = r.boolean(i, 8);
    s.probeSuccesses = int(r.int64(i, 9));
    s.openedCount = r.int64(i, 10);
    s.lastError = r.text(i, 11);
    return s;
}

} // namespace

GuardStore::GuardStore(PgConnection &db)
    : m_db(db)
{}

Result<void> GuardStore::lockForClaim()
{
    return m_db.command("SELECT pg_advisory_xact_lock($1::bigint)", {kClaimLockKey});
}

Result<GuardView> GuardStore::view()
{
    auto r = m_db.execPrepared(kViewSql);
    if (!r)
        return r.error();
    ViewBuilder builder;
    for (int i = 0; i < r->rows(); ++i)
        builder.add(r->text(i, 0), r->int64(i, 1), r->real(i, 2), r->int64(i, 3));
    return builder.finish();
}

Result<void> GuardStore::spend(const QHash<GuardKey, int> &claimed, qint64 leaseMs)
{
    if (claimed.isEmpty())
        return {};
    QList<QByteArray> scopes;
    QList<qint64> ids;
    QList<qint64> counts;
    for (auto it = claimed.cbegin(); it != claimed.cend(); ++it) {
        scopes.append(it.key().scope.toUtf8());
        ids.append(it.key().id);
        counts.append(it.value());
    }
    return m_db.command(kSpendSql, {pgTextArray(scopes), pgInt64Array(ids), pgInt64Array(counts),
                                    QByteArray::number(leaseMs)});
}

Result<QHash<GuardKey, guards::BreakerState>> GuardStore::lockBreakers(const QList<GuardKey> &keys,
                                                                       QDateTime *now)
{
    QList<QByteArray> scopes;
    QList<qint64> ids;
    for (const GuardKey &k : keys) {
        scopes.append(k.scope.toUtf8());
        ids.append(k.id);
    }
    const QList<QByteArray> params{pgTextArray(scopes), pgInt64Array(ids)};
    if (auto made = m_db.command("INSERT INTO guard_breakers (scope, id) SELECT * FROM "
                                 "unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING",
                                 params);
        !made)
        return made.error();
    auto r = m_db.exec(kLockBreakersSql, params);
    if (!r)
        return r.error();
    QHash<GuardKey, guards::BreakerState> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.insert({r->text(i, 0), r->int64(i, 1)}, breakerFromRow(*r, i));
        *now = r->timestamp(i, 12);
    }
    return out;
}

Result<QList<GuardKey>> GuardStore::record(const QHash<GuardKey, guards::BreakerDelta> &deltas,
                                           const guards::BreakerSettings &settings)
{
    if (deltas.isEmpty())
        return QList<GuardKey>{};
    return m_db.inTransaction([&]() -> Result<QList<GuardKey>> {
        QDateTime now;
        auto locked = lockBreakers(deltas.keys(), &now);
        if (!locked)
            return locked.error();
        QList<QByteArray> scopes;
        QList<QByteArray> states;
        QList<QByteArray> windows;
        QList<QByteArray> retries;
        QList<QByteArray> errors;
        QList<qint64> ids;
        QList<qint64> consecutive;
        QList<qint64> requests;
        QList<qint64> failures;
        QList<qint64> probes;
        QList<qint64> opened;
        QList<bool> probing;
        QList<GuardKey> justOpened;
        for (auto it = locked->cbegin(); it != locked->cend(); ++it) {
            const auto s = guards::applyOutcomes(it.value(), deltas.value(it.key()), settings, now);
            if (s.state == guards::BreakerState::State::Open &&
                it.value().state != guards::BreakerState::State::Open)
                justOpened.append(it.key());
            scopes.append(it.key().scope.toUtf8());
            ids.append(it.key().id);
            states.append(guards::BreakerState::name(s.state).toUtf8());
            consecutive.append(s.consecutiveFailures);
            windows.append(isoOrNull(s.windowStartedAt));
            requests.append(s.windowRequests);
            failures.append(s.windowFailures);
            retries.append(isoOrNull(s.retryAt));
            probing.append(s.probeInFlight);
            probes.append(s.probeSuccesses);
            opened.append(s.openedCount);
            errors.append(s.lastError.left(500).toUtf8());
        }
        auto w =
            m_db.command(kWriteBreakersSql,
                         {pgTextArray(scopes), pgInt64Array(ids), pgTextArray(states),
                          pgInt64Array(consecutive), pgTextArray(windows), pgInt64Array(requests),
                          pgInt64Array(failures), pgTextArray(retries), pgBoolArray(probing),
                          pgInt64Array(probes), pgInt64Array(opened), pgTextArray(errors)});
        if (!w)
            return w.error();
        return justOpened;
    });
}

Result<QList<GuardStatus>> GuardStore::statuses()
{
    auto r = m_db.exec(kStatusSql);
    if (!r)
        return r.error();
    QList<GuardStatus> out;
    for (int i = 0; i < r->rows(); ++i) {
        GuardStatus g;
        g.key = {r->text(i, 0), r->int64(i, 1)};
        g.name = r->text(i, 2);
        g.tenant = r->text(i, 3);
        g.channel = r->text(i, 4);
        g.breaker = r->text(i, 5);
        g.retryAt = r->isNull(i, 6) ? QDateTime() : r->timestamp(i, 6);
        g.openedCount = r->int64(i, 7);
        g.lastError = r->text(i, 8);
        g.ratePerSecond = r->real(i, 9);
        g.tokens = r->real(i, 10);
        g.spent = r->int64(i, 11);
        g.maxConcurrency = int(r->int64(i, 12));
        g.inFlight = int(r->int64(i, 13));
        out.append(g);
    }
    return out;
}

} // namespace ferry::agent::store
