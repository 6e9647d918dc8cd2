#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace ferry::agent::store {

// What a running agent says about itself in the registry (table `agents`).
struct AgentRegistration
{
    QByteArray id; // the agent id: 16 hex digits, new at every start
    QString host;
    QString version;
    qint64 pid = 0;
    qint64 uptimeMs = 0; // how long it has run: started_at is the database's now() minus this
    qint64 heartbeatMs = 5000;
    QString httpListen;
    QString apiListen; // empty: the API is off
};

// A row of the registry as GET /v1/agents shows it.
struct AgentRow
{
    QString id;
    QString host;
    QString version;
    qint64 pid = 0;
    QDateTime startedAt;
    QDateTime heartbeatAt;
    qint64 heartbeatMs = 0;
    QString httpListen;
    QString apiListen;
    bool alive = false;       // its heartbeat is younger than kMissedBeats of its intervals
    qint64 uptimeSeconds = 0; // to now, or to its last heartbeat when it is gone
    qint64 silentSeconds = 0; // since its last heartbeat
    QStringList jobs;         // singleton jobs its sessions hold the advisory lock of now
};

// The registry of the agents that share this database: each agent inserts its row at start,
// refreshes it every heartbeat and deletes it when it stops cleanly.
class AgentStore
{
public:
    // An agent that missed this many heartbeats in a row is shown as gone.
    static constexpr int kMissedBeats = 3;

    explicit AgentStore(PgConnection &db);

    // Inserts the agent's row or refreshes its heartbeat and the server process ids of its
    // sessions (PgConnection::openSessionPids()); removes the rows of agents gone for a day.
    Result<void> beat(const AgentRegistration &self, const QList<int> &sessionPids);
    // A clean stop: the agent's row goes.
    Result<void> remove(const QByteArray &id);
    // Every agent, the longest running first.
    Result<QList<AgentRow>> list();

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
