#include "agent/store/workflow/instancestore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

InstanceStore::InstanceStore(PgConnection &db)
    : m_db(db)
{}

Result<QList<ClaimedInstance>> InstanceStore::claim(int limit, qint64 leaseMs)
{
    auto r = m_db.exec(
        "WITH due AS ("
        "  SELECT id FROM workflow_instances WHERE state IN ('running', 'compensating')"
        "  AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
        "UPDATE workflow_instances i SET due_at = now() + $2::bigint * interval '1 millisecond' "
        "FROM due, workflows w, events e "
        "WHERE i.id = due.id AND w.id = i.workflow_id AND e.id = i.event_id "
        "RETURNING i.id, i.tenant_id, w.name, w.steps, i.state, i.step, i.cancel_requested,"
        "  coalesce(i.correlation, ''), e.payload::text, coalesce(i.error, '')",
        {QByteArray::number(limit), QByteArray::number(leaseMs)});
    if (!r)
        return r.error();
    QList<ClaimedInstance> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->int64(i, 0), r->int64(i, 1), r->text(i, 2),
                    QJsonDocument::fromJson(r->bytes(i, 3)).array(), r->text(i, 4),
                    int(r->int64(i, 5)), r->boolean(i, 6), r->text(i, 7), r->bytes(i, 8),
                    r->text(i, 9)});
    return out;
}

Result<std::optional<StepRecord>> InstanceStore::stepRecord(qint64 instanceId, int step,
                                                            const char *phase)
{
    auto r = m_db.exec("SELECT state, coalesce(event_id::text, ''), due_at FROM workflow_steps "
                       "WHERE instance_id = $1 AND step = $2 AND phase = $3",
                       {QByteArray::number(instanceId), QByteArray::number(step), phase});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<StepRecord>();
    return std::optional(StepRecord{r->text(0, 0), r->text(0, 1),
                                    r->isNull(0, 2) ? QDateTime() : r->timestamp(0, 2)});
}

Result<void> InstanceStore::startStep(qint64 instanceId, int step, const char *phase,
                                      const QString &name, const QString &eventId, qint64 dueInMs)
{
    return m_db.command(
        "INSERT INTO workflow_steps (instance_id, step, phase, name, state, event_id, due_at) "
        "VALUES ($1, $2, $3, $4, 'started', $5::uuid, CASE WHEN $6::bigint < 0 THEN NULL ELSE "
        "now() + $6::bigint * interval '1 millisecond' END) "
        "ON CONFLICT (instance_id, step, phase) DO NOTHING",
        {QByteArray::number(instanceId), QByteArray::number(step), phase, name.toUtf8(),
         eventId.isEmpty() ? QByteArray() : eventId.toUtf8(), QByteArray::number(dueInMs)});
}

Result<void> InstanceStore::finishStep(qint64 instanceId, int step, const char *phase, bool done,
                                       const QString &error)
{
    return m_db.command("UPDATE workflow_steps SET state = $4, finished_at = now(),"
                        "  error = nullif($5, '') "
                        "WHERE instance_id = $1 AND step = $2 AND phase = $3",
                        {QByteArray::number(instanceId), QByteArray::number(step), phase,
                         done ? "done" : "failed", error.toUtf8()});
}

Result<void> InstanceStore::moveTo(qint64 instanceId, const QString &state, int step,
                                   qint64 dueInMs, const QString &error)
{
    return m_db.command("UPDATE workflow_instances SET state = $2, step = $3,"
                        "  due_at = now() + $4::bigint * interval '1 millisecond',"
                        "  error = nullif($5, ''), updated_at = now() WHERE id = $1",
                        {QByteArray::number(instanceId), state.toUtf8(), QByteArray::number(step),
                         QByteArray::number(dueInMs), error.toUtf8()});
}

Result<EventDeliveries> InstanceStore::deliveriesOf(const QString &eventId)
{
    auto r = m_db.exec("SELECT count(*) FILTER (WHERE state IN ('queued', 'pending', "
                       "'retry_wait')), count(*) FILTER (WHERE state IN ('succeeded', "
                       "'discarded')), count(*) FILTER (WHERE state = 'dead') "
                       "FROM deliveries WHERE event_id = $1",
                       {eventId.toUtf8()});
    if (!r)
        return r.error();
    return EventDeliveries{int(r->int64(0, 0)), int(r->int64(0, 1)), int(r->int64(0, 2))};
}

} // namespace ferry::agent::store
