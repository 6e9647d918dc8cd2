#include "agent/store/deliverystore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The two statements every delivery passes through; named so `ferry-agent explain` can show
// their plans. The claim updates the rows it locked by their ctid (a TID scan), not by a second
// walk of the primary key: the locks keep those row versions current until the update.
constexpr char kClaimSql[] =
    "WITH busy AS (SELECT * FROM unnest($3::bigint[], $4::int[]) AS b(endpoint_id, n)), "
    "room AS ("
    "  SELECT ep.id, least($1::int, coalesce(ep.max_concurrency, $5::int) - coalesce(b.n, 0))"
    "    AS room"
    "  FROM endpoints ep LEFT JOIN busy b ON b.endpoint_id = ep.id"
    "  WHERE coalesce(ep.max_concurrency, $5::int) > coalesce(b.n, 0)), "
    "c AS ("
    "  SELECT x.id, x.ctid FROM room CROSS JOIN LATERAL ("
    "    SELECT d.id, d.ctid, d.due_at, row_number() OVER (ORDER BY d.due_at) AS turn FROM ("
    "      SELECT id, ctid, due_at FROM deliveries"
    "      WHERE endpoint_id = room.id AND state IN ('pending', 'retry_wait')"
    "        AND due_at <= now()"
    "      ORDER BY due_at LIMIT room.room FOR UPDATE SKIP LOCKED) d) x"
    "  ORDER BY x.turn, x.due_at LIMIT $1), "
    "claimed AS ("
    "  UPDATE deliveries d SET state = 'in_flight', attempts = d.attempts + 1,"
    "    lease_token = d.lease_token + 1,"
    "    lease_until = now() + $2::bigint * interval '1 millisecond', updated_at = now() "
    "  FROM c WHERE d.ctid = c.ctid"
    "  RETURNING d.id, d.lease_token, d.attempts, d.event_id, d.endpoint_id, d.created_at) "
    // Joined after the update, not in its FROM: an UPDATE carries a copy of every row it joins
    // (for its recheck of concurrent changes), and building that copy of the event, payload
    // and all, cost more than the update itself.
    "SELECT d.id, d.lease_token, d.attempts, d.event_id, d.endpoint_id, ep.url,"
    "  ep.secret, ep.enabled, e.payload::text, d.created_at, coalesce(ep.retry_schedule, ''),"
    "  coalesce(ep.max_attempts, 0), coalesce(ep.max_age_seconds, 0),"
    "  coalesce(ep.max_concurrency, 0), coalesce(cr.id, 0), cr.tenant_id, cr.name,"
    "  cr.ciphertext, cr.nonce, cr.key_id, ep.channel "
    "FROM claimed d JOIN events e ON e.id = d.event_id JOIN endpoints ep ON ep.id = d.endpoint_id"
    "  LEFT JOIN credentials cr ON cr.id = ep.credential_id";

constexpr char kCompleteSql[] =
    "WITH u AS ("
    "  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], $5::bigint[],"
    "    $6::int[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[],"
    "    $12::text[])"
    "  AS u(id, token, attempt, state, delay_ms, status, outcome, error, reason, duration_ms,"
    "       started_at, message_id)), "
    "upd AS ("
    "  UPDATE deliveries d SET state = u.state,"
    "    due_at = CASE WHEN u.state = 'retry_wait'"
    "                  THEN now() + u.delay_ms * interval '1 millisecond' ELSE d.due_at END,"
    "    lease_until = NULL, last_status = nullif(u.status, 0), last_error = u.error,"
    "    dead_reason = CASE WHEN u.state = 'dead' THEN u.reason END,"
    "    provider_message_id = coalesce(u.message_id, d.provider_message_id),"
    "    finished_at = CASE WHEN u.state IN ('succeeded', 'dead') THEN now() END,"
    "    updated_at = now()"
    "  FROM u WHERE d.id = u.id AND d.lease_token = u.token AND d.state = 'in_flight'"
    "  RETURNING d.id) "
    "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, outcome, status_code,"
    "  error, duration_ms) "
    "SELECT u.id, u.attempt, u.started_at, u.outcome, nullif(u.status, 0), u.error,"
    "  u.duration_ms FROM u JOIN upd ON upd.id = u.id";

QByteArray uuidText(const QUuid &id)
{
    return id.toByteArray(QUuid::WithoutBraces);
}

