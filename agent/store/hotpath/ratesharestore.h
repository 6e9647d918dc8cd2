#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace ferry::agent::store {

class PgConnection;

// The agents' demands on the tenants' per-second quotas (table rate_shares, decision 0032).
class RateShareStore
{
public:
    explicit RateShareStore(PgConnection &db);

    struct Demand
    {
        qint64 tenantId = 0;
        qint64 perSecond = 0; // events this agent was asked to admit, a second
    };
    // The fresh demands of one tenant as the table held them before this report: the same
    // snapshot every agent reads, so the shares they compute from it add up.
    struct Snapshot
    {
        qint64 mine = -1;     // this agent's previous report; -1: none fresh
        QList<qint64> others; // the other agents' reports
    };
    struct Exchange
    {
        QHash<qint64, Snapshot> tenants; // for each tenant this agent reported
        int liveAgents = 1;              // agents whose heartbeat is current, this one included
    };
    // Records this agent's demands and reads every agent's report fresher than `freshMs` as it
    // was before, in one statement.
    Result<Exchange> exchange(const QByteArray &agentId, const QList<Demand> &demands,
                              qint64 freshMs);
    // Deletes rows older than a minute (agents that stopped or left).
    Result<void> purge();

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
