#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace ferry::agent::store {

// A tenant's workflow as it is stored: what starts and cancels an instance, the path of the
// correlation key in the event, and the steps (checked by workflow::checkDefinition()).
struct WorkflowDefinition
{
    QString name;
    QString trigger;
    QStringList cancelOn;
    QStringList correlate; // path into the event: {"data", "customer"}
    QJsonArray steps;
    qint64 routeId = 0; // the workflow's route (channel 'workflow')
    QDateTime createdAt;
    QDateTime updatedAt;
};

// One instance with what its steps did, as the API shows it.
struct WorkflowInstanceRow
{
    qint64 id = 0;
    QString workflow;
    QString eventId;
    QString correlation;
    QString state;
    int step = 0;
    QString error;
    QDateTime createdAt;
    QDateTime updatedAt;
    QJsonArray steps; // [{"step","phase","name","state","event_id","started_at",…}]
};

// Workflow definitions (each with its route, created and kept in step in the same
// transaction) and the instances' read model. Audited like the other admin writes; errors carry
// an HTTP status in Error::code (404, 409, 422).
class WorkflowStore
{
public:
    WorkflowStore(PgConnection &db, QString actor);

    static bool validName(const QString &name);

    Result<WorkflowDefinition> put(qint64 tenantId, const QString &tenant,
                                   const WorkflowDefinition &definition, bool *created);
    Result<QList<WorkflowDefinition>> list(qint64 tenantId);
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &name);
    // Newest first; `state` empty: every state; `workflow` empty: every workflow.
    Result<QList<WorkflowInstanceRow>> instances(qint64 tenantId, const QString &workflow,
                                                 const QString &state, int limit);

private:
    Result<qint64> routeFor(qint64 tenantId, const QString &name, const QStringList &types);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
