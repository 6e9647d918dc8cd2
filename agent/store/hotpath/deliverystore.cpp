#include "agent/store/hotpath/deliverystore.h"

#include "agent/store/hotpath/guardstore.h"

#include <climits>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The two statements every delivery passes through; named so `ferry-agent explain` can show
// their plans. The claim updates the rows it locked by their ctid (a TID scan), not by a second
// walk of the primary key: the locks keep those row versions current until the update.
// A claim's fencing token is at least the clock in microseconds, not just the last token plus
// one: a claim is committed without waiting for the disk (below), so a crash of PostgreSQL can
// undo it after its worker started; the claim made after the restart must not hand out the
// same token again, or the first worker's late outcome would be taken for the second's.
constexpr char kClaimSql[] =
    "WITH busy AS (SELECT * FROM unnest($3::bigint[], $4::int[]) AS b(endpoint_id, n)), "
    "lim AS (SELECT * FROM unnest($6::bigint[], $7::int[]) AS l(endpoint_id, room)), "
    "room AS ("
    "  SELECT ep.id, least($1::int, coalesce(ep.max_concurrency, $5::int) - coalesce(b.n, 0),"
    "    coalesce(l.room, $1::int)) AS room"
    "  FROM endpoints ep LEFT JOIN busy b ON b.endpoint_id = ep.id"
    "    LEFT JOIN lim l ON l.endpoint_id = ep.id"
    "  WHERE coalesce(ep.max_concurrency, $5::int) > coalesce(b.n, 0)"
    "    AND coalesce(l.room, 1) > 0), "
    "c AS ("
    "  SELECT x.ctid FROM room CROSS JOIN LATERAL ("
    "    SELECT q.ctid, q.due_at, row_number() OVER (ORDER BY q.due_at) AS turn FROM ("
    "      SELECT ctid, due_at FROM delivery_queue"
    "      WHERE endpoint_id = room.id AND state = 'ready' AND due_at <= now()"
    "      ORDER BY due_at LIMIT room.room FOR UPDATE SKIP LOCKED) q) x"
    "  ORDER BY x.turn, x.due_at LIMIT $1), "
    "claimed AS ("
    "  UPDATE delivery_queue q SET state = 'leased', attempts = q.attempts + 1,"
    "    lease_token = greatest(q.lease_token + 1,"
    "                           (extract(epoch FROM clock_timestamp()) * 1000000)::bigint),"
    "    due_at = now() + $2::bigint * interval '1 millisecond'"
    "  FROM c WHERE q.ctid = c.ctid"
    "  RETURNING q.delivery_id, q.lease_token, q.attempts, q.event_id, q.endpoint_id,"
    "    q.created_at, q.tenant_id) "
    // Joined after the update, not in its FROM: an UPDATE carries a copy of every row it joins
    // (for its recheck of concurrent changes), and building that copy of the event, payload
    // and all, cost more than the update itself.
    // A claim's commit does not wait for its WAL to reach the disk (set_config(…, true): this
    // transaction only; evaluated once a row was claimed, the only case that writes). Lost in a
    // crash of PostgreSQL, a claim only makes its deliveries claimable again, as an expired
    // lease does: at least once, as before. Outcomes stay synchronous.
    "SELECT q.delivery_id, q.lease_token, q.attempts, q.event_id, q.endpoint_id, ep.url,"
    "  ep.secret, ep.enabled, e.payload::text, q.created_at, coalesce(ep.retry_schedule, ''),"
    "  coalesce(ep.max_attempts, 0), coalesce(ep.max_age_seconds, 0),"
    "  coalesce(ep.max_concurrency, 0), coalesce(cr.id, 0), cr.tenant_id, cr.name,"
    "  cr.ciphertext, cr.nonce, cr.key_id, ep.channel, q.tenant_id, e.type,"
    "  coalesce(cr.provider, ''), coalesce(cr.base_url, ''), coalesce(ep.credential_id, 0),"
    "  set_config('synchronous_commit', 'off', true), ep.secret_sealed, ep.secret_nonce,"
    "  ep.secret_key_id, e.schema_version, array_to_string(ep.schema_versions, ','),"
    "  ep.schema_upcasts::text, e.test "
    "FROM claimed q JOIN events e ON e.id = q.event_id JOIN endpoints ep ON ep.id = q.endpoint_id"
    "  LEFT JOIN credentials cr ON cr.id = ep.credential_id";

