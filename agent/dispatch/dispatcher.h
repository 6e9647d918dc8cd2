#pragma once

#include "agent/adapters/adapterset.h"
#include "agent/guards/breaker.h"
#include "agent/routing/upcast.h"
#include "agent/store/hotpath/deliverystore.h"
#include "agent/store/hotpath/guardstore.h"
#include "agent/store/pgconnection.h"
#include "shared/retrypolicy.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace ferry {
class MasterKey;
}

namespace ferry::agent::adapters {
class Adapter;
class CurlMulti;
class SsrfGuard;
class SsrfPolicy;
struct Outcome;
struct Delivery;
} // namespace ferry::agent::adapters

namespace ferry::agent::templates {
class MessageRenderer;
}

namespace ferry::agent::dispatch {

class ConcurrencyLimiter;

// Claims due deliveries (FOR UPDATE SKIP LOCKED, with a lease), hands each to the adapter of its
// channel (many in flight on one thread), and records every attempt. It claims again as soon as
// a claim found work and slots are free, so it is never idle while work is due; completions are
// flushed in batches, fenced by the lease token, so a delivery rescued by another agent is never
// completed twice. Runs on its own thread.
class Dispatcher
{
public:
    // At most this many deliveries per claim statement; with free slots the next claim follows
    // at once. A claim's duration grows with its size, and a delivery to another endpoint that
    // becomes due meanwhile waits for it: smaller claims keep that wait short (fairness), more
    // slots keep enough in flight (throughput).
    static constexpr int kClaimAtMost = 256;

    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        int maxInFlight = 256;
        qint64 leaseMs = 60'000;
        qint64 pollIntervalMs = 1'000;
        RetryPolicy retry; // the default; endpoints may set their own
        qint64 retryAfterCapMs = 3'600'000;
        qint64 timeoutMs = 15'000;
        adapters::AdapterOptions adapters; // timeoutMs and ssrfGuard are copied into it at start
        int maxPerEndpoint = 16;           // concurrent requests to one endpoint
        qint64 graceMs = 10'000;
        ConcurrencyLimiter *limiter = nullptr; // shared by the workers of one agent
        QByteArray agentId;                    // notifications from this agent are ignored
        bool runsRescuer = true;               // one worker per agent looks for lost leases
        const adapters::SsrfGuard *ssrfGuard = nullptr;
        // Each tenant's guard (its allow-list over the agent's); null: ssrfGuard for everyone.
        adapters::SsrfPolicy *ssrfPolicy = nullptr;
        guards::BreakerSettings breaker;
        // Opens the credentials routes sign with; null: such deliveries wait (retryable).
        const MasterKey *masterKey = nullptr;
        // The adapters of one worker, made on its thread over its libcurl multi handle; unset:
        // adapters::makeAdapters().
        std::function<std::vector<std::unique_ptr<adapters::Adapter>>(adapters::CurlMulti &)>
            makeAdapters;
    };

    struct Stats
    {
        std::atomic<qint64> attempts{0};
        std::atomic<qint64> succeeded{0};
        std::atomic<qint64> retried{0};
        std::atomic<qint64> dead{0};
        std::atomic<qint64> fenced{0}; // completions refused because the lease was lost
    };

    explicit Dispatcher(Options options);
    ~Dispatcher();

    void start();
    // Stops claiming, lets in-flight attempts finish within the grace period, releases the
    // rest, flushes outcomes, and joins the thread.
    void stop();
    // Asks the thread to stop without waiting (stop() then waits); lets several workers wind
    // down in parallel within one grace period.
    void requestStop();
    // Thread-safe: due work may be waiting (called after a local commit).
    void wake();

    const Stats &stats() const { return m_stats; }
    // Why this worker is not ready: no database, or its loop has not turned for `stuckMs`.
    // Empty when it is fine; callable from any thread.
    QString unready(qint64 stuckMs) const;
    // Only a loop that has not turned for `stuckMs` (or not started); a worker without its
    // database still turns its loop, reconnecting.
    QString stalled(qint64 stuckMs) const;

private:
    struct InFlight;

