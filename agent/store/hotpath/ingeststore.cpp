#include "agent/store/hotpath/ingeststore.h"

#include "agent/store/hotpath/routingstore.h"
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

// Text, or NULL for an empty one.
void appendOptional(PgBinaryArray &column, const QString &text)
{
    if (text.isEmpty())
        column.appendNull();
    else
        column.append(text.toUtf8());
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

Result<QHash<QByteArray, QString>> IngestStore::tokenTenantNames(const QList<QByteArray> &hashes)
{
    auto r = m_db.exec("SELECT p.token_hash, t.name FROM producer_tokens p"
                       "  JOIN tenants t ON t.id = p.tenant_id"
                       "  WHERE p.token_hash = ANY($1::bytea[]) AND p.revoked_at IS NULL",
                       {pgByteaArray(hashes)});
    if (!r)
        return r.error();
    const auto &rows = *r;
    QHash<QByteArray, QString> out;
    for (int i = 0; i < rows.rows(); ++i)
        out.insert(rows.bytea(i, 0), rows.text(i, 1));
    return out;
}

Result<QHash<qint64, IngestStore::TenantLimits>>
IngestStore::loadLimits(const QList<qint64> &tenantIds)
{
    auto r =
        m_db.exec("SELECT id, coalesce(max_events_per_second, 0), coalesce(max_events_per_day, 0),"
                  "  coalesce(max_payload_bytes, 0), strict_schemas, disabled_at IS NOT NULL, name"
                  "  FROM tenants"
                  "  WHERE id = ANY($1::bigint[])",
                  {pgInt64Array(tenantIds)});
    if (!r)
        return r.error();
    const auto &rows = *r;
    QHash<qint64, TenantLimits> out;
    for (int i = 0; i < rows.rows(); ++i)
        out.insert(rows.int64(i, 0), {rows.int64(i, 1), rows.int64(i, 2), rows.int64(i, 3),
                                      rows.boolean(i, 4), rows.boolean(i, 5), rows.text(i, 6)});
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

// The first item per (tenant, key) is the candidate; the rest follow its fate.
struct IngestStore::Candidates
{
    QHash<QPair<qint64, QString>, qsizetype> firstIndex; // -> index into `items`
    QList<qsizetype> items;                              // index into the batch
    QList<QUuid> ids;
    QList<qint64> tenants;
    QList<QByteArray> keys;
    QSet<QUuid> fresh;     // keys inserted now: new events
    QSet<QUuid> overQuota; // new, beyond the tenant's daily quota: not stored
    // Keys that already existed: the original event and its content hash.
    QHash<QPair<qint64, QString>, QPair<QUuid, QByteArray>> existing;
};

Result<IngestStore::BatchResult> IngestStore::runBatch(const QList<IngestItem> &items,
                                                       const QHash<qint64, qint64> &dailyLimits)
{
    Candidates c = candidates(items);
    if (auto inserted = insertKeys(items, c); !inserted)
        return inserted.error();
    if (!dailyLimits.isEmpty() && !c.fresh.isEmpty()) {
        if (auto limited = applyDailyQuotas(c, dailyLimits); !limited)
            return limited.error();
    }
    if (c.fresh.size() + c.overQuota.size() < c.items.size()) {
        if (auto found = findExisting(c); !found)
            return found.error();
    }
    BatchResult result;
    auto routed = insertEvents(items, c);
    if (!routed)
        return routed.error();
    result.deliveriesCreated = *routed;
    if (auto decided = outcomes(items, c, result.outcomes); !decided)
        return decided.error();
    return result;
}

IngestStore::Candidates IngestStore::candidates(const QList<IngestItem> &items)
{
    Candidates c;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto k = qMakePair(items[i].tenantId, items[i].key);
        if (!c.firstIndex.contains(k)) {
            c.firstIndex.insert(k, c.items.size());
            c.items.append(i);
            c.ids.append(createUuidV7());
        }
    }
    return c;
}

Result<void> IngestStore::insertKeys(const QList<IngestItem> &items, Candidates &c)
{
    const qsizetype n = c.items.size();
    PgBinaryArray tenantArray(PgBinaryArray::Type::Int8, n, 8 * n);
    PgBinaryArray keyArray(PgBinaryArray::Type::Text, n, 64 * n);
    PgBinaryArray idArray(PgBinaryArray::Type::Uuid, n, 16 * n);
    PgBinaryArray hashArray(PgBinaryArray::Type::Bytea, n, 32 * n);
    for (qsizetype i = 0; i < n; ++i) {
        const IngestItem &item = items[c.items[i]];
        c.tenants.append(item.tenantId);
        c.keys.append(item.key.toUtf8());
        tenantArray.append(item.tenantId);
        keyArray.append(c.keys.last());
        idArray.appendUuid(c.ids[i]);
        hashArray.append(item.contentHash);
    }
    auto inserted = m_db.execPreparedBinary(
        "INSERT INTO ingest_keys (tenant_id, key, event_id, content_hash) "
        "SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::bytea[]) "
        "ON CONFLICT DO NOTHING RETURNING event_id",
        {tenantArray.take(), keyArray.take(), idArray.take(), hashArray.take()});
    if (!inserted)
        return inserted.error();
    const auto &rows = *inserted;
    for (int i = 0; i < rows.rows(); ++i)
        c.fresh.insert(QUuid::fromString(rows.text(i, 0)));
    return {};
}

// Daily quotas: lock each limited tenant's usage row for today, admit new events up to the
// limit in input order, and take the keys of the others back out.
Result<void> IngestStore::applyDailyQuotas(Candidates &c, const QHash<qint64, qint64> &dailyLimits)
{
    QHash<qint64, qint64> freshPerTenant;
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (c.fresh.contains(c.ids[n]) && dailyLimits.contains(c.tenants[n]))
            ++freshPerTenant[c.tenants[n]];
    }
    if (freshPerTenant.isEmpty())
        return {};
    auto usage =
        m_db.execPrepared("INSERT INTO tenant_usage (tenant_id, day) "
                          "SELECT unnest($1::bigint[]), (now() AT TIME ZONE 'UTC')::date "
                          "ON CONFLICT (tenant_id, day) DO UPDATE SET events = tenant_usage.events "
                          "RETURNING tenant_id, events",
                          {pgInt64Array(sortedKeys(freshPerTenant))});
    if (!usage)
        return usage.error();
    QHash<qint64, qint64> room;
    const auto &rows = *usage;
    for (int i = 0; i < rows.rows(); ++i)
        room.insert(rows.int64(i, 0),
                    std::max<qint64>(0, dailyLimits.value(rows.int64(i, 0)) - rows.int64(i, 1)));
    if (auto dropped = dropOverQuota(c, room); !dropped)
        return dropped;
    return countUsage(c, dailyLimits);
}