// A success deletes the queue row; a retry makes it ready again at its time; a death parks it
// for the dead-letter queue. Each only while the row still carries the worker's lease token:
// every change that ends a lease moves the token on, so a token matches only the lease it was
// handed out with, and the rows are found by their primary key alone (with `state = 'leased'`
// the planner would walk the leased index once per completed row). The record is then brought
// up to date (a HOT update: no index reads its columns) and the attempt recorded, both from
// the outcome whose token matched: a batch may also hold an older outcome of the same delivery
// (a flush retried after the database came back), which must change nothing.
// Ordered endpoints: a finished head lets go of its partition's row (ferry_partition_leave, from
// the record's trigger), in whatever order the update meets the rows. So the rows are locked
// first, in one order (endpoint, key) that every writer of `partitions` shares (ingest inserts
// in it too): two batches that finish heads of the same partitions wait for each other instead
// of deadlocking. `lk` runs first: every change below waits for its count.
constexpr char kCompleteSql[] =
    "WITH u AS ("
    "  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], $5::bigint[],"
    "    $6::int[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[],"
    "    $12::text[], $13::text[])"
    "  AS u(id, token, attempt, state, delay_ms, status, outcome, error, reason, duration_ms,"
    "       started_at, message_id, output)), "
    "lk AS ("
    "  SELECT p.endpoint_id FROM partitions p"
    "  WHERE (p.endpoint_id, p.partition_key) IN ("
    "    SELECT q.endpoint_id, q.partition_key FROM u JOIN delivery_queue q ON q.delivery_id = u.id"
    "    WHERE q.partition_key IS NOT NULL AND u.state <> 'retry_wait')"
    "  ORDER BY p.endpoint_id, p.partition_key FOR UPDATE OF p), "
    "gone AS ("
    "  DELETE FROM delivery_queue q USING u"
    "  WHERE q.delivery_id = u.id AND q.lease_token = u.token"
    "    AND u.state IN ('succeeded', 'discarded')"
    "    AND (SELECT count(*) FROM lk) >= 0"
    "  RETURNING q.delivery_id, u.token), "
    "kept AS ("
    "  UPDATE delivery_queue q"
    "  SET state = CASE WHEN u.state = 'retry_wait' THEN 'ready' ELSE 'dead' END,"
    "    lease_token = q.lease_token + 1,"
    "    due_at = now() + CASE WHEN u.state = 'retry_wait'"
    "                          THEN u.delay_ms * interval '1 millisecond' ELSE interval '0' END"
    "  FROM u WHERE q.delivery_id = u.id AND q.lease_token = u.token"
    "    AND u.state NOT IN ('succeeded', 'discarded')"
    "    AND (SELECT count(*) FROM lk) >= 0"
    "  RETURNING q.delivery_id, u.token), "
    "upd AS ("
    "  UPDATE deliveries d SET state = u.state, attempts = u.attempt,"
    "    last_status = nullif(u.status, 0), last_error = u.error,"
    "    dead_reason = CASE WHEN u.state IN ('dead', 'discarded') THEN u.reason END,"
    "    provider_message_id = coalesce(u.message_id, d.provider_message_id),"
    "    finished_at = CASE WHEN u.state <> 'retry_wait' THEN now() END,"
    "    updated_at = now()"
    "  FROM u WHERE d.id = u.id AND (SELECT count(*) FROM lk) >= 0"
    "    AND (u.id, u.token) IN (SELECT delivery_id, token FROM gone"
    "                            UNION ALL SELECT delivery_id, token FROM kept)"
    "  RETURNING d.id, u.token) "
    "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, outcome, status_code,"
    "  error, duration_ms, output) "
    "SELECT u.id, u.attempt, u.started_at, u.outcome, nullif(u.status, 0), u.error,"
    "  u.duration_ms, u.output FROM u JOIN upd ON upd.id = u.id AND upd.token = u.token";

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
    case Completion::State::Discarded:
        return "discarded";
    }
    return "dead";
}