    void run();
    void step(qint64 now);
    void pumpTransfers(bool stopping);
    bool doneStopping(qint64 graceDeadline);
    bool ensureConnected();
    void claim();
    void startTransfer(const store::ClaimedDelivery &delivery);
    void launch(const store::ClaimedDelivery &delivery);
    int busySlots() const;
    // The endpoint's own concurrency cap, or the agent's default.
    int capFor(const store::ClaimedDelivery &delivery) const;
    void onOutcome(const QUuid &deliveryId, const adapters::Outcome &outcome);
    // Records an attempt that ended without reaching an adapter (disabled endpoint, no
    // credential, no adapter for the channel).
    void finishUnsent(const store::ClaimedDelivery &delivery, const adapters::Outcome &outcome);
    store::Completion completionFor(const store::ClaimedDelivery &d, const adapters::Outcome &r,
                                    qint64 durationMs, const QDateTime &startedAt);
    void appendCompletion(const store::Completion &c, const QString &channel, double seconds);
    bool flushDue() const;
    void flushCompletions();
    void recordOneByOne(store::DeliveryStore &store);
    void rescue();
    // Reports the outcomes gathered since the last report to the breakers (every agent's
    // outcomes meet there), and holds back what waits for a breaker that just opened.
    void reportToBreakers();
    void noteForBreakers(const store::ClaimedDelivery &d, const adapters::Outcome &outcome);
    // The delivery as its adapter sees it, or the outcome of an attempt that cannot be made
    // (a credential that does not open, a message that does not render).
    Result<adapters::Delivery, adapters::Outcome> prepare(const store::ClaimedDelivery &delivery);
    Result<void, adapters::Outcome> render(adapters::Delivery &value,
                                           const store::ClaimedDelivery &delivery);
    // The payload in a schema version the route takes (its upcasts applied), or the permanent
    // outcome of a delivery whose version the route cannot take.
    Result<void, adapters::Outcome> upcast(adapters::Delivery &value,
                                           const store::ClaimedDelivery &delivery);
    // A route's upcasts, parsed once per text.
    const QList<routing::Upcast> &upcastsOf(const QByteArray &json);
    void extendLeases();
    void launchWaiting();
    void readNotifications();
    const RetryPolicy &policyFor(const QString &retrySchedule);
    // Sets a retryable attempt's next state: retry_wait with a delay, or dead once out of
    // attempts or age.
    void scheduleRetry(store::Completion &c, const store::ClaimedDelivery &d,
                       const adapters::Outcome &r);
    // The credential a route names, opened with the master key.
    Result<QJsonObject> openCredential(const store::SealedCredential &credential);
    void releaseAll();
    qint64 pollTimeout() const;
    void noteDbError(const char *what, const Error &e);

    Options m_options;
    Stats m_stats;
    std::thread m_thread;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_wakeRequested{true};
    std::atomic<qint64> m_beat{0}; // steady ms of the last turn of the loop (0: not started)
    std::atomic<bool> m_databaseUp{false};

    // Dispatcher-thread state.
    std::unique_ptr<adapters::CurlMulti> m_multi;
    QHash<QString, adapters::Adapter *> m_adapters; // by channel
    std::vector<std::unique_ptr<adapters::Adapter>> m_ownedAdapters;
    store::PgConnection m_db;
    std::unique_ptr<templates::MessageRenderer> m_renderer; // over m_db
    QElapsedTimer m_clock;
    QString m_lastDbError;
    bool m_claimAgain = true; // the last claim found work, or a slot freed since
    qint64 m_nextPollAt = 0;
    qint64 m_nextRescueAt = 0;
    qint64 m_nextRetryDueAt = -1;
    qint64 m_oldestCompletionAt = -1;
    QHash<QUuid, std::shared_ptr<InFlight>> m_inFlight;
    // Claimed deliveries waiting for their endpoint's concurrency cap (another worker of this
    // agent took the last slot between the claim and the launch). They wait here rather than in
    // libcurl's queue so that webhook.timeout measures the request alone.
    QHash<qint64, QList<store::ClaimedDelivery>> m_waiting;
    qsizetype m_waitingCount = 0;
    qint64 m_nextLeaseExtensionAt = 0;
    QHash<QString, RetryPolicy> m_policies;              // endpoint schedules, parsed once
    QHash<QByteArray, QList<routing::Upcast>> m_upcasts; // route upcasts, parsed once
    QHash<QByteArray, QJsonObject> m_openedCredentials;  // by the sealed value's nonce
    QHash<store::GuardKey, guards::BreakerDelta> m_breakerDeltas;
    qint64 m_nextBreakerReportAt = 0;
    QList<store::Completion> m_completions;
    QRandomGenerator m_rng;
};

} // namespace ferry::agent::dispatch
