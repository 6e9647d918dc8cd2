#pragma once

#include "agent/store/pgconnection.h"

namespace ferry::agent::store {

// The SQL of background upkeep. Singleton jobs take a PostgreSQL advisory lock so that one
// agent of several runs them; the lock dies with its holder's connection.
class MaintenanceStore
{
public:
    enum class Lock : qint64 { Retention = 7316101 };

    explicit MaintenanceStore(PgConnection &db);

    PgResultOr<bool> tryLock(Lock lock);
    void unlock(Lock lock);
    // Deletes up to `batch` dedupe keys older than `retentionMs` in one short transaction.
    PgResultOr<qint64> purgeIngestKeys(qint64 retentionMs, int batch);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