// complete()'s parameters: one array per column of kCompleteSql, and the endpoints that
// answered 410 Gone.
std::pair<QList<QByteArray>, QList<qint64>> completionArrays(const QList<Completion> &completions)
{
    QList<QByteArray> ids;
    QList<QByteArray> states;
    QList<QByteArray> outcomes;
    QList<QByteArray> errors;
    QList<QByteArray> reasons;
    QList<QByteArray> started;
    QList<QByteArray> messageIds;
    QList<QByteArray> outputs;
    QList<qint64> tokens;
    QList<qint64> attempts;
    QList<qint64> delays;
    QList<qint64> statuses;
    QList<qint64> durations;
    QList<qint64> goneEndpoints;
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
        outputs.append(c.output.isNull() ? QByteArray() : c.output.toUtf8());
        if (c.endpointGone && !goneEndpoints.contains(c.endpointId))
            goneEndpoints.append(c.endpointId);
    }
    return {{pgTextArray(ids), pgInt64Array(tokens), pgInt64Array(attempts), pgTextArray(states),
             pgInt64Array(delays), pgInt64Array(statuses), pgTextArray(outcomes),
             pgTextArray(errors), pgTextArray(reasons), pgInt64Array(durations),
             pgTextArray(started), pgTextArray(messageIds), pgTextArray(outputs)},
            goneEndpoints};
}

// A map of endpoint ids to counts as the two arrays the SQL unnests.
std::pair<QByteArray, QByteArray> endpointArrays(const QHash<qint64, int> &counts)
{
    QList<qint64> ids;
    QList<qint64> values;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        ids.append(it.key());
        values.append(it.value());
    }
    return {pgInt64Array(ids), pgInt64Array(values)};
}

QList<QByteArray> claimParams(int limit, qint64 leaseMs, int defaultCap,
                              const QHash<qint64, int> &inUse, const QHash<qint64, int> &room)
{
    const auto [busyIds, busyCounts] = endpointArrays(inUse);
    const auto [limitIds, limitRooms] = endpointArrays(room);
    return {QByteArray::number(limit),
            QByteArray::number(leaseMs),
            busyIds,
            busyCounts,
            QByteArray::number(defaultCap),
            limitIds,
            limitRooms};
}

} // namespace

namespace {

// An expired lease: the attempt counts; the delivery is due again at once, or dead when that
// was its last attempt ($2 says which, per delivery).
constexpr const char *kRescueSql =
    "WITH x AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS x(delivery_id, state)), "
    "q AS ("
    "  UPDATE delivery_queue q SET state = x.state, lease_token = q.lease_token + 1,"
    "    due_at = now()"
    "  FROM x WHERE q.delivery_id = x.delivery_id AND x.state <> 'discarded'"
    "  RETURNING q.delivery_id, q.attempts, q.state), "
    // A test send's delivery is closed instead (decision 0029): it leaves the queue.
    "dq AS ("
    "  DELETE FROM delivery_queue q USING x"
    "  WHERE q.delivery_id = x.delivery_id AND x.state = 'discarded'"
    "  RETURNING q.delivery_id, q.attempts, 'discarded'::text AS state), "
    "done AS (SELECT * FROM q UNION ALL SELECT * FROM dq), "
    "upd AS ("
    "  UPDATE deliveries d SET"
    "    state = CASE WHEN done.state = 'ready' THEN 'retry_wait' ELSE done.state END,"
    "    attempts = done.attempts,"
    "    dead_reason = CASE WHEN done.state <> 'ready' THEN 'lease_expired' END,"
    "    finished_at = CASE WHEN done.state <> 'ready' THEN now() END,"
    "    last_error = 'the agent that held this delivery stopped before recording an outcome',"
    "    updated_at = now()"
    "  FROM done WHERE d.id = done.delivery_id"
    "  RETURNING d.id, d.attempts) "
    "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, outcome, error) "
    "SELECT id, attempts, now(), 'lease_expired',"
    "  'lease expired before an outcome was recorded' FROM upd";

} // namespace

DeliveryStore::DeliveryStore(PgConnection &db)
    : m_db(db)
{}

Result<QList<ClaimedDelivery>> DeliveryStore::claim(int limit, qint64 leaseMs, int defaultCap,
                                                    const QHash<qint64, int> &inUse,
                                                    const QHash<qint64, int> &room)
{
    auto r = m_db.execPrepared(kClaimSql, claimParams(limit, leaseMs, defaultCap, inUse, room));
    if (!r)
        return r.error();
    const auto &rows = *r;
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
        d.tenantId = rows.int64(i, 21);
        d.eventType = rows.text(i, 22);
        d.provider = rows.text(i, 23);
        d.baseUrl = rows.text(i, 24);
        d.accountId = rows.int64(i, 25);
        if (!rows.isNull(i, 27))
            d.sealedSecret = {rows.bytea(i, 27), rows.bytea(i, 28), rows.bytes(i, 29)};
        d.schemaVersion = rows.text(i, 30);
        d.schemaVersions = rows.text(i, 31).split(u',', Qt::SkipEmptyParts);
        d.upcasts = rows.bytes(i, 32);
        d.test = rows.boolean(i, 33);
        out.append(d);
    }
    return out;
}

