#include "agent/store/admin/dlqstore.h"

#include "agent/store/admin/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray uuidText(const QUuid &id)
{
    return id.toByteArray(QUuid::WithoutBraces);
}

QByteArray optional(const QString &s)
{
    return s.isEmpty() ? QByteArray() : s.toUtf8();
}

QByteArray optionalTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
}

// The filter as SQL over `q` (delivery_queue), `d` (deliveries), `t` (tenants), `ep`
// (endpoints): parameters $1–$7. Dead deliveries are parked in the queue (delivery_queue_dead).
constexpr const char *kFilterSql = "q.state = 'dead' AND d.state = 'dead'"
                                   " AND ($1::text IS NULL OR t.name = $1)"
                                   " AND ($2::bigint IS NULL OR d.endpoint_id = $2)"
                                   " AND ($3::text IS NULL OR ep.channel = $3)"
                                   " AND ($4::text IS NULL OR coalesce(d.dead_reason, '') = $4)"
                                   " AND ($5::timestamptz IS NULL OR d.finished_at >= $5)"
                                   " AND ($6::timestamptz IS NULL OR d.finished_at < $6)"
                                   " AND ($7::text IS NULL OR d.triage_status = $7)";

// A replay: the record starts over (the ordering trigger may queue it behind its partition's
// open deliveries, with a new seq) and its queue row is ready again, or held, with that seq;
// "WITH r AS (UPDATE deliveries SET" + kRequeueSet + the WHERE clause + kRequeueRest. Returns
// the replayed ids and their tenants' names.
constexpr const char *kRequeueSet = " state = 'pending', attempts = 0, dead_reason = NULL,"
                                    "  finished_at = NULL, updated_at = now() ";
constexpr const char *kRequeueRest =
    "  RETURNING id, event_id, tenant_id, endpoint_id, created_at, seq, state, partition_key), "
    "q AS (INSERT INTO delivery_queue AS q (delivery_id, event_id, tenant_id, endpoint_id,"
    "    created_at, seq, state, partition_key) "
    "  SELECT id, event_id, tenant_id, endpoint_id, created_at, seq,"
    "    CASE WHEN state = 'queued' THEN 'held' ELSE 'ready' END, partition_key FROM r "
    "  ON CONFLICT (delivery_id) DO UPDATE SET state = excluded.state, attempts = 0,"
    "    due_at = now(), seq = excluded.seq, partition_key = excluded.partition_key) "
    "SELECT r.id, t.name FROM r JOIN tenants t ON t.id = r.tenant_id";

// The reason to match: none (every reason), or "" for deliveries without one.
QByteArray reasonParam(const DlqFilter &f)
{
    return f.reason.isEmpty() && f.noReason ? QByteArray("") : optional(f.reason);
}

QList<QByteArray> filterParams(const DlqFilter &f)
{
    return {optional(f.tenant),      f.endpointId ? QByteArray::number(f.endpointId) : QByteArray(),
            optional(f.channel),     reasonParam(f),
            optionalTime(f.since),   optionalTime(f.until),
            optional(f.triageStatus)};
}

QJsonObject filterJson(const DlqFilter &f)
{
    QJsonObject o;
    if (!f.tenant.isEmpty())
        o.insert(u"tenant"_s, f.tenant);
    if (f.endpointId)
        o.insert(u"endpoint"_s, f.endpointId);
    if (!f.channel.isEmpty())
        o.insert(u"channel"_s, f.channel);
    if (!f.reason.isEmpty() || f.noReason)
        o.insert(u"reason"_s, f.reason);
    if (f.since.isValid())
        o.insert(u"since"_s, f.since.toUTC().toString(Qt::ISODate));
    if (f.until.isValid())
        o.insert(u"until"_s, f.until.toUTC().toString(Qt::ISODate));
    if (!f.triageStatus.isEmpty())
        o.insert(u"status"_s, f.triageStatus);
    return o;
}

// The groups of GET /v1/dlq/groups: filter parameters $1–$7, the number of groups $8. The
// newest delivery of a group gives its sample error.
constexpr const char *kGroupsHead =
    "WITH dead AS ("
    "  SELECT t.name AS tenant, d.endpoint_id, coalesce(d.dead_reason, '') AS reason,"
    "    d.finished_at, coalesce(d.last_error, '') AS last_error,"
    "    row_number() OVER (PARTITION BY d.tenant_id, d.endpoint_id, coalesce(d.dead_reason, '')"
    "      ORDER BY d.finished_at DESC NULLS LAST, d.id DESC) AS newest"
    "  FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id"
    "  JOIN tenants t ON t.id = d.tenant_id JOIN endpoints ep ON ep.id = d.endpoint_id"
    "  WHERE ";
