#pragma once

#include "shared/result.h"

#include <QtGlobal>

namespace ferry::demo {

// What the webhook receiver counted (its GET /stats).
struct ReceiverStats
{
    qint64 requests = 0, badSignatures = 0, failures = 0, deliveries = 0, distinctWebhookIds = 0,
           distinctEventIds = 0, duplicates = 0;

    // Asks the receiver listening on 127.0.0.1:`port`.
    static Result<ReceiverStats> fetch(quint16 port);
};

} // namespace ferry::demo
