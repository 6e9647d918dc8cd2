#include "agent/store/workflow/workflowstore.h"

#include "agent/store/admin/auditlog.h"
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray textArray(const QStringList &list)
{
    QList<QByteArray> values;
    for (const QString &s : list)
        values.append(s.toUtf8());
    return pgTextArray(values);
}

QStringList listFrom(const QByteArray &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        out.append(v.toString());
    return out;
}

// Columns: name, trigger_type, cancel_types, correlate, steps, endpoint_id, created_at,
// updated_at (arrays as JSON).
WorkflowDefinition definitionAt(const PgResult &r, int i)
{
    return {r.text(i, 0),
            r.text(i, 1),
            listFrom(r.bytes(i, 2)),
            listFrom(r.bytes(i, 3)),
            QJsonDocument::fromJson(r.bytes(i, 4)).array(),
            r.int64(i, 5),
            r.timestamp(i, 6),
            r.timestamp(i, 7)};
}

} // namespace

WorkflowStore::WorkflowStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

bool WorkflowStore::validName(const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    return valid.match(name).hasMatch();
}

// The workflow's route: its event types are what starts and what cancels an instance.
Result<qint64> WorkflowStore::routeFor(qint64 tenantId, const QString &name,
                                       const QStringList &types)
{
    auto existing =
        m_db.exec("SELECT endpoint_id FROM workflows WHERE tenant_id = $1 AND name = $2 FOR UPDATE",
                  {QByteArray::number(tenantId), name.toUtf8()});
    if (!existing)
        return existing.error();
    if (existing->rows() == 1) {
        auto u =
            m_db.exec("UPDATE endpoints SET event_types = $2::text[], enabled = true WHERE id = $1",
                      {existing->bytes(0, 0), textArray(types)});
        return u ? Result<qint64>(existing->int64(0, 0)) : Result<qint64>(u.error());
    }
    auto r =
        m_db.exec("INSERT INTO endpoints (tenant_id, channel, url, event_types, secret) "
                  "VALUES ($1, 'workflow', $2, $3::text[], '') RETURNING id",
                  {QByteArray::number(tenantId), "workflow:" + name.toUtf8(), textArray(types)});
    if (!r)
        return r.error();
    return r->int64(0, 0);
}

Result<WorkflowDefinition> WorkflowStore::put(qint64 tenantId, const QString &tenant,
                                              const WorkflowDefinition &d, bool *created)
{
    if (!validName(d.name))
        return makeError(u"'%1' is not a valid workflow name: use 1 to 63 lowercase letters, "
                         "digits, '.', '-' or '_', starting with a letter or digit"_s.arg(d.name),
                         422);
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto route = routeFor(tenantId, d.name, QStringList{d.trigger} + d.cancelOn);
    if (!route)
        return route.error();
    const QByteArray steps = QJsonDocument(d.steps).toJson(QJsonDocument::Compact);
    auto r = m_db.exec(
        "INSERT INTO workflows (tenant_id, name, endpoint_id, trigger_type, cancel_types,"
        "  correlate, steps) VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7) "
        "ON CONFLICT (tenant_id, name) DO UPDATE SET trigger_type = excluded.trigger_type,"
        "  cancel_types = excluded.cancel_types, correlate = excluded.correlate,"
        "  steps = excluded.steps, updated_at = now() "
        "RETURNING name, trigger_type, array_to_json(cancel_types), array_to_json(correlate),"
        "  steps, endpoint_id, created_at, updated_at, (xmax = 0)",
        {QByteArray::number(tenantId), d.name.toUtf8(), QByteArray::number(*route),
         d.trigger.toUtf8(), textArray(d.cancelOn), textArray(d.correlate), steps});
    if (!r)
        return r.error();
    const bool inserted = r->boolean(0, 8);
    auto a = writeAudit(m_db, {.actor = m_actor,
                               .action = inserted ? u"workflow.create"_s : u"workflow.update"_s,
                               .subject = tenant + u"/workflow/"_s + d.name,
                               .tenant = tenant,
                               .details = {{u"steps"_s, d.steps}}});
    if (!a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (created)
        *created = inserted;
    return definitionAt(*r, 0);
}

Result<QList<WorkflowDefinition>> WorkflowStore::list(qint64 tenantId)
{
    auto r = m_db.exec("SELECT name, trigger_type, array_to_json(cancel_types),"
                       "  array_to_json(correlate), steps, endpoint_id, created_at, updated_at "
                       "FROM workflows WHERE tenant_id = $1 ORDER BY name",
                       {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    QList<WorkflowDefinition> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(definitionAt(*r, i));
    return out;
}

// The route goes with it (and, by the cascade, the finished instances); refused while an
// instance is still running or undoing.
Result<void> WorkflowStore::remove(qint64 tenantId, const QString &tenant, const QString &name)
{
    return m_db.inTransaction([&]() -> Result<void> {
        auto w = m_db.exec("SELECT w.endpoint_id, (SELECT count(*) FROM workflow_instances i "
                           "  WHERE i.workflow_id = w.id AND i.state IN ('running', "
                           "'compensating')) FROM workflows w WHERE w.tenant_id = $1 AND "
                           "w.name = $2 FOR UPDATE",
                           {QByteArray::number(tenantId), name.toUtf8()});
        if (!w)
            return w.error();
        if (w->rows() == 0)
            return makeError(u"tenant '%1' has no workflow named '%2'"_s.arg(tenant, name), 404);
        if (w->int64(0, 1) > 0)
            return makeError(u"workflow '%1' has %2 instance(s) still running: wait for them, or "
                             "cancel them with their cancelling event"_s.arg(name)
                                 .arg(w->int64(0, 1)),
                             409);
        if (auto d = m_db.command("DELETE FROM endpoints WHERE id = $1", {w->bytes(0, 0)}); !d)
            return d;
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"workflow.delete"_s,
                                 .subject = tenant + u"/workflow/"_s + name,
                                 .tenant = tenant,
                                 .details = {}});
    });
}

Result<QList<WorkflowInstanceRow>>
WorkflowStore::instances(qint64 tenantId, const QString &workflow, const QString &state, int limit)
{
    auto r = m_db.exec(
        "SELECT i.id, w.name, i.event_id, coalesce(i.correlation, ''), i.state, i.step,"
        "  coalesce(i.error, ''), i.created_at, i.updated_at,"
        "  coalesce((SELECT json_agg(json_build_object('step', s.step, 'phase', s.phase,"
        "    'name', s.name, 'state', s.state, 'event_id', s.event_id, 'started_at',"
        "    s.started_at, 'finished_at', s.finished_at, 'error', s.error)"
        "    ORDER BY s.started_at, s.step) FROM workflow_steps s WHERE s.instance_id = i.id),"
        "  '[]') "
        "FROM workflow_instances i JOIN workflows w ON w.id = i.workflow_id "
        "WHERE i.tenant_id = $1 AND (coalesce($2, '') = '' OR w.name = $2)"
        "  AND (coalesce($3, '') = '' OR i.state = $3) "
        "ORDER BY i.created_at DESC, i.id DESC LIMIT $4",
        {QByteArray::number(tenantId), workflow.toUtf8(), state.toUtf8(),
         QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<WorkflowInstanceRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                    int(r->int64(i, 5)), r->text(i, 6), r->timestamp(i, 7), r->timestamp(i, 8),
                    QJsonDocument::fromJson(r->bytes(i, 9)).array()});
    return out;
}

} // namespace ferry::agent::store
