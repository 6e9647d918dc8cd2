#include "agent/store/jobs/jobstore.h"

#include "agent/store/admin/auditlog.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray uuidText(const QUuid &id)
{
    return id.toByteArray(QUuid::WithoutBraces);
}

constexpr char kColumns[] =
    "j.delivery_id, j.attempt, t.name, j.endpoint_id, j.command, e.type, j.agent, j.pid,"
    "  j.state, j.progress, j.progress_message, j.exit_code, j.cancel_requested_at,"
    "  j.cancel_requested_by, j.started_at, j.heartbeat_at, j.finished_at "
    "FROM jobs j JOIN tenants t ON t.id = j.tenant_id"
    "  JOIN deliveries d ON d.id = j.delivery_id JOIN events e ON e.id = d.event_id ";

JobRow rowAt(const PgResult &r, int i)
{
    JobRow j;
    j.deliveryId = QUuid::fromString(r.text(i, 0));
    j.attempt = int(r.int64(i, 1));
    j.tenant = r.text(i, 2);
    j.routeId = r.int64(i, 3);
    j.command = r.text(i, 4);
    j.eventType = r.text(i, 5);
    j.agent = r.text(i, 6);
    j.pid = r.int64(i, 7);
    j.state = r.text(i, 8);
    j.progress = r.isNull(i, 9) ? -1 : int(r.int64(i, 9));
    j.progressMessage = r.text(i, 10);
    j.exitCode = r.isNull(i, 11) ? -1 : int(r.int64(i, 11));
    j.cancelRequestedAt = r.timestamp(i, 12);
    j.cancelRequestedBy = r.text(i, 13);
    j.startedAt = r.timestamp(i, 14);
    j.heartbeatAt = r.timestamp(i, 15);
    j.finishedAt = r.timestamp(i, 16);
    return j;
}

} // namespace

JobStore::JobStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

Result<QString> JobStore::begin(const QUuid &deliveryId, int attempt, qint64 tenantId,
                                qint64 endpointId, const QString &command, const QByteArray &agent)
{
    auto r =
        m_db.exec("WITH lost AS ("
                  "  UPDATE jobs SET state = 'lost', finished_at = now()"
                  "  WHERE delivery_id = $1 AND attempt < $2 AND state = 'running') "
                  "INSERT INTO jobs (delivery_id, attempt, tenant_id, endpoint_id, command, agent) "
                  "VALUES ($1, $2, $3, $4, $5, $6) "
                  "ON CONFLICT (delivery_id, attempt) DO UPDATE SET state = 'running', agent = $6,"
                  "  pid = NULL, progress = NULL, progress_message = NULL, exit_code = NULL,"
                  "  cancel_requested_at = NULL, cancel_requested_by = NULL, started_at = now(),"
                  "  heartbeat_at = now(), finished_at = NULL "
                  "RETURNING (SELECT name FROM tenants WHERE id = $3)",
                  {uuidText(deliveryId), QByteArray::number(attempt), QByteArray::number(tenantId),
                   QByteArray::number(endpointId), command.toUtf8(), agent});
    if (!r)
        return r.error();
    return r->text(0, 0);
}

Result<void> JobStore::setPid(const QUuid &deliveryId, int attempt, qint64 pid)
{
    return m_db.command(
        "UPDATE jobs SET pid = $3 WHERE delivery_id = $1 AND attempt = $2",
        {uuidText(deliveryId), QByteArray::number(attempt), QByteArray::number(pid)});
}

Result<void> JobStore::sync(const QList<JobProgress> &progress, const QByteArray &agent)
{
    QList<QByteArray> ids;
    QList<QByteArray> messages;
    QList<qint64> attempts;
    QList<qint64> percents;
    for (const JobProgress &p : progress) {
        ids.append(uuidText(p.deliveryId));
        attempts.append(p.attempt);
        percents.append(p.percent);
        messages.append(p.message.toUtf8());
    }
    return m_db.command(
        "WITH p AS (SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[])"
        "  AS p(id, attempt, percent, message)) "
        "UPDATE jobs j SET heartbeat_at = now(),"
        "  progress = coalesce(p.percent, j.progress),"
        "  progress_message = CASE WHEN p.id IS NULL THEN j.progress_message"
        "                          ELSE nullif(p.message, '') END "
        "FROM jobs k LEFT JOIN p ON p.id = k.delivery_id AND p.attempt = k.attempt "
        "WHERE k.agent = $5 AND k.state = 'running'"
        "  AND j.delivery_id = k.delivery_id AND j.attempt = k.attempt",
        {pgTextArray(ids), pgInt64Array(attempts), pgInt64Array(percents), pgTextArray(messages),
         agent});
}

