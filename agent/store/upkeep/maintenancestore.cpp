#include "agent/store/upkeep/maintenancestore.h"

#include "agent/app/logging.h"

namespace ferry::agent::store {

namespace {

// A batch statement's single row: count, newest time, optionally the ids it touched.
PurgeBatch batchOf(const PgResult &r, const QByteArray &from)
{
    PurgeBatch b;
    b.taken = r.int64(0, 0);
    b.removed = b.taken;
    b.next = b.taken > 0 ? r.bytes(0, 1) : from;
    return b;
}

} // namespace

MaintenanceStore::MaintenanceStore(PgConnection &db)
    : m_db(db)
{}

Result<bool> MaintenanceStore::tryLock(Lock lock)
{
    auto r = m_db.exec("SELECT pg_try_advisory_lock($1)", {QByteArray::number(qint64(lock))});
    if (!r)
        return r.error();
    return r->boolean(0, 0);
}

void MaintenanceStore::unlock(Lock lock)
{
    // A session lock that cannot be released here is released when the session ends; the
    // caller closes its connection after the job either way.
    if (auto r = m_db.command("SELECT pg_advisory_unlock($1)", {QByteArray::number(qint64(lock))});
        !r)
        qCWarning(lcStore) << "advisory lock" << qint64(lock)
                           << "not released:" << r.error().message;
}

Result<qint64> MaintenanceStore::purgeIngestKeys(qint64 retentionMs, int batch)
{
    // Small batches by the created_at index: each delete is short, takes row locks only, and
    // leaves autovacuum (tuned for this table) a steady trickle rather than one huge bloat.
    auto r = m_db.exec("DELETE FROM ingest_keys WHERE ctid = ANY(ARRAY("
                       "  SELECT ctid FROM ingest_keys"
                       "  WHERE created_at < now() - $1::bigint * interval '1 millisecond'"
                       "  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED))",
                       {QByteArray::number(retentionMs), QByteArray::number(batch)});
    if (!r)
        return r.error();
    return r->affectedRows();
}

Result<QByteArray> MaintenanceStore::cutoff(qint64 retentionMs)
{
    auto r = m_db.exec("SELECT now() - $1::bigint * interval '1 millisecond'",
                       {QByteArray::number(retentionMs)});
    if (!r)
        return r.error();
    return r->bytes(0, 0);
}

Result<QList<qint64>> MaintenanceStore::tenantIds()
{
    auto r = m_db.exec("SELECT id FROM tenants ORDER BY id");
    if (!r)
        return r.error();
    const auto &rows = *r;
    QList<qint64> ids;
    ids.reserve(rows.rows());
    for (int i = 0; i < rows.rows(); ++i)
        ids.append(rows.int64(i, 0));
    return ids;
}

Result<PurgeBatch> MaintenanceStore::purgeDeliveries(const char *sql,
                                                     const QList<QByteArray> &params,
                                                     const QByteArray &from,
                                                     const QByteArray &eventCutoff)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    // Attempts and notes go by the cascade: measured on 5,000 deliveries with 15,000 attempts,
    // deleting the attempts first cost more, as the cascade triggers still run for every
    // delivery (decision 0019).
    auto r = m_db.exec(sql, params);
    if (!r)
        return r.error();
    const auto &row = *r;
    PurgeBatch b = batchOf(row, from);
    if (b.taken > 0 && !eventCutoff.isNull()) {
        // A fresh snapshot: it sees this batch's deletions and any other delivery of the event.
        auto ev =
            m_db.exec("DELETE FROM events e WHERE e.id = ANY($1::uuid[]) AND e.received_at < $2"
                      "  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)",
                      {row.bytes(0, 2), eventCutoff});
        if (!ev)
            return ev.error();
        b.events = ev->affectedRows();
    }
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return b;
}

Result<PurgeBatch> MaintenanceStore::purgeFinishedDeliveries(const QByteArray &cutoff,
                                                             const QByteArray &from,
                                                             const QByteArray &eventCutoff,
                                                             int batch)
{
    // By deliveries_created (created_at, id), in the order deliveries were made: no index on
    // the record reads a column that changes when a delivery finishes (decision 0020). A delivery
    // still open, dead, or finished after the cutoff is passed over; none of them is in the
    // queue's way, and open ones are never reached (the state is re-checked under the lock).
    return purgeDeliveries("WITH d AS ("
                           "  DELETE FROM deliveries WHERE id = ANY(ARRAY("
                           "    SELECT id FROM deliveries"
                           "    WHERE created_at < $1 AND created_at >= $2"
                           "      AND state IN ('succeeded', 'discarded') AND finished_at < $1"
                           "    ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED))"
                           "    AND state IN ('succeeded', 'discarded')"
                           "  RETURNING event_id, created_at) "
                           "SELECT count(*), max(created_at), array_agg(DISTINCT event_id) FROM d",
                           {cutoff, from, QByteArray::number(batch)}, from, eventCutoff);
}

