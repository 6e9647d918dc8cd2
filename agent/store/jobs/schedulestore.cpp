#include "agent/store/jobs/schedulestore.h"

#include "agent/store/admin/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr char kColumns[] =
    "id, tenant_id, name, cron, time_zone, event_type, event_source, event_data::text,"
    "  catch_up, catch_up_limit, paused, next_fire_at, last_slot, last_fired_at,"
    "  last_event_id, fired, skipped, last_error, revision, created_at, updated_at ";

QByteArray iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toUtf8() : QByteArray();
}

Schedule scheduleAt(const PgResult &r, int i)
{
    Schedule s;
    s.id = r.int64(i, 0);
    s.tenantId = r.int64(i, 1);
    s.name = r.text(i, 2);
    s.cron = r.text(i, 3);
    s.timeZone = r.text(i, 4);
    s.eventType = r.text(i, 5);
    s.eventSource = r.text(i, 6);
    if (!r.isNull(i, 7))
        s.eventData = QJsonDocument::fromJson("[" + r.bytes(i, 7) + "]").array().first();
    s.catchUp = r.text(i, 8);
    s.catchUpLimit = int(r.int64(i, 9));
    s.paused = r.boolean(i, 10);
    s.nextFireAt = r.timestamp(i, 11);
    s.lastSlot = r.timestamp(i, 12);
    s.lastFiredAt = r.timestamp(i, 13);
    s.lastEventId = r.text(i, 14);
    s.fired = r.int64(i, 15);
    s.skipped = r.int64(i, 16);
    s.lastError = r.text(i, 17);
    s.revision = int(r.int64(i, 18));
    s.createdAt = r.timestamp(i, 19);
    s.updatedAt = r.timestamp(i, 20);
    return s;
}