constexpr const char *kGroupsTail =
    "), g AS ("
    "  SELECT tenant, endpoint_id, reason, count(*) AS n, min(finished_at) AS first_seen,"
    "    max(finished_at) AS last_seen, max(last_error) FILTER (WHERE newest = 1) AS sample"
    "  FROM dead GROUP BY tenant, endpoint_id, reason) "
    "SELECT g.tenant, g.endpoint_id, ep.channel, ep.url, ep.enabled, coalesce(b.state, 'closed'),"
    "  g.reason, g.n, g.first_seen, g.last_seen, coalesce(g.sample, ''), coalesce(ep.name, '') "
    "FROM g JOIN endpoints ep ON ep.id = g.endpoint_id "
    "LEFT JOIN guard_breakers b ON b.scope = 'endpoint' AND b.id = g.endpoint_id "
    "ORDER BY g.n DESC, g.last_seen DESC, g.endpoint_id, g.reason LIMIT $8";

DlqGroup groupAt(const PgResult &r, int i)
{
    DlqGroup g;
    g.tenant = r.text(i, 0);
    g.endpointId = r.int64(i, 1);
    g.channel = r.text(i, 2);
    g.url = r.text(i, 3);
    g.enabled = r.boolean(i, 4);
    g.breaker = r.text(i, 5);
    g.reason = r.text(i, 6);
    g.count = r.int64(i, 7);
    g.firstSeen = r.timestamp(i, 8);
    g.lastSeen = r.timestamp(i, 9);
    g.lastError = r.text(i, 10);
    g.endpointName = r.text(i, 11);
    return g;
}

} // namespace

DlqStore::DlqStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

Result<void> DlqStore::audit(const QString &action, const PgResult &deliveries,
                             const QJsonObject &details)
{
    QList<AuditEntry> entries;
    for (int i = 0; i < deliveries.rows(); ++i)
        entries.append({.actor = m_actor,
                        .action = action,
                        .subject = deliveries.text(i, 0),
                        .tenant = deliveries.text(i, 1),
                        .details = details});
    return writeAudit(m_db, entries);
}

Result<QList<DeadDelivery>> DlqStore::list(const DlqFilter &filter)
{
    QList<QByteArray> params = filterParams(filter);
    params.append(QByteArray::number(std::max(1, filter.limit)));
    const QByteArray sql =
        QByteArray("SELECT d.id, t.name, d.event_id, e.type, d.endpoint_id, ep.url, d.attempts,"
                   "  coalesce(d.dead_reason, ''), coalesce(d.last_error, ''), d.finished_at,"
                   "  d.triage_status, coalesce(d.assignee, ''), ep.channel,"
                   "  coalesce(ep.name, '') "
                   "FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id "
                   "JOIN tenants t ON t.id = d.tenant_id "
                   "JOIN events e ON e.id = d.event_id JOIN endpoints ep ON ep.id = d.endpoint_id "
                   "WHERE ") +
        kFilterSql + " ORDER BY d.finished_at DESC LIMIT $8";
    auto r = m_db.exec(sql.constData(), params);
    if (!r)
        return r.error();
    QList<DeadDelivery> out;
    for (int i = 0; i < r->rows(); ++i) {
        DeadDelivery d;
        d.id = QUuid::fromString(r->text(i, 0));
        d.tenant = r->text(i, 1);
        d.eventId = QUuid::fromString(r->text(i, 2));
        d.eventType = r->text(i, 3);
        d.endpointId = r->int64(i, 4);
        d.url = r->text(i, 5);
        d.channel = r->text(i, 12);
        d.attempts = int(r->int64(i, 6));
        d.reason = r->text(i, 7);
        d.lastError = r->text(i, 8);
        d.finishedAt = r->timestamp(i, 9);
        d.triageStatus = r->text(i, 10);
        d.assignee = r->text(i, 11);
        d.endpointName = r->text(i, 13);
        out.append(d);
    }
    return out;
}

Result<QList<DlqGroup>> DlqStore::groups(const DlqFilter &filter)
{
    QList<QByteArray> params = filterParams(filter);
    params.append(QByteArray::number(std::max(1, filter.limit)));
    auto r = m_db.exec((QByteArray(kGroupsHead) + kFilterSql + kGroupsTail).constData(), params);
    if (!r)
        return r.error();
    QList<DlqGroup> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(groupAt(*r, i));
    return out;
}

