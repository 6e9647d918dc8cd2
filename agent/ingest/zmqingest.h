#pragma once

#include "agent/ingest/zmqrequest.h"
#include "shared/ingestanswer.h"
#include "shared/result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace zmq {
class message_t;
}

namespace ferry::agent::store {
class PgConnection;
}

namespace ferry::agent::ingest {

class EventSink;
struct IngestReply;
struct WriteRequest;
struct ZmqPending;

// ZeroMQ ingest (docs/protocol.md): a ROUTER socket that producers' DEALER sockets connect to.
// Requests are pipelined, each with a client request id; the answer (ACK or NACK) leaves only
// after the batch writer's commit. With CURVE (the default) a ZAP handler, bound before the
// ROUTER and living on the same thread, maps each producer's public key to its tenant; keys are
// reloaded from the database every few seconds, and when a key is revoked the ROUTER socket is
// rebuilt so that every connection re-authenticates (producers reconnect by themselves).
class ZmqIngest
{
public:
    struct Options
    {
        QString listen = QStringLiteral("tcp://*:7600");
        bool curve = true;
        QByteArray serverSecretKey; // Z85, with curve
        qint64 maxMessageBytes = 1 << 20;
        qint64 maxUnreadPerConnection = 32LL << 20; // zmq.max_unread_bytes
        qint64 maxUnreadTotal = 128LL << 20;        // zmq.max_unread_total
        QString databaseUrl;                        // for the producer key refresh
        // database.partitions: the other partitions' databases (partition i + 1) and where the
        // configuration places a tenant. A key is accepted from the database that holds its
        // tenant, and its requests carry that partition (WriteRequest::partition).
        QStringList partitionUrls;
        std::function<int(const QString &tenant)> partitionOf;
        int connectTimeoutSeconds = 5;
        qint64 keyRefreshMs = 2000;
        int retryAfterSeconds = 2;
    };
    ZmqIngest(EventSink &writer, Options options);
    ~ZmqIngest();

    // Binds the ZAP handler, then the ROUTER socket; fails (and binds nothing) when either
    // cannot be bound. `zapContext`: for tests, a libzmq context to use instead of a new one.
    Result<void> start(void *zapContext = nullptr);
    // Stops reading new requests; answers to requests already read still go out.
    void stopAccepting();
    // Waits up to `graceMs` for outstanding answers, then stops the thread.
    void stop(qint64 graceMs = 5000);
    int pendingRequests() const { return m_pending.load(); }

private:
    struct Reply
    {
        QList<QByteArray> frames; // routing id first
    };
    class Loop;

    Result<void> bindSockets();
    // The socket thread: replies out, ZAP requests answered, requests in.
    void runLoop();
    // Watches the ROUTER's connections (its socket monitor) for the memory guard.
    void watchConnections();
    void readMonitor();
    void enforceMemoryBounds();
    void drainWakeFd() const;
    bool stopIsDue(QElapsedTimer &sinceStop) const;
    void rebuildRouter();
    void sendReplies();
    void readRequests(std::vector<zmq::message_t> &frames);
    void runRefresher(int partition);
    void refreshKeys();
    void refreshPartition(int index, store::PgConnection &db);
    QStringList databaseUrls() const; // index: partition
    // Partition `index`'s active keys as ZAP user ids; an error when its database cannot be read.
    Result<QHash<QByteArray, QByteArray>> loadKeys(int index, store::PgConnection &db);
    void wake();
    // Queues an answer for the socket thread and wakes it. ferry/1: the frames routing id,
    // version, request id, kind, body; ferry/2: routing id and one frame with all of them.
    void post(ZmqProtocol protocol, const QByteArray &routing, const QByteArray &requestId,
              wire::AnswerKind kind, QByteArray body);
    void handleZap(void *zap);
    void handleRequest(std::vector<zmq::message_t> &frames);
    // Answers NACK before any event reached the batch writer.
    void refuse(const ZmqRequest &request, const ZmqRefusal &refusal);
    void submit(const ZmqRequest &request, const std::shared_ptr<ZmqPending> &pending,
                std::vector<WriteRequest> &&requests);
    // One event's outcome, on the writer thread; the last one answers the request.
    void answered(const std::shared_ptr<ZmqPending> &pending, qsizetype index,
                  const IngestReply &reply);
    void finish(ZmqPending &pending);
    std::pair<wire::AnswerKind, QByteArray> batchAnswer(ZmqPending &pending) const;
    std::pair<wire::AnswerKind, QByteArray> singleAnswer(ZmqPending &pending) const;

    EventSink &m_writer;
    Options m_options;
    std::unique_ptr<Loop> m_loop;
    std::thread m_thread;
    std::vector<std::thread> m_refreshers; // one per database
    std::atomic<bool> m_stopAccepting{false};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_rebuild{false};
    std::atomic<int> m_pending{0}; // requests read and not yet answered
    std::atomic<qint64> m_stopGraceMs{5000};
    int m_wakeFd = -1;
    std::atomic<bool> m_woken{false};

    std::mutex m_mutex; // guards m_replies, m_keys, m_keysLoaded
    std::condition_variable m_refreshWake;
    QList<Reply> m_replies;
    QHash<QByteArray, QByteArray> m_keys; // Z85 public key → ZAP user id ("tenant" or "p/tenant")
    bool m_keysLoaded = false;
    // Each partition's last keys (kept while its database is down; under m_mutex), and the
    // misplaced keys and the refresh error already logged (each partition's refresher its own).
    std::vector<QHash<QByteArray, QByteArray>> m_partitionKeys;
    std::vector<QSet<QByteArray>> m_misplacedLogged;
    std::vector<QString> m_refreshErrors; // each partition's last, logged once
};

} // namespace ferry::agent::ingest
