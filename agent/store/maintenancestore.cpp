#include "agent/store/maintenancestore.h"

namespace ferry::agent::store {

MaintenanceStore::MaintenanceStore(PgConnection &db)
    : m_db(db)
{}

PgResultOr<bool> MaintenanceStore::tryLock(Lock lock)
{
    auto r =
        m_db.execDetailed("SELECT pg_try_advisory_lock($1)", {QByteArray::number(qint64(lock))});
    if (auto *e = std::get_if<PgError>(&r))
        return *e;
    return std::get<PgResult>(r).boolean(0, 0);
}

void MaintenanceStore::unlock(Lock lock)
{
    (void)m_db.command("SELECT pg_advisory_unlock($1)", {QByteArray::number(qint64(lock))});
}

PgResultOr<qint64> MaintenanceStore::purgeIngestKeys(qint64 retentionMs, int batch)
{
    // Small batches by the created_at index: each delete is short, takes row locks only, and
    // leaves autovacuum (tuned for this table) a steady trickle rather than one huge bloat.
    auto r = m_db.execDetailed("DELETE FROM ingest_keys WHERE ctid = ANY(ARRAY("
                               "  SELECT ctid FROM ingest_keys"
                               "  WHERE created_at < now() - $1::bigint * interval '1 millisecond'"
                               "  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED))",
                               {QByteArray::number(retentionMs), QByteArray::number(batch)});
    if (auto *e = std::get_if<PgError>(&r))
        return *e;
    return std::get<PgResult>(r).affectedRows();
}

} // namespace ferry::agent::store
