#pragma once

#include "agent/ingest/eventsink.h"
#include "agent/ingest/rateshares.h"
#include "agent/ingest/schemacheck.h"
#include "agent/store/hotpath/ingeststore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>
#include <QUuid>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace ferry::agent::ingest {

// What the batch writer says about one event, after its transaction committed (or failed).
struct IngestReply
{
    enum class Status {
        Accepted,
        Duplicate,
        Conflict,
        Unauthorized,
        Unavailable,
        RateLimited,    // 429: events per second or per day
        TooLarge,       // 413: the tenant's payload limit
        Refused,        // 400: the database would not store this event
        SchemaMismatch, // 422: a strict tenant's event that does not match its schema
        TenantDisabled  // 403: an admin disabled the tenant (PATCH /v1/tenants/{t})
    };
    Status status = Status::Unavailable;
    QUuid eventId;
    QString message;
    int retryAfterSeconds = 0; // RateLimited, Unavailable
    QJsonObject members = {};  // SchemaMismatch: the problem's extension members
};

struct WriteRequest
{
    // SHA-256 of the producer's bearer token; empty when the front end authenticated the
    // producer itself and set item.tenantId (ZeroMQ with CURVE).
    QByteArray tokenHash;
    store::IngestItem item;
    // Called on the writer thread once the outcome is known; hop to your own thread from here.
    std::function<void(const IngestReply &)> done;
    // An event the agent makes itself (an inbound webhook's from its inbox, a workflow step's,
    // a schedule's slot): it follows what was accepted before, so a disabled tenant does not
    // refuse it. False: a producer's (HTTP or ZeroMQ ingest).
    bool agentMade = false;
    // The database partition a front end already placed it in (a ZeroMQ CURVE key names its
    // tenant's); -1: by its token (PartitionRouter). Unused with one database.
    int partition = -1;
};

// Group commit: requests from every ingest front end queue here. Each of `writers` lanes has
// its own thread and PostgreSQL connection; a lane takes all that is waiting for it (up to
// ingest.max_batch) and commits it in one transaction, then answers every request. While a
// commit runs, the next batch gathers, so the batch size follows the load with no artificial
// delay; with two lanes one builds or answers while the other's commit runs. A producer's
// requests always go to the same lane (by its shard key), so they commit in the order they
// arrived. The queue is bounded across lanes: when full, submit() refuses at once.
class BatchWriter final : public EventSink
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qsizetype queueLimit = 20000;
        qsizetype maxBatch = 500;
        QByteArray agentId; // with it, commits notify other agents (LISTEN ferry_work)
        int writers = 2;    // lanes
        // How long a producer token's tenant and a tenant's quotas, strict mode and disabled
        // state are kept before they are read again (ingest.tenant_refresh).
        qint64 tenantRefreshMs = 30'000;
        // How often the tenants' per-second quotas are shared out again among the agents
        // (ingest.quota_share_interval; RateShares). Needs agentId.
        qint64 quotaShareIntervalMs = 1000;
    };
    explicit BatchWriter(Options options);
    ~BatchWriter() override;

    void start();
    // Commits what is queued, answers it, and stops the thread.
    void stop();

    // False when the queue is full or the writer is stopping: answer 503 at once. The events
    // of one call are committed in the same transaction. Calls with the same shard key (one
    // producer: its connection or its key) are committed in the order they were made.
    bool submit(std::vector<WriteRequest> &&requests, quint64 shardKey = 0) override;

    // Called on a writer thread after each commit that created deliveries (from several
    // threads at once when there are several lanes).
    void setCommitListener(std::function<void(qint64 deliveries)> listener);

    qsizetype queued() const;
    // Why ingest is not ready: a lane without its database, or one that has not come round
    // its loop for `stuckMs` (a commit that hangs). Empty when every lane is fine.
    QString unready(qint64 stuckMs) const;
    // Only the second half: a lane that has not come round its loop for `stuckMs`. A lane
    // waiting for its database still comes round (it retries the connection every second).
    QString stalled(qint64 stuckMs) const;

