#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QUuid>

namespace ferry::agent::store {

// A tenant's schedule as it is stored.
struct Schedule
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString name;
    QString cron;
    QString timeZone = QStringLiteral("UTC");
    QString eventType;
    QString eventSource;
    QJsonValue eventData; // undefined: the events carry no data
    QString catchUp = QStringLiteral("once");
    int catchUpLimit = 100;
    bool paused = false;
    QDateTime nextFireAt; // invalid: never again
    QDateTime lastSlot;
    QDateTime lastFiredAt;
    QString lastEventId;
    qint64 fired = 0;
    qint64 skipped = 0;
    QString lastError;
    int revision = 0; // bumped by every change through the API
    QDateTime createdAt;
    QDateTime updatedAt;
};

// A due schedule an agent took, with the database's clock at the time.
struct DueSchedule
{
    Schedule schedule;
    QDateTime now;
};

// What an agent did with a due schedule.
struct ScheduleAdvance
{
    qint64 id = 0;
    int revision = 0;
    QDateTime nextFireAt;
    QDateTime lastSlot; // invalid: none fired
    QString lastEventId;
    qint64 fired = 0;
    qint64 skipped = 0;
    QString error; // empty: it went well
};

// The SQL of schedules: the API's writes (audited) and reads, and the agents' firing (a due
// schedule is taken with a short lease, SKIP LOCKED, so one agent fires it at a time). Errors a
// caller can fix carry an HTTP status in Error::code (404, 422).
class ScheduleStore
{
public:
    ScheduleStore(PgConnection &db, QString actor = {});

    // Creates or replaces `schedule` (by tenant and name), with its first slot.
    Result<Schedule> put(const QString &tenant, const Schedule &schedule, bool *created);
    Result<QList<Schedule>> list(qint64 tenantId);
    Result<Schedule> get(qint64 tenantId, const QString &name);
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &name);
    // Pauses, or resumes from `nextFireAt` (the slots of the pause are not made up).
    Result<Schedule> setPaused(qint64 tenantId, const QString &tenant, const QString &name,
                               bool paused, const QDateTime &nextFireAt);

    // Takes up to `limit` schedules whose next slot is due for `agent`, for `leaseMs`.
    Result<QList<DueSchedule>> takeDue(const QByteArray &agent, qint64 leaseMs, int limit);
    // Records what `agent` fired and gives the schedule back. A schedule changed through the
    // API meanwhile (another revision) keeps its new next slot.
    Result<void> advance(const QByteArray &agent, const ScheduleAdvance &advance);

private:
    Result<void> audit(const char *action, const QString &tenant, const QString &name,
                       const QJsonObject &details);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
