#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace ferry::agent::store {

// A workflow instance taken by a worker, with its definition and the event that started it.
struct ClaimedInstance
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString workflow;
    QJsonArray steps;
    QString state; // running | compensating
    int step = 0;
    bool cancelRequested = false;
    QString correlation;
    QByteArray event; // the starting event's canonical JSON
    QString error;
};

// What a step did so far (one phase: 'do' or 'undo').
struct StepRecord
{
    QString state; // started | done | failed
    QString eventId;
    QDateTime dueAt;
};

// How the deliveries of one event stand.
struct EventDeliveries
{
    int open = 0;
    int succeeded = 0;
    int dead = 0;
};

// The workflow workers' SQL: instances are leased (SKIP LOCKED) and every step is recorded
// before and after it runs, so a crashed worker's instance resumes at the step it stopped.
class InstanceStore
{
public:
    explicit InstanceStore(PgConnection &db);

    Result<QList<ClaimedInstance>> claim(int limit, qint64 leaseMs);
    Result<std::optional<StepRecord>> stepRecord(qint64 instanceId, int step, const char *phase);
    Result<void> startStep(qint64 instanceId, int step, const char *phase, const QString &name,
                           const QString &eventId, qint64 dueInMs);
    Result<void> finishStep(qint64 instanceId, int step, const char *phase, bool done,
                            const QString &error);
    // The instance's state, step and next look (`dueInMs` from now).
    Result<void> moveTo(qint64 instanceId, const QString &state, int step, qint64 dueInMs,
                        const QString &error);
    Result<EventDeliveries> deliveriesOf(const QString &eventId);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