Result<QList<std::pair<QUuid, QString>>> JobStore::cancelRequests(const QByteArray &agent)
{
    auto r = m_db.exec("SELECT delivery_id, coalesce(cancel_requested_by, '') FROM jobs "
                       "WHERE agent = $1 AND state = 'running'"
                       "  AND cancel_requested_at IS NOT NULL",
                       {agent});
    if (!r)
        return r.error();
    QList<std::pair<QUuid, QString>> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({QUuid::fromString(r->text(i, 0)), r->text(i, 1)});
    return out;
}

Result<void> JobStore::finish(const QUuid &deliveryId, int attempt, const QString &state,
                              int exitCode)
{
    return m_db.command(
        "UPDATE jobs SET state = $3, exit_code = $4, finished_at = now(), heartbeat_at = now(),"
        "  progress = CASE WHEN $3 = 'succeeded' THEN 100 ELSE progress END "
        "WHERE delivery_id = $1 AND attempt = $2",
        {uuidText(deliveryId), QByteArray::number(attempt), state.toUtf8(),
         exitCode < 0 ? QByteArray() : QByteArray::number(exitCode)});
}

Result<QList<JobRow>> JobStore::list(qint64 tenantId, const QString &state, int limit)
{
    const QByteArray sql = QByteArray("SELECT ") + kColumns +
                           "WHERE j.tenant_id = $1 AND (coalesce($2, '') = '' OR j.state = $2) "
                           "ORDER BY j.started_at DESC LIMIT $3";
    auto r = m_db.exec(sql.constData(),
                       {QByteArray::number(tenantId), state.toUtf8(), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<JobRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(rowAt(*r, i));
    return out;
}

Result<JobRow> JobStore::get(qint64 tenantId, const QUuid &deliveryId)
{
    const QByteArray sql = QByteArray("SELECT ") + kColumns +
                           "WHERE j.tenant_id = $1 AND j.delivery_id = $2 "
                           "ORDER BY j.attempt DESC LIMIT 1";
    auto r = m_db.exec(sql.constData(), {QByteArray::number(tenantId), uuidText(deliveryId)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no job ran for delivery %1 in this tenant"_s.arg(
                             deliveryId.toString(QUuid::WithoutBraces)),
                         404);
    return rowAt(*r, 0);
}

Result<JobRow> JobStore::requestCancel(qint64 tenantId, const QString &tenant,
                                       const QUuid &deliveryId)
{
    auto job = get(tenantId, deliveryId);
    if (!job)
        return job.error();
    if (job->state != "running"_L1)
        return makeError(u"the job of delivery %1 is not running (it is %2): only a running job "
                         "can be cancelled. To stop a delivery that waits for its next attempt, "
                         "disable its route; a dead one stays in the dead-letter queue"_s.arg(
                             deliveryId.toString(QUuid::WithoutBraces), job->state),
                         409);
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto u = m_db.command(
            "UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()),"
            "  cancel_requested_by = coalesce(cancel_requested_by, $3) "
            "WHERE delivery_id = $1 AND attempt = $2",
            {uuidText(deliveryId), QByteArray::number(job->attempt), m_actor.toUtf8()});
        if (!u)
            return u;
        const QJsonObject details{{u"attempt"_s, job->attempt}, {u"command"_s, job->command}};
        return writeAudit(
            m_db, {.actor = m_actor,
                   .action = u"job.cancel"_s,
                   .subject = tenant + u"/job/"_s + deliveryId.toString(QUuid::WithoutBraces),
                   .tenant = tenant,
                   .details = details});
    });
    if (!done)
        return done.error();
    return get(tenantId, deliveryId);
}

} // namespace ferry::agent::store
