#pragma once

#include "agent/ingest/batchwriter.h"
#include "agent/ingest/eventsink.h"

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace ferry::agent::ingest {

// database.partitions: hands each producer's events to the batch writer of its tenant's
// database. A ZeroMQ CURVE request arrives placed (its key was found in one database). A
// token's database is looked up once, in every partition at the same time (a thread and a
// connection per database, so one that is slow or away does not hold up the others), and
// kept for ingest.tenant_refresh; then it is looked up again in the background while the old
// answer serves. The first database that knows the token settles it; only a token no database
// knows waits for all of them. While a token is looked up its requests wait here in order, so a
// producer's events still commit in the order they were sent. A token of a tenant the
// configuration places in another database than the one that holds it is refused (401, and an
// error in the log); one no database knows goes to main's writer, which refuses it as any
// unknown token. Unknown tokens are remembered apart from known ones, and both, the tokens
// waiting and the requests parked are bounded: a flood of made-up tokens gets 503, not memory,
// and never pushes out the routes of real producers.
class PartitionRouter final : public EventSink
{
public:
    struct Options
    {
        QStringList databaseUrls; // index: partition (0: main)
        int connectTimeoutSeconds = 5;
        qint64 refreshMs = 30'000;
        int retryAfterSeconds = 2;
        // The partition the configuration places a tenant in.
        std::function<int(const QString &tenant)> partitionOf;
        QStringList names; // the partitions' names, for messages
    };
    // `writers[i]` is partition i's; they outlive the router.
    PartitionRouter(std::vector<EventSink *> writers, Options options);
    ~PartitionRouter() override;

    void start();
    // Answers what still waits for a lookup (503) and stops the threads.
    void stop();

    bool submit(std::vector<WriteRequest> &&requests, quint64 shardKey) override;

private:
    struct Parked
    {
        std::vector<WriteRequest> requests;
        quint64 shardKey = 0;
    };
    struct Route
    {
        int partition = 0;       // where its requests go; -1: refused with `refusal`
        QString refusal;         // 401's detail
        qint64 expiresAt = 0;    // m_clock
        bool refreshing = false; // a background lookup runs
    };
    // A token being looked up: how many databases have yet to answer, whether one could not.
    struct Pending
    {
        int unanswered = 0;
        bool failed = false;
        bool fresh = false;         // a token without a route (counted in m_newTokens)
        std::vector<Parked> parked; // none when it refreshes a known route
    };
    // Requests to answer once m_mutex is released.
    struct Answer
    {
        std::vector<WriteRequest> requests;
        IngestReply reply;
    };
    struct Worker;

    void runWorker(Worker &worker);
    QList<QByteArray> takeWork(Worker &worker);
    // Under m_mutex: queues a lookup of `hash` with every database.
    void lookUp(const QByteArray &hash, Pending pending);
    // Under m_mutex: one database's answer for `hashes` (nullopt: it could not be asked).
    void record(int partition, const QList<QByteArray> &hashes,
                const std::optional<QHash<QByteArray, QString>> &tenants,
                std::vector<Answer> &answers);
    Route placed(int holder, const QString &tenant) const;
    // Under m_mutex: the lookup of `hash` ends; nullopt when no database that answered knows it.
    void settle(const QByteArray &hash, Pending &pending, std::optional<Route> route,
                std::vector<Answer> &answers);
    // Under m_mutex: the requests go to their route's writer; those it cannot take, to `answers`.
    bool deliver(const Route &route, std::vector<WriteRequest> &&requests, quint64 shardKey,
                 std::vector<Answer> &answers);
    static void answerAll(std::vector<Answer> &answers);

    std::vector<EventSink *> m_writers;
    Options m_options;
    std::mutex m_mutex;
    bool m_stop = false;
    QElapsedTimer m_clock;
    QHash<QByteArray, Route> m_routes;   // tokens a database knows
    QHash<QByteArray, qint64> m_unknown; // tokens none knows, until (m_clock)
    QHash<QByteArray, Pending> m_pending;
    qsizetype m_parkedRequests = 0;
    qsizetype m_newTokens = 0;                      // pending lookups of tokens without a route yet
    std::vector<std::unique_ptr<Worker>> m_workers; // index: partition
};

} // namespace ferry::agent::ingest