Result<PurgeBatch> MaintenanceStore::purgeDeadDeliveries(qint64 tenantId, const QByteArray &cutoff,
                                                         const QByteArray &from,
                                                         const QByteArray &eventCutoff, int batch)
{
    // By delivery_queue_dead (tenant_id, due_at: the time of death). The row lock re-checks
    // the state: a delivery replayed meanwhile is no longer dead and stays; one being replayed
    // is skipped. Its queue row goes with it (deliveries_delete_queue).
    return purgeDeliveries("WITH d AS ("
                           "  DELETE FROM deliveries WHERE id = ANY(ARRAY("
                           "    SELECT d.id FROM delivery_queue q"
                           "    JOIN deliveries d ON d.id = q.delivery_id"
                           "    WHERE q.tenant_id = $4 AND q.state = 'dead'"
                           "      AND q.due_at < $1 AND q.due_at >= $2 AND NOT d.holds_partition"
                           "    ORDER BY q.due_at LIMIT $3 FOR UPDATE OF d SKIP LOCKED))"
                           "    AND state = 'dead'"
                           "  RETURNING event_id, finished_at) "
                           "SELECT count(*), max(finished_at), array_agg(DISTINCT event_id) FROM d",
                           {cutoff, from, QByteArray::number(batch), QByteArray::number(tenantId)},
                           from, eventCutoff);
}

Result<PurgeBatch> MaintenanceStore::purgeEvents(qint64 tenantId, const QByteArray &cutoff,
                                                 const QByteArray &from, int batch)
{
    // The batch looks at the next `batch` events in (received_at, id) order, whether they can
    // go or not, so that events still held by deliveries (a large DLQ keeps its events) cost
    // each batch nothing extra: by events_tenant_received (tenant_id, received_at), plus a
    // probe of the deliveries' (event_id, endpoint_id) key per event. The position is
    // "time" (from that time on) or "time|id" (after that event).
    const qsizetype bar = from.indexOf('|');
    const QByteArray fromTime = bar < 0 ? from : from.left(bar);
    const QByteArray fromId = bar < 0 ? QByteArray() : from.mid(bar + 1);
    auto r = m_db.exec(
        "WITH c AS ("
        "  SELECT e.id, e.received_at,"
        "    NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) AS free"
        "  FROM events e"
        "  WHERE e.tenant_id = $1 AND e.received_at < $2 AND e.received_at >= $3"
        "    AND ($4::uuid IS NULL OR e.received_at > $3 OR e.id > $4::uuid)"
        "  ORDER BY e.received_at, e.id LIMIT $5) "
        "SELECT count(*), (array_agg(received_at ORDER BY received_at DESC, id DESC))[1],"
        "  (array_agg(id ORDER BY received_at DESC, id DESC))[1],"
        "  coalesce(array_agg(id) FILTER (WHERE free), '{}') FROM c",
        {QByteArray::number(tenantId), cutoff, fromTime, fromId, QByteArray::number(batch)});
    if (!r)
        return r.error();
    const auto &row = *r;
    PurgeBatch b;
    b.taken = row.int64(0, 0);
    b.next = b.taken > 0 ? row.bytes(0, 1) + '|' + row.bytes(0, 2) : from;
    if (b.taken == 0 || row.bytes(0, 3) == "{}")
        return b;
    // Checked again when deleting, in a fresh snapshot and under the row locks: a delivery is
    // only ever created in its event's own transaction, but the delete must never cascade
    // into one.
    auto d = m_db.exec("DELETE FROM events e WHERE e.id = ANY($1::uuid[])"
                       "  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)",
                       {row.bytes(0, 3)});
    if (!d)
        return d.error();
    b.removed = d->affectedRows();
    return b;
}

Result<PurgeBatch> MaintenanceStore::purgeAudit(const QByteArray &cutoff, const QByteArray &from,
                                                int batch)
{
    // By audit_log_at. Audit rows are never updated: no row locks to take.
    auto r = m_db.exec("WITH d AS ("
                       "  DELETE FROM audit_log WHERE id = ANY(ARRAY("
                       "    SELECT id FROM audit_log WHERE at < $1 AND at >= $2"
                       "    ORDER BY at LIMIT $3))"
                       "  RETURNING at) "
                       "SELECT count(*), max(at) FROM d",
                       {cutoff, from, QByteArray::number(batch)});
    if (!r)
        return r.error();
    return batchOf(*r, from);
}

} // namespace ferry::agent::store
