#include "agent/store/inbound/inboxstore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray json(const QJsonObject &o)
{
    return o.isEmpty() ? QByteArray() : QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

InboxStore::InboxStore(PgConnection &db)
    : m_db(db)
{}

Result<std::pair<qint64, bool>> InboxStore::receive(const InboxRequest &request)
{
    const QByteArray connector = QByteArray::number(request.connectorId);
    auto r = m_db.exec(
        "INSERT INTO inbox (connector_id, tenant_id, dedupe_key, provider_event_id, url,"
        "  content_type, body) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (connector_id, dedupe_key) DO NOTHING RETURNING id",
        {connector, QByteArray::number(request.tenantId), request.dedupeKey.toUtf8(),
         request.providerEventId.isEmpty() ? QByteArray() : request.providerEventId.toUtf8(),
         request.url.toUtf8(), request.contentType.toUtf8(), pgBytea(request.body)});
    if (!r)
        return r.error();
    if (r->rows() == 1)
        return std::pair{r->int64(0, 0), false};
    // Stored before, maybe by a transaction that committed after this statement began.
    auto e = m_db.exec("SELECT id FROM inbox WHERE connector_id = $1 AND dedupe_key = $2",
                       {connector, request.dedupeKey.toUtf8()});
    if (!e)
        return e.error();
    if (e->rows() == 0)
        return makeError(
            u"the inbox entry for '%1' vanished while it was stored"_s.arg(request.dedupeKey));
    return std::pair{e->int64(0, 0), true};
}

Result<QList<InboxEntry>> InboxStore::claim(int limit, qint64 leaseMs)
{
    auto r =
        m_db.exec("WITH due AS ("
                  "  SELECT id FROM inbox WHERE state = 'pending' AND due_at <= now()"
                  "  ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
                  "UPDATE inbox i SET attempts = i.attempts + 1,"
                  "  due_at = now() + $2::bigint * interval '1 millisecond' "
                  "FROM due, inbound_connectors c, tenants t "
                  "WHERE i.id = due.id AND c.id = i.connector_id AND t.id = i.tenant_id "
                  "RETURNING i.id, i.tenant_id, t.name, c.name, c.kind, c.settings,"
                  "  coalesce(i.provider_event_id, ''), i.url, i.content_type, i.body, i.attempts",
                  {QByteArray::number(limit), QByteArray::number(leaseMs)});
    if (!r)
        return r.error();
    QList<InboxEntry> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->int64(i, 0), r->int64(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                    QJsonDocument::fromJson(r->bytes(i, 5)).object(), r->text(i, 6), r->text(i, 7),
                    r->text(i, 8), r->bytea(i, 9), int(r->int64(i, 10))});
    return out;
}

Result<void> InboxStore::finish(qint64 id, const QJsonObject &outcome)
{
    return m_db.command("UPDATE inbox SET state = 'done', processed_at = now(), outcome = $2,"
                        "  last_error = NULL WHERE id = $1 AND state = 'pending'",
                        {QByteArray::number(id), json(outcome)});
}

Result<void> InboxStore::retry(qint64 id, qint64 delayMs, const QString &error)
{
    return m_db.command("UPDATE inbox SET due_at = now() + $2::bigint * interval '1 millisecond',"
                        "  last_error = $3 WHERE id = $1 AND state = 'pending'",
                        {QByteArray::number(id), QByteArray::number(delayMs), error.toUtf8()});
}

Result<void> InboxStore::bury(qint64 id, const QString &error, const QJsonObject &outcome)
{
    return m_db.command("UPDATE inbox SET state = 'dead', processed_at = now(), last_error = $2,"
                        "  outcome = $3 WHERE id = $1 AND state = 'pending'",
                        {QByteArray::number(id), error.toUtf8(), json(outcome)});
}

Result<QList<InboxRow>> InboxStore::list(qint64 tenantId, const QString &state, int limit)
{
    auto r = m_db.exec(
        "SELECT i.id, c.name, coalesce(i.provider_event_id, ''), i.state, i.attempts,"
        "  i.received_at, i.processed_at, coalesce(i.last_error, ''), coalesce(i.outcome, '{}') "
        "FROM inbox i JOIN inbound_connectors c ON c.id = i.connector_id "
        "WHERE i.tenant_id = $1 AND (coalesce($2, '') = '' OR i.state = $2) "
        "ORDER BY i.received_at DESC, i.id DESC LIMIT $3",
        {QByteArray::number(tenantId), state.toUtf8(), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<InboxRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3),
                    int(r->int64(i, 4)), r->timestamp(i, 5),
                    r->isNull(i, 6) ? QDateTime() : r->timestamp(i, 6), r->text(i, 7),
                    QJsonDocument::fromJson(r->bytes(i, 8)).object()});
    return out;
}

Result<qint64> InboxStore::replay(qint64 tenantId, const QList<qint64> &ids)
{
    auto r = m_db.exec("UPDATE inbox SET state = 'pending', attempts = 0, due_at = now(),"
                       "  processed_at = NULL WHERE tenant_id = $1 AND state = 'dead'"
                       "  AND id = ANY($2::bigint[])",
                       {QByteArray::number(tenantId), pgInt64Array(ids)});
    if (!r)
        return r.error();
    return r->affectedRows();
}

} // namespace ferry::agent::store