// (id, fencing token) pairs as the two arrays the SQL unnests.
std::pair<QList<QByteArray>, QList<qint64>> claimArrays(const QList<QPair<QUuid, qint64>> &claims)
{
    std::pair<QList<QByteArray>, QList<qint64>> out;
    for (const auto &c : claims) {
        out.first.append(uuidText(c.first));
        out.second.append(c.second);
    }
    return out;
}

const char *stateName(Completion::State s)
{
    switch (s) {
    case Completion::State::Succeeded:
        return "succeeded";
    case Completion::State::RetryWait:
        return "retry_wait";
    case Completion::State::Dead:
        return "dead";
    }
    return "dead";
}

// complete()'s parameters: one array per column of kCompleteSql, and the endpoints that
// answered 410 Gone.
std::pair<QList<QByteArray>, QList<qint64>> completionArrays(const QList<Completion> &completions)
{
    QList<QByteArray> ids, states, outcomes, errors, reasons, started, messageIds;
    QList<qint64> tokens, attempts, delays, statuses, durations, goneEndpoints;
    for (const Completion &c : completions) {
        ids.append(uuidText(c.id));
        tokens.append(c.leaseToken);
        attempts.append(c.attempt);
        states.append(stateName(c.state));
        delays.append(c.retryDelayMs);
        statuses.append(c.statusCode);
        outcomes.append(c.outcome.toUtf8());
        errors.append(c.error.isEmpty() ? QByteArray() : c.error.toUtf8());
        reasons.append(c.deadReason.isEmpty() ? QByteArray() : c.deadReason.toUtf8());
        durations.append(c.durationMs);
        messageIds.append(c.providerMessageId.isEmpty() ? QByteArray()
                                                        : c.providerMessageId.toUtf8());
        started.append(c.startedAt.toUTC().toString(Qt::ISODateWithMs).toUtf8());
        if (c.endpointGone && !goneEndpoints.contains(c.endpointId))
            goneEndpoints.append(c.endpointId);
    }
    return {{pgTextArray(ids), pgInt64Array(tokens), pgInt64Array(attempts), pgTextArray(states),
             pgInt64Array(delays), pgInt64Array(statuses), pgTextArray(outcomes),
             pgTextArray(errors), pgTextArray(reasons), pgInt64Array(durations),
             pgTextArray(started), pgTextArray(messageIds)},
            goneEndpoints};
}

QList<QByteArray> claimParams(int limit, qint64 leaseMs, int defaultCap,
                              const QHash<qint64, int> &inUse)
{
    QList<qint64> busyIds, busyCounts;
    for (auto it = inUse.cbegin(); it != inUse.cend(); ++it) {
        busyIds.append(it.key());
        busyCounts.append(it.value());
    }
    return {QByteArray::number(limit), QByteArray::number(leaseMs), pgInt64Array(busyIds),
            pgInt64Array(busyCounts), QByteArray::number(defaultCap)};
}

} // namespace

DeliveryStore::DeliveryStore(PgConnection &db)
    : m_db(db)
{}

PgResultOr<QList<ClaimedDelivery>> DeliveryStore::claim(int limit, qint64 leaseMs, int defaultCap,
                                                        const QHash<qint64, int> &inUse)
{
    auto r = m_db.execPrepared(kClaimSql, claimParams(limit, leaseMs, defaultCap, inUse));
    if (auto *e = std::get_if<PgError>(&r))
        return *e;
    const auto &rows = std::get<PgResult>(r);
    QList<ClaimedDelivery> out;
    out.reserve(rows.rows());
    for (int i = 0; i < rows.rows(); ++i) {
        ClaimedDelivery d;
        d.id = QUuid::fromString(rows.text(i, 0));
        d.leaseToken = rows.int64(i, 1);
        d.attempt = int(rows.int64(i, 2));
        d.eventId = QUuid::fromString(rows.text(i, 3));
        d.endpointId = rows.int64(i, 4);
        d.url = rows.text(i, 5);
        d.secret = rows.bytes(i, 6);
        d.endpointEnabled = rows.boolean(i, 7);
        d.payload = rows.bytes(i, 8);
        d.createdAt = rows.timestamp(i, 9);
        d.retrySchedule = rows.text(i, 10);
        d.maxAttempts = int(rows.int64(i, 11));
        d.maxAgeSeconds = rows.int64(i, 12);
        d.maxConcurrency = int(rows.int64(i, 13));
        if (const qint64 credential = rows.int64(i, 14)) {
            d.credential = {credential,        rows.int64(i, 15), rows.text(i, 16),
                            rows.bytea(i, 17), rows.bytea(i, 18), rows.bytes(i, 19)};
        }
        d.channel = rows.text(i, 20);
        out.append(d);
    }
    return out;
}