namespace {

// Claims beyond what their provider account may take (several routes share one account) go
// back at once, as they were; the rest spend their guards' tokens and probes.
Result<QList<ClaimedDelivery>> keepWithinAccounts(DeliveryStore &store, GuardStore &guards,
                                                  const GuardView &view, qint64 leaseMs,
                                                  QList<ClaimedDelivery> claimed)
{
    QHash<qint64, int> taken;
    QList<QPair<QUuid, qint64>> excess;
    QHash<GuardKey, int> spent;
    for (auto it = claimed.begin(); it != claimed.end();) {
        const qint64 account = view.accountOf.value(it->endpointId);
        if (account && ++taken[account] > view.accountRoom.value(account, INT_MAX)) {
            excess.append({it->id, it->leaseToken});
            it = claimed.erase(it);
            continue;
        }
        ++spent[GuardKey{u"endpoint"_s, it->endpointId}];
        if (it->accountId)
            ++spent[GuardKey{u"account"_s, it->accountId}];
        ++it;
    }
    if (!excess.isEmpty()) {
        if (auto r = store.release(excess); !r)
            return r.error();
    }
    if (auto r = guards.spend(spent, leaseMs); !r)
        return r.error();
    return claimed;
}

} // namespace

Result<QList<ClaimedDelivery>> DeliveryStore::claimGuarded(int limit, qint64 leaseMs,
                                                           int defaultCap, bool *outOfTokens)
{
    return m_db.inTransaction([&]() -> Result<QList<ClaimedDelivery>> {
        GuardStore guards(m_db);
        if (auto locked = guards.lockForClaim(); !locked)
            return locked.error();
        auto view = guards.view();
        if (!view)
            return view.error();
        *outOfTokens = view->outOfTokens;
        auto claimed = claim(limit, leaseMs, defaultCap, view->busy, view->room);
        if (!claimed)
            return claimed.error();
        return keepWithinAccounts(*this, guards, *view, leaseMs, std::move(*claimed));
    });
}

Result<void> DeliveryStore::listenForWork()
{
    return m_db.command("LISTEN ferry_work");
}

Result<qint64> DeliveryStore::complete(const QList<Completion> &completions)
{
    const auto arrays = completionArrays(completions);
    const QList<QByteArray> &params = arrays.first;
    const QList<qint64> &goneEndpoints = arrays.second;
    // The usual batch is one statement, committed on its own: one round trip. A 410 also
    // disables its endpoint, in the same transaction as the outcome.
    if (goneEndpoints.isEmpty()) {
        auto r = m_db.execPrepared(kCompleteSql, params);
        if (!r)
            return r.error();
        return r->affectedRows();
    }
    return m_db.inTransaction([&]() -> Result<qint64> {
        auto r = m_db.execPrepared(kCompleteSql, params);
        if (!r)
            return r.error();
        if (auto disabled = disableGoneEndpoints(goneEndpoints); !disabled)
            return disabled.error();
        return r->affectedRows();
    });
}

Result<void> DeliveryStore::disableGoneEndpoints(const QList<qint64> &goneEndpoints)
{
    auto disabled = m_db.exec(
        "WITH ep AS ("
        "  UPDATE endpoints SET enabled = false,"
        "    disabled_reason = 'the receiver answered 410 Gone'"
        "  WHERE id = ANY($1::bigint[]) RETURNING id), "
        // Each half through its own partial index (ready rows; held rows of a partition).
        "q AS ("
        "  UPDATE delivery_queue q SET state = 'dead', due_at = now(), partition_key = NULL "
        "  FROM ep WHERE q.endpoint_id = ep.id AND q.delivery_id IN ("
        "    SELECT delivery_id FROM delivery_queue WHERE endpoint_id = ANY($1::bigint[])"
        "      AND state = 'ready'"
        "    UNION ALL SELECT delivery_id FROM delivery_queue"
        "    WHERE endpoint_id = ANY($1::bigint[]) AND state = 'held')"
        "  RETURNING q.delivery_id) "
        "UPDATE deliveries d SET state = 'dead', dead_reason = 'endpoint_disabled',"
        "  last_error = 'endpoint disabled: the receiver answered 410 Gone',"
        "  finished_at = now(), updated_at = now(),"
        // Out of any partition (the endpoint is gone): a replay is then unordered.
        "  partition_key = NULL, holds_partition = false "
        "FROM q WHERE d.id = q.delivery_id",
        {pgInt64Array(goneEndpoints)});
    if (!disabled)
        return disabled.error();
    return m_db.command("DELETE FROM partitions WHERE endpoint_id = ANY($1::bigint[])",
                        {pgInt64Array(goneEndpoints)});
}

