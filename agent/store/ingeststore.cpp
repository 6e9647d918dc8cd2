#include "agent/store/ingeststore.h"

#include "shared/uuidv7.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// Rows are locked in one order by every agent, so two batches cannot deadlock on them.
QList<qint64> sortedKeys(const QHash<qint64, qint64> &hash)
{
    QList<qint64> keys = hash.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

IngestStore::IngestStore(PgConnection &db)
    : m_db(db)
{}

Result<QHash<QByteArray, qint64>> IngestStore::resolveTokens(const QList<QByteArray> &hashes)
{
    auto r = m_db.exec("SELECT token_hash, tenant_id FROM producer_tokens "
                       "WHERE token_hash = ANY($1::bytea[]) AND revoked_at IS NULL",
                       {pgByteaArray(hashes)});
    if (!r)
        return r.error();
    const auto &rows = *r;
    QHash<QByteArray, qint64> out;
    for (int i = 0; i < rows.rows(); ++i)
        out.insert(rows.bytea(i, 0), rows.int64(i, 1));
    return out;
}

Result<QHash<qint64, IngestStore::TenantLimits>>
IngestStore::loadLimits(const QList<qint64> &tenantIds)
{
    auto r =
        m_db.exec("SELECT id, coalesce(max_events_per_second, 0), coalesce(max_events_per_day, 0),"
                  "  coalesce(max_payload_bytes, 0) FROM tenants WHERE id = ANY($1::bigint[])",
                  {pgInt64Array(tenantIds)});
    if (!r)
        return r.error();
    const auto &rows = *r;
    QHash<qint64, TenantLimits> out;
    for (int i = 0; i < rows.rows(); ++i)
        out.insert(rows.int64(i, 0), {rows.int64(i, 1), rows.int64(i, 2), rows.int64(i, 3)});
    return out;
}

Result<IngestStore::BatchResult> IngestStore::commitBatch(const QList<IngestItem> &items,
                                                          const QHash<qint64, qint64> &dailyLimits,
                                                          const QByteArray &notifyPayload)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto result = runBatch(items, dailyLimits);
    if (!result)
        return result.error();
    if (!notifyPayload.isEmpty() && result->deliveriesCreated > 0) {
        auto notified = m_db.execPrepared("SELECT pg_notify('ferry_work', $1)", {notifyPayload});
        if (!notified)
            return notified.error();
    }
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return result;
}