Result<void> IngestStore::dropOverQuota(Candidates &c, QHash<qint64, qint64> &room)
{
    QList<qint64> dropTenants;
    QList<QByteArray> dropKeys;
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (!c.fresh.contains(c.ids[n]) || !room.contains(c.tenants[n]))
            continue;
        if (room[c.tenants[n]] > 0) {
            --room[c.tenants[n]];
            continue;
        }
        c.overQuota.insert(c.ids[n]);
        c.fresh.remove(c.ids[n]);
        dropTenants.append(c.tenants[n]);
        dropKeys.append(c.keys[n]);
    }
    if (dropKeys.isEmpty())
        return {};
    auto dropped =
        m_db.execPrepared("DELETE FROM ingest_keys k USING unnest($1::bigint[], $2::text[]) AS "
                          "u(tenant_id, key) WHERE k.tenant_id = u.tenant_id AND k.key = u.key",
                          {pgInt64Array(dropTenants), pgTextArray(dropKeys)});
    if (!dropped)
        return dropped.error();
    return {};
}

Result<void> IngestStore::countUsage(const Candidates &c, const QHash<qint64, qint64> &dailyLimits)
{
    QList<qint64> usageTenants;
    QList<qint64> usageCounts;
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (c.fresh.contains(c.ids[n]) && dailyLimits.contains(c.tenants[n])) {
            const qsizetype at = usageTenants.indexOf(c.tenants[n]);
            if (at < 0) {
                usageTenants.append(c.tenants[n]);
                usageCounts.append(1);
            } else {
                ++usageCounts[at];
            }
        }
    }
    if (usageTenants.isEmpty())
        return {};
    auto counted = m_db.execPrepared(
        "UPDATE tenant_usage u SET events = u.events + c.n "
        "FROM unnest($1::bigint[], $2::bigint[]) AS c(tenant_id, n) "
        "WHERE u.tenant_id = c.tenant_id AND u.day = (now() AT TIME ZONE 'UTC')::date",
        {pgInt64Array(usageTenants), pgInt64Array(usageCounts)});
    if (!counted)
        return counted.error();
    return {};
}

