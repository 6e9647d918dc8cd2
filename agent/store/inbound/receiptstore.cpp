#include "agent/store/inbound/receiptstore.h"

#include "agent/store/admin/auditlog.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

ReceiptStore::ReceiptStore(PgConnection &db)
    : m_db(db)
{}

// The receipt row is locked first, so two receipts of one message (two agents, one webhook
// each) apply one after the other and the rank guard sees the other's result.
Result<ReceiptEffect> ReceiptStore::apply(qint64 tenantId, const Receipt &receipt)
{
    auto found = m_db.exec("SELECT r.delivery_id, r.rank FROM delivery_receipts r "
                           "JOIN deliveries d ON d.id = r.delivery_id "
                           "WHERE d.provider_message_id = $2 AND d.tenant_id = $1 FOR UPDATE OF r",
                           {QByteArray::number(tenantId), receipt.providerMessageId.toUtf8()});
    if (!found)
        return found.error();
    if (found->rows() == 0)
        return ReceiptEffect::Unmatched;
    const QByteArray deliveryId = found->bytes(0, 0);
    const bool forward = receipt.rank > found->int64(0, 1);
    auto u = m_db.exec("UPDATE delivery_receipts SET receipts = receipts + 1,"
                       "  status = CASE WHEN $2 THEN $3 ELSE status END,"
                       "  rank = CASE WHEN $2 THEN $4::smallint ELSE rank END,"
                       "  error = CASE WHEN $2 THEN nullif($5, '') ELSE error END,"
                       "  updated_at = CASE WHEN $2 THEN now() ELSE updated_at END "
                       "WHERE delivery_id = $1",
                       {deliveryId, forward ? "true" : "false", receipt.status.toUtf8(),
                        QByteArray::number(receipt.rank), receipt.error.toUtf8()});
    if (!u)
        return u.error();
    if (auto c = recordCost(deliveryId, receipt); !c)
        return c.error();
    return forward ? ReceiptEffect::Applied : ReceiptEffect::Ignored;
}

// What the provider says a message cost replaces the estimate (the ledger keeps one entry).
Result<void> ReceiptStore::recordCost(const QByteArray &deliveryId, const Receipt &receipt)
{
    if (!receipt.cost || receipt.currency.isEmpty())
        return {};
    return m_db.command(
        "UPDATE billing_ledger SET cost = $2::numeric, currency = $3, estimated = false,"
        "  updated_at = now() WHERE delivery_id = $1",
        {deliveryId, QByteArray::number(*receipt.cost, 'f', 6), receipt.currency.toUtf8()});
}

Result<QList<ReceiptRow>> ReceiptStore::list(qint64 tenantId, int limit)
{
    auto r = m_db.exec(
        "SELECT r.delivery_id, r.channel, r.provider_message_id, r.status,"
        "  coalesce(r.error, ''), r.receipts, r.accepted_at, r.updated_at, l.cost::text,"
        "  coalesce(l.currency, ''), coalesce(l.estimated, true) "
        "FROM delivery_receipts r LEFT JOIN billing_ledger l ON l.delivery_id = r.delivery_id "
        "WHERE r.tenant_id = $1 ORDER BY r.accepted_at DESC LIMIT $2",
        {QByteArray::number(tenantId), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ReceiptRow> out;
    for (int i = 0; i < r->rows(); ++i) {
        ReceiptRow row{r->text(i, 0),      r->text(i, 1),      r->text(i, 2),
                       r->text(i, 3),      r->text(i, 4),      int(r->int64(i, 5)),
                       r->timestamp(i, 6), r->timestamp(i, 7), {},
                       r->text(i, 9),      r->boolean(i, 10)};
        if (!r->isNull(i, 8))
            row.cost = r->text(i, 8).toDouble();
        out.append(row);
    }
    return out;
}

Result<void> ReceiptStore::setPrice(qint64 tenantId, const QString &tenant, const QString &channel,
                                    double unitCost, const QString &currency, const QString &actor)
{
    return m_db.inTransaction([&]() -> Result<void> {
        auto p = m_db.command(
            "INSERT INTO tenant_prices (tenant_id, channel, unit_cost, currency) "
            "VALUES ($1, $2, $3::numeric, $4) ON CONFLICT (tenant_id, channel) DO UPDATE SET "
            "unit_cost = excluded.unit_cost, currency = excluded.currency, updated_at = now()",
            {QByteArray::number(tenantId), channel.toUtf8(), QByteArray::number(unitCost, 'f', 6),
             currency.toUtf8()});
        if (!p)
            return p.error();
        const QJsonObject details{{u"unit_cost"_s, unitCost}, {u"currency"_s, currency}};
        return writeAudit(m_db, {.actor = actor,
                                 .action = u"price.set"_s,
                                 .subject = tenant + u"/price/"_s + channel,
                                 .tenant = tenant,
                                 .details = details});
    });
}

} // namespace ferry::agent::store
