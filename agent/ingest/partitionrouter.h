#pragma once

#include "agent/ingest/eventsink.h"

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace ferry::agent::store {
class PgConnection;
}

namespace ferry::agent::ingest {

struct IngestReply;

// database.partitions: hands each producer's events to the batch writer of its tenant's
// database. A ZeroMQ CURVE request arrives placed (its key was found in one database); a
// token's database is looked up once on a thread of its own, in every partition, and kept for
// ingest.tenant_refresh (then looked up again in the background while the old answer serves).
// While a token is looked up its requests wait here, in order, so a producer's events still
// commit in the order they were sent. A token of a tenant that the configuration places in
// another database than the one that holds it is refused (401, and an error in the log); one
// that no database knows goes to main's writer, which refuses it as any unknown token.
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
    // Answers what still waits for a lookup (503) and stops the thread.
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
        bool refreshing = false; // a background lookup is queued
    };
    struct Lookup;

    void run();
    Lookup lookUp(const QList<QByteArray> &hashes);
    std::optional<Route> decide(const QByteArray &hash, const Lookup &found) const;
    // Under m_mutex: queues the requests for their route (or refuses them).
    bool deliver(const Route &route, std::vector<WriteRequest> &&requests, quint64 shardKey);
    void settle(const QList<QByteArray> &hashes, const Lookup &found);
    static void answerAll(std::vector<WriteRequest> &requests, const IngestReply &reply);

    std::vector<EventSink *> m_writers;
    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    QElapsedTimer m_clock;
    QHash<QByteArray, Route> m_routes;
    QHash<QByteArray, std::vector<Parked>> m_parked; // tokens being looked up first
    qsizetype m_parkedRequests = 0;
    std::deque<QByteArray> m_queue;                                  // tokens to look up
    std::vector<std::unique_ptr<store::PgConnection>> m_connections; // the thread's, by partition
    std::thread m_thread;
};

} // namespace ferry::agent::ingest
