#include "agent/store/inbound/reconcilestore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray optionalId(std::optional<qint64> id)
{
    return id ? QByteArray::number(*id) : QByteArray();
}

QByteArray textArray(const QStringList &list)
{
    QList<QByteArray> values;
    for (const QString &s : list)
        values.append(s.toUtf8());
    return pgTextArray(values);
}

QDateTime timeOrNull(const PgResult &r, int row, int column)
{
    return r.isNull(row, column) ? QDateTime() : r.timestamp(row, column);
}

constexpr char kRunColumns[] =
    "SELECT r.id, coalesce(t.name, ''), r.trigger, r.requested_by, r.requested_at, r.started_at,"
    "  r.finished_at, r.checked, r.drifts, r.failures, coalesce(r.error, '') "
    "FROM reconcile_runs r LEFT JOIN tenants t ON t.id = r.tenant_id ";

ReconcileRun runAt(const PgResult &r, int i)
{
    return {r.int64(i, 0),      r.text(i, 1),        r.text(i, 2),        r.text(i, 3),
            r.timestamp(i, 4),  timeOrNull(r, i, 5), timeOrNull(r, i, 6), int(r.int64(i, 7)),
            int(r.int64(i, 8)), int(r.int64(i, 9)),  r.text(i, 10)};
}

} // namespace

ReconcileStore::ReconcileStore(PgConnection &db)
    : m_db(db)
{}

Result<qint64> ReconcileStore::request(std::optional<qint64> tenantId, const QString &actor)
{
    auto r = m_db.exec("INSERT INTO reconcile_runs (tenant_id, trigger, requested_by) "
                       "VALUES ($1, 'request', $2) RETURNING id",
                       {optionalId(tenantId), actor.toUtf8()});
    if (!r)
        return r.error();
    return r->int64(0, 0);
}

Result<std::optional<std::pair<qint64, std::optional<qint64>>>> ReconcileStore::takeRequest()
{
    auto r = m_db.exec("UPDATE reconcile_runs SET started_at = now() WHERE id = ("
                       "  SELECT id FROM reconcile_runs WHERE started_at IS NULL"
                       "  ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
                       "RETURNING id, tenant_id");
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<std::pair<qint64, std::optional<qint64>>>();
    std::optional<qint64> tenant;
    if (!r->isNull(0, 1))
        tenant = r->int64(0, 1);
    return std::optional(std::pair{r->int64(0, 0), tenant});
}

Result<qint64> ReconcileStore::startScheduled()
{
    auto r = m_db.exec("INSERT INTO reconcile_runs (trigger, requested_by, started_at) "
                       "VALUES ('schedule', 'reconciler', now()) RETURNING id");
    if (!r)
        return r.error();
    return r->int64(0, 0);
}

Result<QList<ReconcileCandidate>> ReconcileStore::candidates(std::optional<qint64> tenantId,
                                                             const QStringList &channels,
                                                             qint64 afterMs, qint64 maxAgeMs,
                                                             int limit)
{
    auto r = m_db.exec(
        "SELECT r.delivery_id, r.tenant_id, r.channel, r.provider_message_id, r.status, r.rank,"
        "  c.id, c.name, c.ciphertext, c.nonce, c.key_id, c.provider, coalesce(c.base_url, '') "
        "FROM delivery_receipts r JOIN deliveries d ON d.id = r.delivery_id "
        "JOIN endpoints ep ON ep.id = d.endpoint_id JOIN credentials c ON c.id = ep.credential_id "
        "WHERE r.rank < 3 AND coalesce(r.checked_at, r.accepted_at) < "
        "    now() - $3::bigint * interval '1 millisecond'"
        "  AND r.accepted_at > now() - $4::bigint * interval '1 millisecond'"
        "  AND r.channel = ANY($2::text[]) AND ($1::bigint IS NULL OR r.tenant_id = $1) "
        "ORDER BY coalesce(r.checked_at, r.accepted_at) LIMIT $5",
        {optionalId(tenantId), textArray(channels), QByteArray::number(afterMs),
         QByteArray::number(maxAgeMs), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ReconcileCandidate> out;
    for (int i = 0; i < r->rows(); ++i) {
        const SealedCredential sealed{r->int64(i, 6), r->int64(i, 1), r->text(i, 7),
                                      r->bytea(i, 8), r->bytea(i, 9), r->bytes(i, 10)};
        out.append({r->text(i, 0), r->int64(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                    int(r->int64(i, 5)), sealed, r->text(i, 11), r->text(i, 12)});
    }
    return out;
}

Result<void> ReconcileStore::markChecked(const QString &deliveryId)
{
    return m_db.command("UPDATE delivery_receipts SET checked_at = now() WHERE delivery_id = $1",
                        {deliveryId.toUtf8()});
}

Result<void> ReconcileStore::recordDrift(qint64 runId, const ReconcileCandidate &c,
                                         const QString &providerSaid, const QString &action)
{
    return m_db.command("INSERT INTO reconcile_drifts (run_id, tenant_id, delivery_id, channel,"
                        "  provider_message_id, believed, provider_said, action) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        {QByteArray::number(runId), QByteArray::number(c.tenantId),
                         c.deliveryId.toUtf8(), c.channel.toUtf8(), c.providerMessageId.toUtf8(),
                         c.status.toUtf8(), providerSaid.toUtf8(), action.toUtf8()});
}

Result<void> ReconcileStore::finish(qint64 runId, int checked, int drifts, int failures,
                                    const QString &error)
{
    return m_db.command("UPDATE reconcile_runs SET finished_at = now(), checked = $2, drifts = $3,"
                        "  failures = $4, error = nullif($5, '') WHERE id = $1",
                        {QByteArray::number(runId), QByteArray::number(checked),
                         QByteArray::number(drifts), QByteArray::number(failures), error.toUtf8()});
}

Result<std::optional<ReconcileRun>> ReconcileStore::run(qint64 runId)
{
    auto r = m_db.exec((QByteArray(kRunColumns) + "WHERE r.id = $1").constData(),
                       {QByteArray::number(runId)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<ReconcileRun>();
    return std::optional(runAt(*r, 0));
}

Result<QList<ReconcileRun>> ReconcileStore::runs(const QList<qint64> &tenantIds, int limit)
{
    auto r = m_db.exec((QByteArray(kRunColumns) +
                        "WHERE cardinality($1::bigint[]) = 0 OR r.tenant_id = ANY($1::bigint[]) "
                        "ORDER BY r.requested_at DESC, r.id DESC LIMIT $2")
                           .constData(),
                       {pgInt64Array(tenantIds), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ReconcileRun> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(runAt(*r, i));
    return out;
}

Result<QList<ReconcileDrift>> ReconcileStore::drifts(const QList<qint64> &tenantIds,
                                                     std::optional<qint64> runId, int limit)
{
    auto r = m_db.exec(
        "SELECT d.run_id, t.name, d.delivery_id, d.channel, d.provider_message_id, d.believed,"
        "  d.provider_said, d.action, d.found_at "
        "FROM reconcile_drifts d JOIN tenants t ON t.id = d.tenant_id "
        "WHERE (cardinality($1::bigint[]) = 0 OR d.tenant_id = ANY($1::bigint[]))"
        "  AND ($2::bigint IS NULL OR d.run_id = $2) "
        "ORDER BY d.found_at DESC, d.id DESC LIMIT $3",
        {pgInt64Array(tenantIds), optionalId(runId), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ReconcileDrift> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                    r->text(i, 5), r->text(i, 6), r->text(i, 7), r->timestamp(i, 8)});
    return out;
}

} // namespace ferry::agent::store
