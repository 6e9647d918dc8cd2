#include "agent/schedule/retentionjob.h"

#include "agent/app/logging.h"
#include "agent/store/upkeep/maintenancestore.h"
#include "shared/failpoint.h"

#include <QElapsedTimer>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace ferry::agent::schedule {

namespace {

enum class Drained {
    Done,   // nothing older is left
    Failed, // a statement failed: go on with the other purges
    Abort,  // the connection is lost, or the job is stopping: end the pass
};

// Runs batches of `purge` (given where each starts) until one takes fewer rows than asked for.
template <typename Purge>
Drained drainBatches(const char *what, QByteArray from, int batch,
                     const std::atomic<bool> &stopping, Purge &&purge,
                     const std::function<bool()> &pause, qint64 &removed, qint64 &events)
{
    while (!stopping.load()) {
        auto r = purge(from);
        if (!r) {
            qCWarning(lcSchedule).noquote() << what << "purge stopped:" << r.error().message;
            return r.error().connectionLost ? Drained::Abort : Drained::Failed;
        }
        const auto &b = *r;
        removed += b.removed;
        events += b.events;
        from = b.next;
        if (b.taken < batch)
            return Drained::Done;
        if (!pause())
            return Drained::Abort;
    }
    return Drained::Abort;
}

} // namespace

RetentionJob::RetentionJob(Options options)
    : m_options(std::move(options))
{}

RetentionJob::~RetentionJob()
{
    stop();
}

void RetentionJob::start()
{
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void RetentionJob::stop()
{
    m_stop = true;
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void RetentionJob::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop.load()) {
        lock.unlock();
        runOnce();
        lock.lock();
        m_wake.wait_for(lock, std::chrono::milliseconds(m_options.intervalMs),
                        [this] { return m_stop.load(); });
    }
}

bool RetentionJob::pause()
{
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, std::chrono::milliseconds(m_options.batchPauseMs),
                            [this] { return m_stop.load(); });
}

RetentionJob::Purged RetentionJob::runOnce()
{
    Purged purged;
    store::PgConnection db;
    if (!db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds))
        return purged; // the ingest and dispatch paths report an unreachable database
    store::MaintenanceStore store(db);
    auto locked = store.tryLock(store::MaintenanceStore::Lock::Retention);
    if (!locked || !*locked)
        return purged; // another agent does it
    purged.ran = true;
    FERRY_FAILPOINT("retention.locked");
    while (!m_stop.load()) {
        auto keys = store.purgeIngestKeys(m_options.dedupeRetentionMs, m_options.batch);
        if (!keys) {
            qCWarning(lcSchedule).noquote() << "dedupe purge stopped:" << keys.error().message;
            break;
        }
        purged.dedupeKeys += *keys;
        if ((*keys) < m_options.batch)
            break;
    }
    if (purged.dedupeKeys > 0)
        qCInfo(lcSchedule) << "purged" << purged.dedupeKeys
                           << "dedupe keys past ingest.dedupe_retention";

    QElapsedTimer clock;
    clock.start();
    if (!m_stop.load() && !db.isBroken())
        purgeHistory(store, purged);
    store.unlock(store::MaintenanceStore::Lock::Retention);
    if (purged.deliveries + purged.deadDeliveries + purged.events + purged.auditEntries > 0)
        qCInfo(lcSchedule).noquote()
            << u"purged history past retention.*: %1 finished deliveries with their attempts "
               "and notes, %2 dead deliveries, %3 events, %4 audit entries (%5 s)"_s.arg(
                   QString::number(purged.deliveries), QString::number(purged.deadDeliveries),
                   QString::number(purged.events), QString::number(purged.auditEntries),
                   QString::number(double(clock.elapsed()) / 1000.0, 'f', 1));
    return purged;
}

