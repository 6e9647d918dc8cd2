#pragma once

#include "agent/store/inbound/receiptstore.h"
#include "shared/result.h"

#include <QByteArray>
#include <QList>

namespace ferry::agent::inbound {

// The rank of a provider's message status: accepted 1, sent 2, delivered / undelivered /
// failed / bounced 3, read 4; 0 for a word that is not a delivery status (an inbound message).
int statusRank(const QString &status);
// Ferry's word for a provider's status: queued, scheduled → accepted; sending → sent; canceled
// → failed; the others as they are.
QString normalizedStatus(const QString &status);

// The delivery receipts in a provider's status callback. An empty list (no error) is a request
// that carries none, such as an inbound message. Errors say what was malformed.
Result<QList<store::Receipt>> twilioReceipts(const QByteArray &formBody);
Result<QList<store::Receipt>> whatsappReceipts(const QByteArray &jsonBody);
// A delivery status notification (RFC 3464) for an email Ferry sent: `Action: failed` is a
// bounce, `Action: delivered` a delivery, matched by the original message's Message-ID (the
// email adapter's provider message id) in the returned headers. `delayed`, `relayed` and
// `expanded` carry no final state: no receipt.
Result<QList<store::Receipt>> dsnReceipts(const QByteArray &message);

} // namespace ferry::agent::inbound