QByteArray dataText(const QJsonValue &data)
{
    if (data.isUndefined())
        return {};
    const QByteArray wrapped = QJsonDocument(QJsonArray{data}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QJsonObject auditDetails(const Schedule &s)
{
    return {{u"cron"_s, s.cron},
            {u"time_zone"_s, s.timeZone},
            {u"event_type"_s, s.eventType},
            {u"catch_up"_s, s.catchUp},
            {u"paused"_s, s.paused}};
}

} // namespace

ScheduleStore::ScheduleStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

Result<void> ScheduleStore::audit(const char *action, const QString &tenant, const QString &name,
                                  const QJsonObject &details)
{
    return writeAudit(m_db, {.actor = m_actor,
                             .action = QString::fromLatin1(action),
                             .subject = tenant + u"/schedule/"_s + name,
                             .tenant = tenant,
                             .details = details});
}

Result<Schedule> ScheduleStore::put(const QString &tenant, const Schedule &s, bool *created)
{
    return m_db.inTransaction([&]() -> Result<Schedule> {
        const QByteArray sql =
            QByteArray("INSERT INTO schedules (tenant_id, name, cron, time_zone, event_type,"
                       "  event_source, event_data, catch_up, catch_up_limit, paused,"
                       "  next_fire_at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10,"
                       "  $11) "
                       "ON CONFLICT (tenant_id, name) DO UPDATE SET cron = excluded.cron,"
                       "  time_zone = excluded.time_zone, event_type = excluded.event_type,"
                       "  event_source = excluded.event_source, event_data = excluded.event_data,"
                       "  catch_up = excluded.catch_up, catch_up_limit = excluded.catch_up_limit,"
                       "  paused = excluded.paused, next_fire_at = excluded.next_fire_at,"
                       "  last_error = NULL, revision = schedules.revision + 1,"
                       "  updated_at = now() RETURNING ") +
            kColumns + ", (xmax = 0)";
        auto r =
            m_db.exec(sql.constData(), {QByteArray::number(s.tenantId), s.name.toUtf8(),
                                        s.cron.toUtf8(), s.timeZone.toUtf8(), s.eventType.toUtf8(),
                                        s.eventSource.toUtf8(), dataText(s.eventData),
                                        s.catchUp.toUtf8(), QByteArray::number(s.catchUpLimit),
                                        s.paused ? "true" : "false", iso(s.nextFireAt)});
        if (!r)
            return r.error();
        const bool inserted = r->boolean(0, 21);
        if (auto a = audit(inserted ? "schedule.create" : "schedule.update", tenant, s.name,
                           auditDetails(s));
            !a)
            return a.error();
        if (created)
            *created = inserted;
        return scheduleAt(*r, 0);
    });
}

Result<QList<Schedule>> ScheduleStore::list(qint64 tenantId)
{
    const QByteArray sql =
        QByteArray("SELECT ") + kColumns + "FROM schedules WHERE tenant_id = $1 ORDER BY name";
    auto r = m_db.exec(sql.constData(), {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    QList<Schedule> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(scheduleAt(*r, i));
    return out;
}

Result<Schedule> ScheduleStore::get(qint64 tenantId, const QString &name)
{
    const QByteArray sql =
        QByteArray("SELECT ") + kColumns + "FROM schedules WHERE tenant_id = $1 AND name = $2";
    auto r = m_db.exec(sql.constData(), {QByteArray::number(tenantId), name.toUtf8()});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no schedule '%1' in this tenant"_s.arg(name), 404);
    return scheduleAt(*r, 0);
}

Result<void> ScheduleStore::remove(qint64 tenantId, const QString &tenant, const QString &name)
{
    return m_db.inTransaction([&]() -> Result<void> {
        auto r = m_db.exec("DELETE FROM schedules WHERE tenant_id = $1 AND name = $2",
                           {QByteArray::number(tenantId), name.toUtf8()});
        if (!r)
            return r.error();
        if (r->affectedRows() == 0)
            return makeError(u"no schedule '%1' in this tenant"_s.arg(name), 404);
        return audit("schedule.delete", tenant, name, {});
    });
}

Result<Schedule> ScheduleStore::setPaused(qint64 tenantId, const QString &tenant,
                                          const QString &name, bool paused,
                                          const QDateTime &nextFireAt)
{
    return m_db.inTransaction([&]() -> Result<Schedule> {
        const QByteArray sql =
            QByteArray("UPDATE schedules SET paused = $3,"
                       "  next_fire_at = CASE WHEN $3 THEN next_fire_at ELSE $4::timestamptz END,"
                       "  revision = revision + 1, updated_at = now() "
                       "WHERE tenant_id = $1 AND name = $2 RETURNING ") +
            kColumns;
        auto r = m_db.exec(sql.constData(), {QByteArray::number(tenantId), name.toUtf8(),
                                             paused ? "true" : "false", iso(nextFireAt)});
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return makeError(u"no schedule '%1' in this tenant"_s.arg(name), 404);
        if (auto a = audit(paused ? "schedule.pause" : "schedule.resume", tenant, name, {}); !a)
            return a.error();
        return scheduleAt(*r, 0);
    });
}

Result<QList<DueSchedule>> ScheduleStore::takeDue(const QByteArray &agent, qint64 leaseMs,
                                                  int limit)
{
    const QByteArray sql =
        QByteArray("UPDATE schedules SET lease_owner = $1,"
                   "  lease_until = now() + $2 * interval '1 millisecond' "
                   "WHERE id IN (SELECT id FROM schedules WHERE NOT paused"
                   "  AND next_fire_at <= now() AND (lease_until IS NULL OR lease_until < now())"
                   // A disabled tenant's schedules wait; re-enabled, their catch-up applies.
                   "  AND tenant_id NOT IN (SELECT id FROM tenants WHERE disabled_at IS NOT NULL)"
                   "  ORDER BY next_fire_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ") +
        kColumns + ", now()";
    auto r =
        m_db.exec(sql.constData(), {agent, QByteArray::number(leaseMs), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<DueSchedule> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({scheduleAt(*r, i), r->timestamp(i, 21)});
    return out;
}

Result<void> ScheduleStore::advance(const QByteArray &agent, const ScheduleAdvance &a)
{
    return m_db.command(
        "UPDATE schedules SET"
        "  next_fire_at = CASE WHEN revision = $3 THEN $4::timestamptz ELSE next_fire_at END,"
        "  last_slot = coalesce($5::timestamptz, last_slot),"
        "  last_fired_at = CASE WHEN $7 > 0 THEN now() ELSE last_fired_at END,"
        "  last_event_id = coalesce($6::uuid, last_event_id),"
        "  fired = fired + $7, skipped = skipped + $8, last_error = $9,"
        "  lease_owner = NULL, lease_until = NULL "
        "WHERE id = $1 AND lease_owner = $2",
        {QByteArray::number(a.id), agent, QByteArray::number(a.revision), iso(a.nextFireAt),
         iso(a.lastSlot), a.lastEventId.isEmpty() ? QByteArray() : a.lastEventId.toUtf8(),
         QByteArray::number(a.fired), QByteArray::number(a.skipped),
         a.error.isEmpty() ? QByteArray() : a.error.toUtf8()});
}

} // namespace ferry::agent::store
