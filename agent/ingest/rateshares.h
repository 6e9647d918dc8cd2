#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ferry::agent::ingest {

// A tenant's per-second quota holds for all agents together (decision 0032): each agent admits
// only its share of it, and the shares follow where the tenant's producers send. Once per
// interval, on a thread and connection of its own, this agent reports how many events of each
// limited tenant it was asked to admit, reads the other agents' demands, and shares the quota
// out max-min fairly: every agent wants its demand and a fifth more (at least 5 % of the
// quota), agents that want less than an equal part get what they want, and the rest is split
// equally among the others. Agents that all want more than the quota therefore get exactly
// equal parts, whatever the noise in their demands, so the parts add up to the quota. Each
// agent shares out the reports as the table held them before its own (its previous one
// included): all agents work from nearly the same numbers, so a surge at all of them at once
// does not let each grab the room the others' stale reports seem to leave. An agent
// with no demand keeps a little room for the first events that come its way; one alone gets
// all of it. An agent goes on reporting a tenant for a while after its demand stopped (as 0),
// so the others take the room at once; a report counts for freshForMs() (ten intervals, at
// least 3 s: a busy agent's report may come late, and one missing must not make the others
// think they are alone). No event waits for the database: between exchanges the batch
// writer's token buckets run on the last shares. A tenant this agent has no share for yet (or
// only a stale one: the database unreachable) gets 1 / live agents.
class RateShares
{
public:
    struct Asked
    {
        qint64 tenantId = 0;
        qint64 events = 0; // asked since the last collection, admitted or not (0: none lately)
        qint64 limit = 0;  // the tenant's quota, events a second
    };
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        QByteArray agentId;
        qint64 intervalMs = 1000;
        // Takes (and resets) what was asked per limited tenant; called on this class's thread.
        std::function<QList<Asked>()> collect;
        // Hands over the new shares (tenant → fraction of its quota), valid for `validMs`, and
        // the number of live agents for tenants without one.
        std::function<void(const QHash<qint64, double> &shares, int liveAgents, qint64 validMs)>
            apply;
    };

    explicit RateShares(Options options);
    ~RateShares();
    RateShares(const RateShares &) = delete;
    RateShares &operator=(const RateShares &) = delete;

    void start();
    void stop();

    // How long a report counts, for a given interval.
    static qint64 freshForMs(qint64 intervalMs);
    // This agent's fraction of `limit` by the rule above, given its demand and the others'.
    static double share(qint64 mine, const QList<qint64> &others, qint64 limit);

private:
    void run();
    void exchangeOnce(qint64 elapsedMs);
    void warnOnce(const QString &message);

    Options m_options;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    struct Connection;
    std::unique_ptr<Connection> m_connection;
};

} // namespace ferry::agent::ingest
