#pragma once

#include "shared/result.h"

#include <QtGlobal>

namespace ferry::demo {

// What the webhook receiver counted (its GET /stats).
struct ReceiverStats
{
    qint64 requests = 0, badSignatures = 0, failures = 0, deliveries = 0, distinctWebhookIds = 0,
           distinctEventIds = 0, duplicates = 0;

    // What came after `before` (the webhooks of the workflow example).
    void subtract(const ReceiverStats &before)
    {
        requests -= before.requests;
        badSignatures -= before.badSignatures;
        failures -= before.failures;
        deliveries -= before.deliveries;
        distinctWebhookIds -= before.distinctWebhookIds;
        distinctEventIds -= before.distinctEventIds;
        duplicates -= before.duplicates;
    }

    // Asks the receiver listening on 127.0.0.1:`port`.
    static Result<ReceiverStats> fetch(quint16 port);
};

} // namespace ferry::demo
