#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>
#include <QUuid>

namespace ferry::agent::store {

// One run of an exec job as the API shows it.
struct JobRow
{
    QUuid deliveryId;
    int attempt = 0;
    QString tenant;
    qint64 routeId = 0;
    QString command;
    QString eventType;
    QString agent;
    qint64 pid = 0;
    QString state;     // running | succeeded | failed | retrying | timed_out | cancelled | lost
    int progress = -1; // -1: none reported
    QString progressMessage;
    int exitCode = -1; // -1: none yet; 128 + N: ended by signal N (as a shell reports it)
    QDateTime cancelRequestedAt;
    QString cancelRequestedBy;
    QDateTime startedAt;
    QDateTime heartbeatAt;
    QDateTime finishedAt;
};

// What a running job reports between two syncs.
struct JobProgress
{
    QUuid deliveryId;
    int attempt = 0;
    int percent = 0;
    QString message;
};

// The SQL of exec jobs: the runner's bookkeeping (start, progress, heartbeat, end, the
// cancellations asked of it) and the API's view and cancel. Errors carry an HTTP status in
// Error::code where the caller can fix them (404, 409).
class JobStore
{
public:
    JobStore(PgConnection &db, QString actor = {});

    // Records the start of an attempt (an earlier attempt still marked running was lost with
    // its agent); returns the tenant's name.
    Result<QString> begin(const QUuid &deliveryId, int attempt, qint64 tenantId, qint64 endpointId,
                          const QString &command, const QByteArray &agent);
    Result<void> setPid(const QUuid &deliveryId, int attempt, qint64 pid);
    // Progress of some jobs, and a heartbeat for every job `agent` runs.
    Result<void> sync(const QList<JobProgress> &progress, const QByteArray &agent);
    // The jobs of `agent` an operator asked to cancel: (delivery, attempt) with who asked.
    Result<QList<std::pair<QUuid, QString>>> cancelRequests(const QByteArray &agent);
    Result<void> finish(const QUuid &deliveryId, int attempt, const QString &state, int exitCode);

    // Newest first; `state` empty: every state.
    Result<QList<JobRow>> list(qint64 tenantId, const QString &state, int limit);
    // The latest attempt of a delivery's job.
    Result<JobRow> get(qint64 tenantId, const QUuid &deliveryId);
    // Asks the agent running the delivery's job to stop it (audited).
    Result<JobRow> requestCancel(qint64 tenantId, const QString &tenant, const QUuid &deliveryId);

private:
    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
