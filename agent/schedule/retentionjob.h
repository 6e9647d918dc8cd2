#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace ferry::agent::store {
class MaintenanceStore;
} // namespace ferry::agent::store

namespace ferry::agent::schedule {

// Keeps the database to its retention windows, every maintenance.interval: the ingest dedupe
// store (ingest.dedupe_retention) and the history (retention.*: finished deliveries with their
// attempts and notes, dead deliveries, events left without deliveries, the audit log). It
// deletes in small batches, each its own short transaction found through an index, pausing
// between batches (decision 0019). With several agents on one database, the one holding the
// retention advisory lock does it; if that agent dies, the lock goes with its connection and
// the next agent's run takes over.
class RetentionJob
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qint64 intervalMs = 60'000;
        qint64 dedupeRetentionMs = 7LL * 86'400'000;
        // 0 turns a purge off.
        qint64 deliveriesRetentionMs = 30LL * 86'400'000; // succeeded and discarded
        qint64 deadRetentionMs = 0;                       // dead: the DLQ; off by default
        qint64 eventsRetentionMs = 30LL * 86'400'000;     // once no delivery is left
        qint64 auditRetentionMs = 365LL * 86'400'000;
        int batch = 5000;
        qint64 batchPauseMs = 20; // between two batches, for the rest of the database
    };

    // What one pass removed.
    struct Purged
    {
        bool ran = false; // false: the database was unreachable or another agent holds the lock
        qint64 dedupeKeys = 0;
        qint64 deliveries = 0; // succeeded and discarded, with their attempts and notes
        qint64 deadDeliveries = 0;
        qint64 events = 0;
        qint64 auditEntries = 0;
    };

    explicit RetentionJob(Options options);
    ~RetentionJob();

    void start();
    void stop();

    // One pass, on the calling thread (the job's thread calls it every interval). Not to be
    // called while the job's thread runs.
    Purged runOnce();

private:
    void run();
    // Waits batchPauseMs; false when the job is stopping.
    bool pause();
    struct Cutoffs
    {
        QByteArray deliveries;
        QByteArray dead;
        QByteArray events;
        QByteArray audit;
    };
    std::optional<Cutoffs> cutoffs(store::MaintenanceStore &store) const;
    void purgeHistory(store::MaintenanceStore &store, Purged &purged);
    bool purgeDead(store::MaintenanceStore &store, const Cutoffs &c, const QList<qint64> &tenants,
                   Purged &purged);
    bool purgeEvents(store::MaintenanceStore &store, const QByteArray &cutoff,
                     const QList<qint64> &tenants, Purged &purged);

    Options m_options;
    // Events received before this were looked at by an earlier pass and then still had
    // deliveries; the delivery purges remove them with their last delivery. Each pass looks
    // only at the events that crossed the events cutoff since, so a large DLQ (which keeps
    // its events) is not walked again every minute. Starts over with each agent.
    QByteArray m_eventsSweptTo;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
};

} // namespace ferry::agent::schedule