Result<IngestStore::BatchResult> IngestStore::runBatch(const QList<IngestItem> &items,
                                                       const QHash<qint64, qint64> &dailyLimits)
{
    BatchResult result;
    result.outcomes.resize(items.size());

    // The first item per (tenant, key) is the candidate; the rest follow its fate.
    QHash<QPair<qint64, QString>, qsizetype> firstIndex; // -> index into candidates
    QList<qsizetype> candidates;
    QList<QUuid> candidateIds;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto k = qMakePair(items[i].tenantId, items[i].key);
        if (!firstIndex.contains(k)) {
            firstIndex.insert(k, candidates.size());
            candidates.append(i);
            candidateIds.append(createUuidV7());
        }
    }

    QList<qint64> tenants;
    QList<QByteArray> keys;
    PgBinaryArray tenantArray(PgBinaryArray::Type::Int8, candidates.size(), 8 * candidates.size());
    PgBinaryArray keyArray(PgBinaryArray::Type::Text, candidates.size(), 64 * candidates.size());
    PgBinaryArray idArray(PgBinaryArray::Type::Uuid, candidates.size(), 16 * candidates.size());
    PgBinaryArray hashArray(PgBinaryArray::Type::Bytea, candidates.size(), 32 * candidates.size());
    for (qsizetype n = 0; n < candidates.size(); ++n) {
        const IngestItem &item = items[candidates[n]];
        tenants.append(item.tenantId);
        keys.append(item.key.toUtf8());
        tenantArray.append(item.tenantId);
        keyArray.append(keys.last());
        idArray.appendUuid(candidateIds[n]);
        hashArray.append(item.contentHash);
    }

    auto inserted = m_db.execPreparedBinary(
        "INSERT INTO ingest_keys (tenant_id, key, event_id, content_hash) "
        "SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::bytea[]) "
        "ON CONFLICT DO NOTHING RETURNING event_id",
        {tenantArray.take(), keyArray.take(), idArray.take(), hashArray.take()});
    if (!inserted)
        return inserted.error();
    QSet<QUuid> fresh;
    {
        const auto &rows = *inserted;
        for (int i = 0; i < rows.rows(); ++i)
            fresh.insert(QUuid::fromString(rows.text(i, 0)));
    }

    // Daily quotas: lock each limited tenant's usage row for today, admit new events up to the
    // limit in input order, and take the keys of the others back out.
    QSet<QUuid> overQuota;
    if (!dailyLimits.isEmpty() && !fresh.isEmpty()) {
        QHash<qint64, qint64> freshPerTenant;
        for (qsizetype n = 0; n < candidates.size(); ++n) {
            if (fresh.contains(candidateIds[n]) && dailyLimits.contains(tenants[n]))
                ++freshPerTenant[tenants[n]];
        }
        if (!freshPerTenant.isEmpty()) {
            auto usage = m_db.execPrepared(
                "INSERT INTO tenant_usage (tenant_id, day) "
                "SELECT unnest($1::bigint[]), (now() AT TIME ZONE 'UTC')::date "
                "ON CONFLICT (tenant_id, day) DO UPDATE SET events = tenant_usage.events "
                "RETURNING tenant_id, events",
                {pgInt64Array(sortedKeys(freshPerTenant))});
            if (!usage)
                return usage.error();
            QHash<qint64, qint64> room;
            const auto &rows = *usage;
            for (int i = 0; i < rows.rows(); ++i)
                room.insert(
                    rows.int64(i, 0),
                    std::max<qint64>(0, dailyLimits.value(rows.int64(i, 0)) - rows.int64(i, 1)));
            QList<qint64> dropTenants;
            QList<QByteArray> dropKeys;
            for (qsizetype n = 0; n < candidates.size(); ++n) {
                if (!fresh.contains(candidateIds[n]) || !room.contains(tenants[n]))
                    continue;
                if (room[tenants[n]] > 0) {
                    --room[tenants[n]];
                    continue;
                }
                overQuota.insert(candidateIds[n]);
                fresh.remove(candidateIds[n]);
                dropTenants.append(tenants[n]);
                dropKeys.append(keys[n]);
            }
            if (!dropKeys.isEmpty()) {
                auto dropped = m_db.execPrepared(
                    "DELETE FROM ingest_keys k USING unnest($1::bigint[], $2::text[]) AS "
                    "u(tenant_id, key) WHERE k.tenant_id = u.tenant_id AND k.key = u.key",
                    {pgInt64Array(dropTenants), pgTextArray(dropKeys)});
                if (!dropped)
                    return dropped.error();
            }
            QList<qint64> usageTenants, usageCounts;
            for (qsizetype n = 0; n < candidates.size(); ++n) {
                if (fresh.contains(candidateIds[n]) && dailyLimits.contains(tenants[n])) {
                    const qsizetype at = usageTenants.indexOf(tenants[n]);
                    if (at < 0) {
                        usageTenants.append(tenants[n]);
                        usageCounts.append(1);
                    } else {
                        ++usageCounts[at];
                    }
                }
            }
            if (!usageTenants.isEmpty()) {
                auto counted = m_db.execPrepared(
                    "UPDATE tenant_usage u SET events = u.events + c.n "
                    "FROM unnest($1::bigint[], $2::bigint[]) AS c(tenant_id, n) "
                    "WHERE u.tenant_id = c.tenant_id AND u.day = (now() AT TIME ZONE 'UTC')::date",
                    {pgInt64Array(usageTenants), pgInt64Array(usageCounts)});
                if (!counted)
                    return counted.error();
            }
        }
    }

    // Keys that already existed: fetch the original event and its content hash.
    QHash<QPair<qint64, QString>, QPair<QUuid, QByteArray>> existing;
    if (fresh.size() + overQuota.size() < candidates.size()) {
        QList<qint64> t2;
        QList<QByteArray> k2;
        for (qsizetype n = 0; n < candidates.size(); ++n) {
            if (!fresh.contains(candidateIds[n]) && !overQuota.contains(candidateIds[n])) {
                t2.append(tenants[n]);
                k2.append(keys[n]);
            }
        }
        auto found = m_db.execPrepared(
            "SELECT k.tenant_id, k.key, k.event_id, k.content_hash FROM ingest_keys k "
            "JOIN unnest($1::bigint[], $2::text[]) AS u(tenant_id, key) "
            "  ON k.tenant_id = u.tenant_id AND k.key = u.key",
            {pgInt64Array(t2), pgTextArray(k2)});
        if (!found)
            return found.error();
        const auto &rows = *found;
        for (int i = 0; i < rows.rows(); ++i)
            existing.insert(qMakePair(rows.int64(i, 0), rows.text(i, 1)),
                            qMakePair(QUuid::fromString(rows.text(i, 2)), rows.bytea(i, 3)));
    }

    // Insert the new events and route them in the same statement. Each column travels as one
    // array in PostgreSQL's binary format: nothing is escaped here or parsed there, and the
    // payloads (the canonical JSON as it is) are only validated, once, as json.
    qsizetype newEvents = 0, payloadBytes = 0;
    for (qsizetype n = 0; n < candidates.size(); ++n) {
        if (fresh.contains(candidateIds[n])) {
            ++newEvents;
            payloadBytes += items[candidates[n]].payload.size();
        }
    }
    if (newEvents > 0) {
        PgBinaryArray idColumn(PgBinaryArray::Type::Uuid, newEvents, 16 * newEvents);
        PgBinaryArray tenantColumn(PgBinaryArray::Type::Int8, newEvents, 8 * newEvents);
        PgBinaryArray sourceColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
        PgBinaryArray ceIdColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
        PgBinaryArray typeColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
        PgBinaryArray partitionColumn(PgBinaryArray::Type::Text, newEvents, 16 * newEvents);
        PgBinaryArray payloadColumn(PgBinaryArray::Type::Json, newEvents, payloadBytes);
        for (qsizetype n = 0; n < candidates.size(); ++n) {
            if (!fresh.contains(candidateIds[n]))
                continue;
            const IngestItem &item = items[candidates[n]];
            idColumn.appendUuid(candidateIds[n]);
            tenantColumn.append(item.tenantId);
            sourceColumn.append(item.source.toUtf8());
            ceIdColumn.append(item.ceId.toUtf8());
            typeColumn.append(item.type.toUtf8());
            if (item.partitionKey.isEmpty())
                partitionColumn.appendNull();
            else
                partitionColumn.append(item.partitionKey.toUtf8());
            payloadColumn.append(item.payload);
        }
        // Routing v0: one delivery per matching enabled endpoint, in event order (the order
        // matters for ordered endpoints, whose deliveries carry the partition key). The
        // deliveries' foreign key to events is checked at the end of the statement, after
        // the events' insert in the WITH clause. Each tenant row is locked once here (what a
        // foreign key would do for every event), so a tenant cannot be deleted under the
        // batch; the events of a tenant that is already gone are not inserted, and the count
        // tells. Each new delivery's queue row is added by the statement trigger on
        // deliveries (deliveries_insert_queue), once for the batch.
        auto routed = m_db.execPreparedBinary(
            "WITH e AS (SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], "
            "  $5::text[], $6::text[], $7::json[]) WITH ORDINALITY AS r(i, t, s, c, y, p, d, o)), "
            "tn AS (SELECT id FROM tenants WHERE id IN (SELECT DISTINCT t FROM e) "
            "  ORDER BY id FOR KEY SHARE), "
            "ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, partition_key, "
            "  payload) SELECT i, t, s, c, y, p, d FROM e WHERE t IN (SELECT id FROM tn) "
            "  RETURNING 1), "
            "dl AS (INSERT INTO deliveries (event_id, endpoint_id, tenant_id, partition_key) "
            "  SELECT e.i, ep.id, e.t, CASE WHEN ep.ordered THEN e.p END "
            "  FROM e JOIN endpoints ep ON ep.tenant_id = e.t AND ep.enabled "
            "    AND (ep.event_types IS NULL OR e.y = ANY (ep.event_types)) "
            "  ORDER BY e.o, ep.id RETURNING 1) "
            "SELECT (SELECT count(*) FROM ev), (SELECT count(*) FROM dl)",
            {idColumn.take(), tenantColumn.take(), sourceColumn.take(), ceIdColumn.take(),
             typeColumn.take(), partitionColumn.take(), payloadColumn.take()});
        if (!routed)
            return routed.error();
        const auto &counts = *routed;
        if (counts.int64(0, 0) != newEvents)
            return makeSqlError(
                u"the event's tenant was deleted while the event was being stored"_s, "23503");
        result.deliveriesCreated = counts.int64(0, 1);
    }

    // Outcomes, in input order.
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto k = qMakePair(items[i].tenantId, items[i].key);
        const qsizetype n = firstIndex.value(k);
        const qsizetype first = candidates[n];
        IngestOutcome &out = result.outcomes[i];
        if (overQuota.contains(candidateIds[n])) {
            out.kind = IngestOutcome::Kind::DailyQuotaExceeded;
            continue;
        }
        if (fresh.contains(candidateIds[n])) {
            out.eventId = candidateIds[n];
            if (i == first)
                out.kind = IngestOutcome::Kind::Accepted;
            else
                out.kind = items[i].contentHash == items[first].contentHash
                               ? IngestOutcome::Kind::Duplicate
                               : IngestOutcome::Kind::Conflict;
            continue;
        }
        const auto it = existing.constFind(k);
        if (it == existing.constEnd()) {
            // The key vanished between the insert and the lookup (dedupe retention purge):
            // report it as a conflict-free retry of the whole batch.
            return makeSqlError(u"idempotency key changed during the commit; retry"_s, "40001");
        }
        out.eventId = it->first;
        out.kind = items[i].contentHash == it->second ? IngestOutcome::Kind::Duplicate
                                                      : IngestOutcome::Kind::Conflict;
    }
    return result;
}

} // namespace ferry::agent::store