PgResultOr<qint64> DeliveryStore::complete(const QList<Completion> &completions)
{
    const auto [params, goneEndpoints] = completionArrays(completions);
    // The usual batch is one statement, committed on its own: one round trip. A 410 also
    // disables its endpoint, in the same transaction as the outcome.
    const bool gone = !goneEndpoints.isEmpty();
    if (gone) {
        if (auto e = m_db.command("BEGIN"))
            return *e;
    }
    const auto fail = [this, gone](PgError e) -> PgResultOr<qint64> {
        if (gone)
            m_db.rollback();
        return e;
    };

    auto r = m_db.execPrepared(kCompleteSql, params);
    if (auto *e = std::get_if<PgError>(&r))
        return fail(*e);
    const qint64 applied = std::get<PgResult>(r).affectedRows();

    if (!gone)
        return applied;
    auto disabled = m_db.execDetailed(
        "WITH ep AS ("
        "  UPDATE endpoints SET enabled = false,"
        "    disabled_reason = 'the receiver answered 410 Gone'"
        "  WHERE id = ANY($1::bigint[]) RETURNING id) "
        "UPDATE deliveries d SET state = 'dead', dead_reason = 'endpoint_disabled',"
        "  last_error = 'endpoint disabled: the receiver answered 410 Gone',"
        "  finished_at = now(), updated_at = now(),"
        // Out of any partition (the endpoint is gone): a replay is then unordered.
        "  partition_key = NULL, holds_partition = false "
        "FROM ep WHERE d.endpoint_id = ep.id AND d.id IN ("
        // Each half through its own partial index (ready rows; queued rows of a partition).
        "  SELECT id FROM deliveries WHERE endpoint_id = ANY($1::bigint[])"
        "    AND state IN ('pending', 'retry_wait')"
        "  UNION ALL SELECT id FROM deliveries WHERE endpoint_id = ANY($1::bigint[])"
        "    AND state = 'queued')",
        {pgInt64Array(goneEndpoints)});
    if (auto *e = std::get_if<PgError>(&disabled))
        return fail(*e);
    if (auto e = m_db.command("DELETE FROM partitions WHERE endpoint_id = ANY($1::bigint[])",
                              {pgInt64Array(goneEndpoints)}))
        return fail(*e);

    if (auto e = m_db.command("COMMIT"))
        return fail(*e);
    return applied;
}

PgResultOr<qint64> DeliveryStore::rescueExpired(int defaultMaxAttempts)
{
    if (auto e = m_db.command("BEGIN"))
        return *e;
    const auto fail = [this](PgError e) -> PgResultOr<qint64> {
        m_db.rollback();
        return e;
    };
    auto locked = m_db.execDetailed("SELECT pg_try_advisory_xact_lock(7316102)");
    if (auto *e = std::get_if<PgError>(&locked))
        return fail(*e);
    if (!std::get<PgResult>(locked).boolean(0, 0)) {
        m_db.rollback();
        return qint64(0);
    }
    auto r = m_db.execDetailed(
        "WITH expired AS ("
        "  SELECT d.id, coalesce(ep.max_attempts, CASE"
        "    WHEN ep.retry_schedule IS NULL THEN $1"
        "    WHEN ep.retry_schedule = 'exponential' THEN 10"
        "    ELSE array_length(string_to_array(ep.retry_schedule, ','), 1) END) AS max_attempts"
        "  FROM deliveries d JOIN endpoints ep ON ep.id = d.endpoint_id"
        "  WHERE d.state = 'in_flight' AND d.lease_until < now()"
        "  ORDER BY d.lease_until LIMIT 1000 FOR UPDATE OF d SKIP LOCKED), "
        "upd AS ("
        "  UPDATE deliveries d SET"
        "    state = CASE WHEN d.attempts >= x.max_attempts THEN 'dead' ELSE 'retry_wait' END,"
        "    dead_reason = CASE WHEN d.attempts >= x.max_attempts THEN 'lease_expired' END,"
        "    finished_at = CASE WHEN d.attempts >= x.max_attempts THEN now() END,"
        "    last_error = 'the agent that held this delivery stopped before recording an outcome',"
        "    due_at = now(), lease_until = NULL, updated_at = now()"
        "  FROM expired x WHERE d.id = x.id"
        "  RETURNING d.id, d.attempts) "
        "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, outcome, error) "
        "SELECT id, attempts, now(), 'lease_expired',"
        "  'lease expired before an outcome was recorded' FROM upd",
        {QByteArray::number(defaultMaxAttempts)});
    if (auto *e = std::get_if<PgError>(&r))
        return fail(*e);
    const qint64 n = std::get<PgResult>(r).affectedRows();
    if (auto e = m_db.command("COMMIT"))
        return fail(*e);
    return n;
}