Result<qint64> DeliveryStore::rescueExpired(const AttemptLimit &attemptLimit)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    // One rescuer at a time across the agents (MaintenanceStore::Lock::LeaseRescue; it shared
    // the reconciler's key until schema 24, which skipped rescues during reconciliation passes).
    auto locked = m_db.exec("SELECT pg_try_advisory_xact_lock(7316103)");
    if (!locked)
        return locked.error();
    if (!locked->boolean(0, 0))
        return qint64(0);
    // Leases that ran out, locked until this transaction ends. Whether such a delivery has
    // attempts left is the caller's to say (RetryPolicy::attemptLimit, the one definition), so
    // the rows come here first: one more round trip on a path that runs once per lease period.
    auto expired = m_db.exec("SELECT q.delivery_id, q.attempts, coalesce(ep.retry_schedule, ''),"
                             "  coalesce(ep.max_attempts, 0), e.test "
                             "FROM delivery_queue q JOIN endpoints ep ON ep.id = q.endpoint_id "
                             "JOIN events e ON e.id = q.event_id "
                             "WHERE q.state = 'leased' AND q.due_at < now() "
                             "ORDER BY q.due_at LIMIT 1000 FOR UPDATE OF q SKIP LOCKED");
    if (!expired)
        return expired.error();
    if (expired->rows() == 0)
        return qint64(0);
    QList<QByteArray> ids;
    QList<QByteArray> states;
    for (int i = 0; i < expired->rows(); ++i) {
        const int limit = attemptLimit(expired->text(i, 2), int(expired->int64(i, 3)));
        ids.append(expired->bytes(i, 0));
        // A test send gets one attempt and never reaches the dead-letter queue.
        states.append(expired->boolean(i, 4)          ? "discarded"
                      : expired->int64(i, 1) >= limit ? "dead"
                                                      : "ready");
    }
    auto r = m_db.exec(kRescueSql, {pgTextArray(ids), pgTextArray(states)});
    if (!r)
        return r.error();
    const qint64 n = r->affectedRows();
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return n;
}

Result<qint64> DeliveryStore::extendLeases(const QList<QPair<QUuid, qint64>> &claims,
                                           qint64 leaseMs)
{
    const auto [ids, tokens] = claimArrays(claims);
    auto r = m_db.exec(
        "UPDATE delivery_queue q SET due_at = now() + $3::bigint * interval '1 millisecond' "
        "FROM unnest($1::uuid[], $2::bigint[]) AS u(id, token) "
        "WHERE q.delivery_id = u.id AND q.lease_token = u.token",
        {pgTextArray(ids), pgInt64Array(tokens), QByteArray::number(leaseMs)});
    if (!r)
        return r.error();
    return r->affectedRows();
}

Result<qint64> DeliveryStore::release(const QList<QPair<QUuid, qint64>> &claims)
{
    const auto [ids, tokens] = claimArrays(claims);
    auto r = m_db.exec(
        "UPDATE delivery_queue q SET state = 'ready', attempts = greatest(q.attempts - 1, 0),"
        "  lease_token = q.lease_token + 1, due_at = now() "
        "FROM unnest($1::uuid[], $2::bigint[]) AS u(id, token) "
        "WHERE q.delivery_id = u.id AND q.lease_token = u.token",
        {pgTextArray(ids), pgInt64Array(tokens)});
    if (!r)
        return r.error();
    return r->affectedRows();
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
                          claimParams(limit, leaseMs, defaultCap, {}, {}));
            !r)
            return r;
        auto claimed = claim(limit, leaseMs, defaultCap);
        if (!claimed)
            return makeError(claimed.error().message);
        QList<Completion> done;
        for (const ClaimedDelivery &d : (*claimed)) {
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
    // Inside a transaction that is never committed: explaining changes nothing.
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    const auto r = work();
    if (!r)
        return r.error();
    return out;
}

} // namespace ferry::agent::store
