#pragma once

#include <functional>

#include "agent/store/admin/credentialstore.h"
#include "agent/store/pgconnection.h"
#include "shared/sealedvalue.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUuid>

namespace ferry::agent::store {

// A delivery claimed by this agent, with everything needed to send it.
struct ClaimedDelivery
{
    QUuid id;
    qint64 leaseToken = 0; // fencing token: completions must present it
    int attempt = 0;       // this attempt's number, 1-based
    QUuid eventId;
    qint64 endpointId = 0;
    QString channel; // webhook, null, …: which adapter sends it
    QString url;
    QByteArray secret;        // in clear: no master key sealed it yet
    SealedValue sealedSecret; // or sealed; opened by the dispatcher
    bool endpointEnabled = true;
    QByteArray payload;
    QDateTime createdAt;
    // The endpoint's policy; empty or 0: the agent's defaults.
    QString retrySchedule;
    int maxAttempts = 0;
    qint64 maxAgeSeconds = 0;
    int maxConcurrency = 0;
    // The route's credential (id 0: none, sign with `secret`); opened by the dispatcher.
    SealedCredential credential;
    qint64 accountId = 0; // the credential's id: the provider account whose guards apply
    QString provider;     // the credential's provider; empty: none
    QString baseUrl;      // the provider account's base URL; empty: the provider's own
    qint64 tenantId = 0;
    QString eventType;
    // The event's schema version (empty: none), the versions the route takes (empty: every
    // one) and its upcasts (JSON, empty: none; see routing/upcast.h).
    QString schemaVersion;
    QStringList schemaVersions;
    QByteArray upcasts;
    // A test send's (POST /v1/routes/{num}/test): one attempt, and closed as discarded instead
    // of dead when it fails (decision 0029).
    bool test = false;
};

// The recorded result of one attempt.
struct Completion
{
    // Discarded: a failed test send, closed without reaching the dead-letter queue.
    enum class State { Succeeded, RetryWait, Dead, Discarded };
    QUuid id;
    qint64 leaseToken = 0;
    int attempt = 0;
    State state = State::Succeeded;
    qint64 retryDelayMs = 0;
    QString outcome; // succeeded | retryable | permanent | gone | unknown | cancelled
    QString providerMessageId;
    int statusCode = 0;
    QString error;
    QString deadReason;
    qint64 durationMs = 0;
    QDateTime startedAt;
    qint64 endpointId = 0;
    bool endpointGone = false; // 410: disable the endpoint and dead-letter its open deliveries
    QString output;            // what an exec job printed; null: nothing to record
};

// The SQL of the dispatch path: claim with leases, fenced completion, lease rescue, release.
class DeliveryStore
{
public:
    explicit DeliveryStore(PgConnection &db);

    // Subscribes the connection to the notifications that commits of new deliveries send
    // (IngestStore::commitBatch, DLQ replays); PgConnection::takeNotifications() reads them.
    Result<void> listenForWork();

    // Claims up to `limit` due deliveries, oldest first within an endpoint and round-robin
    // across endpoints (every endpoint's first before any endpoint's second), so a backlog at
    // one endpoint cannot starve the others. An endpoint takes at most its cap (its own
    // max_concurrency, else `defaultCap`) minus what `inUse` says it already has in flight; an
    // endpoint with no room is not looked at. `room` holds endpoints to fewer (the guards: open
    // breakers, empty token buckets, provider accounts at their cap; 0: none now).
    Result<QList<ClaimedDelivery>> claim(int limit, qint64 leaseMs, int defaultCap,
                                         const QHash<qint64, int> &inUse = {},
                                         const QHash<qint64, int> &room = {});
    // claim() within the guards, for the dispatcher: under the claim lock (one claim at a time
    // across agents), with the leased deliveries of every agent counted against the caps, open
    // breakers and empty token buckets holding their routes and accounts back, and tokens and
    // probes spent for what was claimed. `outOfTokens`: a bucket ran dry (claim again soon).
    Result<QList<ClaimedDelivery>> claimGuarded(int limit, qint64 leaseMs, int defaultCap,
                                                bool *outOfTokens);
    // Applies completions in one transaction; those whose fencing token no longer matches
    // (the lease was taken over) change nothing. Returns how many were applied.
    Result<qint64> complete(const QList<Completion> &completions);
    // How many attempts a delivery of a route gets: from the route's retry schedule ('' when it
    // has none) and its max_attempts (0 when unset).
    using AttemptLimit = std::function<int(const QString &retrySchedule, int maxAttempts)>;
    // Returns deliveries whose lease expired to the queue, or to the DLQ once they have used
    // their attempts. One agent at a time: returns 0 without doing anything when another holds
    // the rescuer's advisory lock.
    Result<qint64> rescueExpired(const AttemptLimit &attemptLimit);
    // Extends the leases of deliveries still being worked on; returns how many it extended
    // (fewer than given: some leases were lost to a rescue).
    Result<qint64> extendLeases(const QList<QPair<QUuid, qint64>> &claims, qint64 leaseMs);
    // EXPLAIN ANALYZE of the claim and of the completion of what it claimed, as the dispatcher
    // runs them, inside a transaction that is rolled back: nothing changes.
    Result<QString> explainHotPaths(int limit, qint64 leaseMs, int defaultCap);
    // Gives back claimed deliveries that were never attempted (graceful shutdown).
    Result<qint64> release(const QList<QPair<QUuid, qint64>> &claims);

private:
    // Disables endpoints that answered 410 Gone and sends their open deliveries to the DLQ.
    Result<void> disableGoneEndpoints(const QList<qint64> &goneEndpoints);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