// The cutoff of each purge; a null one: that purge is off. Empty when the database could not
// say.
std::optional<RetentionJob::Cutoffs> RetentionJob::cutoffs(store::MaintenanceStore &store) const
{
    Cutoffs c;
    for (const auto &[retentionMs, cutoff] :
         {std::pair{m_options.deliveriesRetentionMs, &c.deliveries},
          {m_options.deadRetentionMs, &c.dead},
          {m_options.eventsRetentionMs, &c.events},
          {m_options.auditRetentionMs, &c.audit}}) {
        if (retentionMs <= 0)
            continue;
        auto at = store.cutoff(retentionMs);
        if (!at) {
            qCWarning(lcSchedule).noquote() << "history purge stopped:" << at.error().message;
            return std::nullopt;
        }
        *cutoff = *at;
    }
    return c;
}

void RetentionJob::purgeHistory(store::MaintenanceStore &store, Purged &purged)
{
    const auto c = cutoffs(store);
    if (!c)
        return;
    const int n = m_options.batch;
    const std::function<bool()> pauseFn = [this] { return pause(); };
    // Deliveries take their events along only when events are purged at all.
    if (!c->deliveries.isNull()) {
        const auto d = drainBatches(
            "finished deliveries", store::MaintenanceStore::kFromStart, n, m_stop,
            [&](const QByteArray &from) {
                return store.purgeFinishedDeliveries(c->deliveries, from, c->events, n);
            },
            pauseFn, purged.deliveries, purged.events);
        if (d == Drained::Abort)
            return;
    }
    QList<qint64> tenants;
    if (!c->dead.isNull() || !c->events.isNull()) {
        auto t = store.tenantIds();
        if (!t) {
            qCWarning(lcSchedule).noquote() << "history purge stopped:" << t.error().message;
            return;
        }
        tenants = *t;
    }
    if (!purgeDead(store, *c, tenants, purged) || !purgeEvents(store, c->events, tenants, purged))
        return;
    if (!c->audit.isNull()) {
        qint64 none = 0; // the audit log has no events to count
        (void)drainBatches(
            "audit log", store::MaintenanceStore::kFromStart, n, m_stop,
            [&](const QByteArray &from) { return store.purgeAudit(c->audit, from, n); }, pauseFn,
            purged.auditEntries, none);
    }
}

// Dead deliveries past their window, tenant by tenant. False when the pass must end.
bool RetentionJob::purgeDead(store::MaintenanceStore &store, const Cutoffs &c,
                             const QList<qint64> &tenants, Purged &purged)
{
    if (c.dead.isNull())
        return true;
    const int n = m_options.batch;
    for (const qint64 tenant : tenants) {
        const auto d = drainBatches(
            "dead deliveries", store::MaintenanceStore::kFromStart, n, m_stop,
            [&](const QByteArray &from) {
                return store.purgeDeadDeliveries(tenant, c.dead, from, c.events, n);
            },
            [this] { return pause(); }, purged.deadDeliveries, purged.events);
        if (d == Drained::Abort)
            return false;
    }
    return true;
}

// Events that crossed the cutoff since the last complete sweep and have no delivery (none was
// ever routed, or theirs went while the event was younger than its window). False when the
// pass must end.
bool RetentionJob::purgeEvents(store::MaintenanceStore &store, const QByteArray &cutoff,
                               const QList<qint64> &tenants, Purged &purged)
{
    if (cutoff.isNull())
        return true;
    const int n = m_options.batch;
    const QByteArray from = m_eventsSweptTo.isEmpty()
                                ? QByteArray(store::MaintenanceStore::kFromStart)
                                : m_eventsSweptTo;
    bool complete = true;
    for (const qint64 tenant : tenants) {
        qint64 none = 0; // counted as removed: they are the events
        const auto d = drainBatches(
            "events", from, n, m_stop,
            [&](const QByteArray &at) { return store.purgeEvents(tenant, cutoff, at, n); },
            [this] { return pause(); }, purged.events, none);
        if (d == Drained::Abort)
            return false;
        complete = complete && d == Drained::Done;
    }
    if (complete)
        m_eventsSweptTo = cutoff;
    return true;
}

} // namespace ferry::agent::schedule
