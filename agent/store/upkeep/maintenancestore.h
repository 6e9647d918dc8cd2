#pragma once

#include "agent/store/pgconnection.h"

namespace ferry::agent::store {

// One batch of a purge: each batch is one short transaction over at most `batch` rows, found
// through an index, so it costs the same however large the table is (decision 0019).
struct PurgeBatch
{
    qint64 taken = 0;   // rows the batch took; fewer than asked for: nothing older is left
    qint64 removed = 0; // rows it deleted (deliveries, events or audit entries)
    qint64 events = 0;  // events deleted with their last delivery (delivery purges only)
    // Where the next batch of the same pass starts (the position of the newest row this batch
    // reached, an opaque text); unchanged when it took nothing. Later batches then do not walk
    // again over the index entries of rows removed before vacuum has cleared them.
    QByteArray next;
};

// The SQL of background upkeep. Singleton jobs take a PostgreSQL advisory lock so that one
// agent of several runs them; the lock dies with its holder's connection.
class MaintenanceStore
{
public:
    // The advisory locks of the singleton jobs (LeaseRescue: DeliveryStore::rescueExpired).
    enum class Lock : qint64 { Retention = 7316101, Reconcile = 7316102, LeaseRescue = 7316103 };
    // The lower bound of a pass's first batch.
    static constexpr const char *kFromStart = "-infinity";

    explicit MaintenanceStore(PgConnection &db);

    Result<bool> tryLock(Lock lock);
    void unlock(Lock lock);
    // Deletes up to `batch` dedupe keys older than `retentionMs` in one short transaction.
    Result<qint64> purgeIngestKeys(qint64 retentionMs, int batch);

    // The database's now() minus `retentionMs`, as text: the fixed cutoff of one pass.
    Result<QByteArray> cutoff(qint64 retentionMs);
    Result<QList<qint64>> tenantIds();

    // History purges. Rows strictly older than `cutoff` and not older than `from` go; `from` is
    // kFromStart for the first batch of a pass, then the previous batch's `next`.
    //
    // Succeeded and discarded deliveries, with their attempts and notes (by the cascade). With
    // a non-null `eventCutoff`, the events whose last delivery this was and that were received
    // before it go in the same transaction.
    Result<PurgeBatch> purgeFinishedDeliveries(const QByteArray &cutoff, const QByteArray &from,
                                               const QByteArray &eventCutoff, int batch);
    // The same for dead deliveries of one tenant, except those that hold their partition
    // (an ordered endpoint with on_dead 'block' waits for an operator).
    Result<PurgeBatch> purgeDeadDeliveries(qint64 tenantId, const QByteArray &cutoff,
                                           const QByteArray &from, const QByteArray &eventCutoff,
                                           int batch);
    // Events of one tenant received before `cutoff` that have no delivery left, looking at
    // `batch` events from `from` on (kFromStart, a time, or the previous batch's `next`).
    Result<PurgeBatch> purgeEvents(qint64 tenantId, const QByteArray &cutoff,
                                   const QByteArray &from, int batch);
    Result<PurgeBatch> purgeAudit(const QByteArray &cutoff, const QByteArray &from, int batch);

private:
    // Runs a delivery purge statement (its rows: count, newest finished_at, event ids) and the
    // deletion of the events it left without deliveries, in one transaction.
    Result<PurgeBatch> purgeDeliveries(const char *sql, const QList<QByteArray> &params,
                                       const QByteArray &from, const QByteArray &eventCutoff);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
