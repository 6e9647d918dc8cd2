#pragma once

#include "agent/ingest/batchwriter.h"
#include "shared/result.h"

#include <QJsonObject>

namespace ferry::agent::ingest {

// Publishes an event the agent makes itself (an inbound webhook's, a workflow step's) into a
// tenant's stream through the batch writer, as a producer's would be (dedupe, routing, the
// dispatchers' wake-up), and waits for the commit. Accepted and Duplicate are both success: the
// event's id (the original's for a duplicate) is in the reply. To be called from a thread of
// its own, never from the writer's. A refusal carries the HTTP status ingest would answer in
// Error::code: 409 (the id was taken by another event), 429, 413, 400, 422, or 503. A disabled
// tenant does not refuse these events: they follow what it accepted before (WriteRequest).
Result<IngestReply> publishAndWait(BatchWriter &writer, qint64 tenantId, const QJsonObject &json);

} // namespace ferry::agent::ingest