// Keys that already existed: fetch the original event and its content hash.
Result<void> IngestStore::findExisting(Candidates &c)
{
    QList<qint64> t2;
    QList<QByteArray> k2;
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (!c.fresh.contains(c.ids[n]) && !c.overQuota.contains(c.ids[n])) {
            t2.append(c.tenants[n]);
            k2.append(c.keys[n]);
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
        c.existing.insert(qMakePair(rows.int64(i, 0), rows.text(i, 1)),
                          qMakePair(QUuid::fromString(rows.text(i, 2)), rows.bytea(i, 3)));
    return {};
}

// Inserts the new events and hands them to routing in the same statement (RoutingStore). Each
// column travels as one array in PostgreSQL's binary format: nothing is escaped here or parsed
// there, and the payloads (the canonical JSON as it is) are only validated, once, as json.
Result<qint64> IngestStore::insertEvents(const QList<IngestItem> &items, const Candidates &c)
{
    qsizetype newEvents = 0;
    qsizetype payloadBytes = 0;
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (c.fresh.contains(c.ids[n])) {
            ++newEvents;
            payloadBytes += items[c.items[n]].payload.size();
        }
    }
    if (newEvents == 0)
        return qint64(0);
    PgBinaryArray idColumn(PgBinaryArray::Type::Uuid, newEvents, 16 * newEvents);
    PgBinaryArray tenantColumn(PgBinaryArray::Type::Int8, newEvents, 8 * newEvents);
    PgBinaryArray sourceColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
    PgBinaryArray ceIdColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
    PgBinaryArray typeColumn(PgBinaryArray::Type::Text, newEvents, 32 * newEvents);
    PgBinaryArray partitionColumn(PgBinaryArray::Type::Text, newEvents, 16 * newEvents);
    PgBinaryArray payloadColumn(PgBinaryArray::Type::Json, newEvents, payloadBytes);
    PgBinaryArray versionColumn(PgBinaryArray::Type::Text, newEvents, 4 * newEvents);
    for (qsizetype n = 0; n < c.items.size(); ++n) {
        if (!c.fresh.contains(c.ids[n]))
            continue;
        const IngestItem &item = items[c.items[n]];
        idColumn.appendUuid(c.ids[n]);
        tenantColumn.append(item.tenantId);
        sourceColumn.append(item.source.toUtf8());
        ceIdColumn.append(item.ceId.toUtf8());
        typeColumn.append(item.type.toUtf8());
        appendOptional(partitionColumn, item.partitionKey);
        payloadColumn.append(item.payload);
        appendOptional(versionColumn, item.schemaVersion);
    }
    auto routed = RoutingStore(m_db).insertAndRoute(
        {newEvents, idColumn.take(), tenantColumn.take(), sourceColumn.take(), ceIdColumn.take(),
         typeColumn.take(), partitionColumn.take(), payloadColumn.take(), versionColumn.take()});
    if (!routed)
        return routed.error();
    return routed->deliveries;
}

// Outcomes, in input order.
Result<void> IngestStore::outcomes(const QList<IngestItem> &items, const Candidates &c,
                                   QList<IngestOutcome> &out)
{
    out.resize(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto k = qMakePair(items[i].tenantId, items[i].key);
        const qsizetype n = c.firstIndex.value(k);
        const qsizetype first = c.items[n];
        IngestOutcome &o = out[i];
        if (c.overQuota.contains(c.ids[n])) {
            o.kind = IngestOutcome::Kind::DailyQuotaExceeded;
            continue;
        }
        if (c.fresh.contains(c.ids[n])) {
            o.eventId = c.ids[n];
            if (i == first)
                o.kind = IngestOutcome::Kind::Accepted;
            else
                o.kind = items[i].contentHash == items[first].contentHash
                             ? IngestOutcome::Kind::Duplicate
                             : IngestOutcome::Kind::Conflict;
            continue;
        }
        const auto it = c.existing.constFind(k);
        if (it == c.existing.constEnd()) {
            // The key vanished between the insert and the lookup (dedupe retention purge):
            // report it as a conflict-free retry of the whole batch.
            return makeSqlError(u"idempotency key changed during the commit; retry"_s, "40001");
        }
        o.eventId = it->first;
        o.kind = items[i].contentHash == it->second ? IngestOutcome::Kind::Duplicate
                                                    : IngestOutcome::Kind::Conflict;
    }
    return {};
}

} // namespace ferry::agent::store