Result<DeliveryDetail> DlqStore::show(const QUuid &id)
{
    auto r = m_db.exec(
        "SELECT d.id, t.name, d.event_id, e.type, d.endpoint_id, ep.url, d.attempts,"
        "  coalesce(d.dead_reason, ''), coalesce(d.last_error, ''), d.finished_at,"
        "  d.triage_status, coalesce(d.assignee, ''), ferry_delivery_state(d.state, q.state),"
        "  coalesce(e.partition_key, ''), jsonb_pretty(e.payload::jsonb), ep.channel,"
        "  coalesce(ep.name, '') "
        "FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id "
        "JOIN tenants t ON t.id = d.tenant_id "
        "JOIN events e ON e.id = d.event_id JOIN endpoints ep ON ep.id = d.endpoint_id "
        "WHERE d.id = $1",
        {uuidText(id)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no delivery with id %1 (list dead deliveries with 'ferry-agent dlq "
                         "list')"_s.arg(id.toString(QUuid::WithoutBraces)));
    DeliveryDetail d;
    auto &s = d.summary;
    s.id = id;
    s.tenant = r->text(0, 1);
    s.eventId = QUuid::fromString(r->text(0, 2));
    s.eventType = r->text(0, 3);
    s.endpointId = r->int64(0, 4);
    s.url = r->text(0, 5);
    s.channel = r->text(0, 15);
    s.attempts = int(r->int64(0, 6));
    s.reason = r->text(0, 7);
    s.lastError = r->text(0, 8);
    s.finishedAt = r->timestamp(0, 9);
    s.triageStatus = r->text(0, 10);
    s.assignee = r->text(0, 11);
    s.endpointName = r->text(0, 16);
    d.state = r->text(0, 12);
    d.partitionKey = r->text(0, 13);
    d.payload = r->bytes(0, 14);

    auto a = m_db.exec("SELECT attempt, started_at, outcome, coalesce(status_code, 0),"
                       "  coalesce(error, ''), coalesce(duration_ms, 0), output "
                       "FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id",
                       {uuidText(id)});
    if (!a)
        return a.error();
    for (int i = 0; i < a->rows(); ++i)
        d.attempts.append({int(a->int64(i, 0)), a->timestamp(i, 1), a->text(i, 2),
                           int(a->int64(i, 3)), a->text(i, 4), a->int64(i, 5),
                           a->isNull(i, 6) ? QString() : a->text(i, 6)});
    auto n = m_db.exec("SELECT at, actor, note FROM dlq_notes WHERE delivery_id = $1 ORDER BY id",
                       {uuidText(id)});
    if (!n)
        return n.error();
    for (int i = 0; i < n->rows(); ++i)
        d.notes.append({n->timestamp(i, 0), n->text(i, 1), n->text(i, 2)});
    return d;
}

Result<qint64> DlqStore::replay(const QList<QUuid> &ids)
{
    QList<QByteArray> list;
    for (const QUuid &id : ids)
        list.append(uuidText(id));
    return m_db.inTransaction([&]() -> Result<qint64> {
        auto r = m_db.exec((QByteArray("WITH r AS (UPDATE deliveries SET") + kRequeueSet +
                            "  WHERE id = ANY($1::uuid[]) AND state = 'dead'" + kRequeueRest)
                               .constData(),
                           {pgTextArray(list)});
        if (!r)
            return r.error();
        // One audit record per delivery, in one statement.
        if (auto a = audit(u"dlq.replay"_s, *r, {}); !a)
            return a.error();
        return qint64(r->rows());
    });
}

Result<qint64> DlqStore::replayMatching(const DlqFilter &filter, bool dryRun)
{
    const QByteArray where =
        QByteArray(" FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id "
                   "JOIN tenants t ON t.id = d.tenant_id "
                   "JOIN endpoints ep ON ep.id = d.endpoint_id WHERE ") +
        kFilterSql;
    if (dryRun) {
        auto r = m_db.exec(QByteArray("SELECT count(*)" + where).constData(), filterParams(filter));
        if (!r)
            return r.error();
        return r->int64(0, 0);
    }
    return m_db.inTransaction([&]() -> Result<qint64> {
        auto r = m_db.exec((QByteArray("WITH r AS (UPDATE deliveries SET") + kRequeueSet +
                            "  WHERE id IN (SELECT d.id" + where +
                            " FOR UPDATE OF d) AND state = 'dead'" + kRequeueRest)
                               .constData(),
                           filterParams(filter));
        if (!r)
            return r.error();
        QJsonArray replayed;
        QSet<QString> tenants;
        for (int i = 0; i < r->rows(); ++i) {
            replayed.append(r->text(i, 0));
            tenants.insert(r->text(i, 1));
        }
        QJsonObject details{{u"filter"_s, filterJson(filter)},
                            {u"count"_s, replayed.size()},
                            {u"deliveries"_s, replayed}};
        // One record for the batch: it concerns a tenant when all it replayed was that tenant's.
        const QString tenant = tenants.size() == 1 ? *tenants.begin() : filter.tenant;
        if (auto a = writeAudit(m_db, {.actor = m_actor,
                                       .action = u"dlq.replay_matching"_s,
                                       .subject = {},
                                       .tenant = tenant,
                                       .details = details});
            !a)
            return a.error();
        return qint64(replayed.size());
    });
}

Result<qint64> DlqStore::discard(const QList<QUuid> &ids, const QString &reason)
{
    if (reason.trimmed().isEmpty())
        return makeError(
            u"say why (ferry-agent: --note TEXT; API: \"reason\"): it stays with the delivery"_s);
    QList<QByteArray> list;
    for (const QUuid &id : ids)
        list.append(uuidText(id));
    return m_db.inTransaction([&]() -> Result<qint64> {
        // Closed for good: out of the queue.
        auto r = m_db.exec("WITH r AS (UPDATE deliveries SET state = 'discarded',"
                           "  discard_reason = $2, updated_at = now() "
                           "  WHERE id = ANY($1::uuid[]) AND state = 'dead' "
                           "  RETURNING id, tenant_id), "
                           "q AS (DELETE FROM delivery_queue WHERE delivery_id IN "
                           "  (SELECT id FROM r)) "
                           "SELECT r.id, t.name FROM r JOIN tenants t ON t.id = r.tenant_id",
                           {pgTextArray(list), reason.toUtf8()});
        if (!r)
            return r.error();
        if (auto a = audit(u"dlq.discard"_s, *r, {{u"reason"_s, reason}}); !a)
            return a.error();
        return qint64(r->rows());
    });
}

Result<void> DlqStore::annotate(const QUuid &id, const QString &note, const QString &assignee,
                                const QString &triageStatus)
{
    static const QStringList statuses{u"new"_s, u"investigating"_s, u"resolved"_s};
    if (!triageStatus.isEmpty() && !statuses.contains(triageStatus))
        return makeError(
            u"status '%1' is not one of new, investigating, resolved"_s.arg(triageStatus));
    if (note.isEmpty() && assignee.isNull() && triageStatus.isEmpty())
        return makeError(u"nothing to record: give --text, --assignee or --status"_s);
    auto done = m_db.inTransaction([&]() -> Result<qint64> {
        auto r = m_db.exec(
            "UPDATE deliveries SET"
            "  assignee = CASE WHEN $2::text IS NULL THEN assignee ELSE nullif($2, '') END,"
            "  triage_status = coalesce($3, triage_status) "
            "WHERE id = $1 "
            "RETURNING id, (SELECT name FROM tenants t WHERE t.id = deliveries.tenant_id)",
            {uuidText(id), assignee.isNull() ? QByteArray() : assignee.toUtf8(),
             optional(triageStatus)});
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return makeError(u"no delivery with id %1"_s.arg(id.toString(QUuid::WithoutBraces)));
        if (!note.isEmpty()) {
            auto n = m_db.exec("INSERT INTO dlq_notes (delivery_id, actor, note) VALUES ($1, $2, "
                               "$3)",
                               {uuidText(id), m_actor.toUtf8(), note.toUtf8()});
            if (!n)
                return n.error();
        }
        QJsonObject details;
        if (!note.isEmpty())
            details.insert(u"note"_s, note);
        if (!assignee.isNull())
            details.insert(u"assignee"_s, assignee);
        if (!triageStatus.isEmpty())
            details.insert(u"status"_s, triageStatus);
        if (auto a = audit(u"dlq.annotate"_s, *r, details); !a)
            return a.error();
        return qint64(1);
    });
    if (!done)
        return done.error();
    return {};
}

} // namespace ferry::agent::store
