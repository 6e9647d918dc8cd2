#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace ferry::agent::store {

// One status a provider reported for a message it accepted.
struct Receipt
{
    QString providerMessageId;
    QString status; // accepted, sent, delivered, read, undelivered, failed, bounced
    int rank = 0;   // see delivery_receipts: only a higher rank moves a message on
    QString error;
    std::optional<double> cost; // what the provider charged, when it says
    QString currency;
};

// What a receipt did.
enum class ReceiptEffect {
    Applied,   // the message moved forward
    Ignored,   // repeated, late or out of order: the message stays where it is
    Unmatched, // no delivery of this tenant has this provider message id (yet)
};

// A tenant's message receipts and billing ledger, as the SQL sees them.
struct ReceiptRow
{
    QString deliveryId;
    QString channel;
    QString providerMessageId;
    QString status;
    QString error;
    int receipts = 0;
    QDateTime acceptedAt;
    QDateTime updatedAt;
    std::optional<double> cost;
    QString currency;
    bool estimated = true;
};

// Delivery receipts (forward only) and the billing ledger. Callers run apply() inside their
// transaction, with the inbox entry the receipts came from.
class ReceiptStore
{
public:
    explicit ReceiptStore(PgConnection &db);

    Result<ReceiptEffect> apply(qint64 tenantId, const Receipt &receipt);
    // What the provider says a message cost replaces the estimate (the ledger keeps one entry);
    // nothing when the receipt names no cost.
    Result<void> recordCost(const QByteArray &deliveryId, const Receipt &receipt);
    // The messages of a tenant, newest first, with their ledger entry.
    Result<QList<ReceiptRow>> list(qint64 tenantId, int limit);
    // Per-tenant unit prices that estimate a message's cost when its provider does not say.
    Result<void> setPrice(qint64 tenantId, const QString &tenant, const QString &channel,
                          double unitCost, const QString &currency, const QString &actor);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