PgResultOr<qint64> DeliveryStore::extendLeases(const QList<QPair<QUuid, qint64>> &claims,
                                               qint64 leaseMs)
{
    const auto [ids, tokens] = claimArrays(claims);
    auto r = m_db.execDetailed(
        "UPDATE deliveries d SET lease_until = now() + $3::bigint * interval '1 millisecond' "
        "FROM unnest($1::uuid[], $2::bigint[]) AS u(id, token) "
        "WHERE d.id = u.id AND d.lease_token = u.token AND d.state = 'in_flight'",
        {pgTextArray(ids), pgInt64Array(tokens), QByteArray::number(leaseMs)});
    if (auto *e = std::get_if<PgError>(&r))
        return *e;
    return std::get<PgResult>(r).affectedRows();
}

PgResultOr<qint64> DeliveryStore::release(const QList<QPair<QUuid, qint64>> &claims)
{
    const auto [ids, tokens] = claimArrays(claims);
    auto r = m_db.execDetailed(
        "UPDATE deliveries d SET state = 'pending', attempts = greatest(d.attempts - 1, 0),"
        "  lease_until = NULL, due_at = now(), updated_at = now() "
        "FROM unnest($1::uuid[], $2::bigint[]) AS u(id, token) "
        "WHERE d.id = u.id AND d.lease_token = u.token AND d.state = 'in_flight'",
        {pgTextArray(ids), pgInt64Array(tokens)});
    if (auto *e = std::get_if<PgError>(&r))
        return *e;
    return std::get<PgResult>(r).affectedRows();
}

Result<QString> DeliveryStore::explainHotPaths(int limit, qint64 leaseMs, int defaultCap)
{
    QString out;
    const auto plan = [&](const QString &title, const char *sql,
                          const QList<QByteArray> &params) -> Result<void> {
        const QByteArray explain = QByteArray("EXPLAIN (ANALYZE, BUFFERS) ") + sql;
        auto r = m_db.exec(explain.constData(), params);
        if (!r)
            return r.error();
        out += u"-- "_s + title + u"\n"_s;
        for (int i = 0; i < r->rows(); ++i)
            out += r->text(i, 0) + u"\n"_s;
        out += u"\n"_s;
        return {};
    };
    // Everything below is rolled back: the claims, the completions, the attempts.
    const auto work = [&]() -> Result<void> {
        if (auto r = plan(u"claim of up to %1 deliveries"_s.arg(limit), kClaimSql,
                          claimParams(limit, leaseMs, defaultCap, {}));
            !r)
            return r;
        auto claimed = claim(limit, leaseMs, defaultCap);
        if (auto *e = std::get_if<PgError>(&claimed))
            return makeError(e->message);
        QList<Completion> done;
        for (const ClaimedDelivery &d : std::get<QList<ClaimedDelivery>>(claimed)) {
            Completion c;
            c.id = d.id;
            c.leaseToken = d.leaseToken;
            c.attempt = d.attempt;
            c.outcome = u"succeeded"_s;
            c.statusCode = 200;
            c.startedAt = QDateTime::currentDateTimeUtc();
            done.append(c);
        }
        return plan(u"completion of %1 deliveries"_s.arg(done.size()), kCompleteSql,
                    completionArrays(done).first);
    };
    if (auto e = m_db.command("BEGIN"))
        return makeError(e->message);
    const auto r = work();
    m_db.rollback();
    if (!r)
        return r.error();
    return out;
}

} // namespace ferry::agent::store
