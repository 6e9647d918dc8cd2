#include "agent/schedule/retentionjob.h"

#include "agent/app/logging.h"
#include "agent/store/maintenancestore.h"

namespace ferry::agent::schedule {

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

void RetentionJob::runOnce()
{
    store::PgConnection db;
    if (!db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds))
        return; // the ingest and dispatch paths report an unreachable database
    store::MaintenanceStore store(db);
    auto locked = store.tryLock(store::MaintenanceStore::Lock::Retention);
    if (!std::holds_alternative<bool>(locked) || !std::get<bool>(locked))
        return; // another agent does it
    qint64 total = 0;
    while (!m_stop.load()) {
        auto purged = store.purgeIngestKeys(m_options.dedupeRetentionMs, m_options.batch);
        if (auto *e = std::get_if<store::PgError>(&purged)) {
            qCWarning(lcStore).noquote() << "dedupe purge stopped:" << e->message;
            break;
        }
        total += std::get<qint64>(purged);
        if (std::get<qint64>(purged) < m_options.batch)
            break;
    }
    store.unlock(store::MaintenanceStore::Lock::Retention);
    if (total > 0)
        qCInfo(lcStore) << "purged" << total << "dedupe keys past ingest.dedupe_retention";
}

} // namespace ferry::agent::schedule