private:
    struct Lane;
    void run(Lane &lane);
    // An idle lane keeps its connection open and checked, so that readiness is true.
    void idleCheck(Lane &lane);
    void processBatch(Lane &lane, std::vector<WriteRequest> &batch);
    // One commit of a batch's admitted events; `owners[i]` sent `items[i]`.
    struct Commit
    {
        Lane &lane;
        const QHash<qint64, qint64> &daily; // the daily limits to enforce in SQL
        QByteArray notify;                  // pg_notify payload, or empty
        QList<store::IngestItem> items;
        std::vector<WriteRequest *> owners;
    };
    static void failAll(std::vector<WriteRequest> &batch, const QString &message);
    // The events to commit; those without a tenant are answered 401 here.
    static void collect(std::vector<WriteRequest> &batch, const std::vector<bool> &refused,
                        Commit &commit);
    QByteArray notifyPayload();
    void commitItems(Commit &commit);
    void commitOneByOne(store::IngestStore &store, Commit &commit);
    static void failCommitted(Commit &commit, const Error &error);
    static IngestReply replyFor(const store::IngestOutcome &outcome, qint64 dailyLimit);
    // Opens the lane's connection if it is closed (PgConnection::open paces the attempts).
    bool ensureConnected(Lane &lane) const;
    // False when the lookup failed: the batch is then answered 503, never 401.
    bool resolveTenants(Lane &lane, std::vector<WriteRequest> &batch);
    // Applies payload and per-second quotas; returns the daily limits to enforce in SQL.
    // nullopt when the tenants' limits could not be read (the batch is then answered 503).
    std::optional<QHash<qint64, qint64>> admit(Lane &lane, std::vector<WriteRequest> &batch,
                                               std::vector<bool> &refused);
    // Loads the limits of the batch's tenants not cached (or expired), and the schema registries
    // of those in strict mode; false when they could not be read.
    bool refreshQuotas(Lane &lane, const std::vector<WriteRequest> &batch, qint64 now);
    // The registries of the tenants in `limits` that are in strict mode; nullopt when they could
    // not be read.
    std::optional<QHash<qint64, SchemaRegistry>>
    loadSchemas(Lane &lane, const QHash<qint64, store::IngestStore::TenantLimits> &limits);
    using StrictCheck = std::pair<size_t, std::shared_ptr<const SchemaRegistry>>;
    using Refusals = std::vector<std::pair<size_t, IngestReply>>;
    // Checks the events of strict tenants (index into `batch`, the tenant's registry) against
    // their schema, outside the cache lock; those that do not match are refused.
    static void checkSchemas(const std::vector<WriteRequest> &batch,
                             const std::vector<StrictCheck> &checks, std::vector<bool> &refused,
                             Refusals &refusals);
    struct TenantQuota;
    // The refusal for one event by its tenant's payload or per-second limit (taking a token
    // from the bucket when admitted); call under m_cacheMutex.
    static std::optional<IngestReply> overQuota(TenantQuota &quota, const WriteRequest &request,
                                                qint64 now, double share);
    // This agent's share of the tenant's per-second quota; call under m_cacheMutex.
    double quotaShare(const TenantQuota &quota, qint64 now) const;
    // RateShares' side: what was asked per limited tenant, and the shares that come back.
    QList<RateShares::Asked> collectAsked();
    void applyShares(const QHash<qint64, double> &shares, int liveAgents, qint64 validMs);
    // The refusal of a producer's event for a disabled tenant.
    static IngestReply disabledReply(const store::IngestStore::TenantLimits &limits);

    Options m_options;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::atomic<qsizetype> m_queuedEvents{0}; // across lanes, for ingest.queue_limit
    std::atomic<bool> m_stopping{false};
    std::function<void(qint64)> m_commitListener;

    // Shared by the lanes, under m_cacheMutex: never held across a database call.
    std::mutex m_cacheMutex;
    struct CachedTenant
    {
        qint64 tenantId = 0; // 0: no such token
        qint64 expiresAt = 0;
    };
    QHash<QByteArray, CachedTenant> m_tokens;
    struct TenantQuota
    {
        store::IngestStore::TenantLimits limits;
        qint64 expiresAt = 0;
        double tokens = 0; // token bucket for events per second, shared by all lanes
        qint64 refilledAt = 0;
        qint64 asked = 0;      // events asked for since RateShares last collected
        qint64 askedAt = -1;   // m_clock when the last one was asked for (-1: never)
        double share = 0;      // this agent's share of the per-second quota (RateShares) …
        qint64 shareUntil = 0; // … while m_clock is below this

        // The tenant's schema registry when it is in strict mode and has one; null otherwise
        // (then its events are not looked at). Replaced whole on refresh, shared with checks.
        std::shared_ptr<const SchemaRegistry> schemas;
    };
    QHash<qint64, TenantQuota> m_quotas;
    int m_liveAgents = 1; // for tenants without a share yet
    QElapsedTimer m_clock;
    std::unique_ptr<RateShares> m_shares;
    std::atomic<qint64> m_lastNotifyAt{-1'000'000};
};

} // namespace ferry::agent::ingest
