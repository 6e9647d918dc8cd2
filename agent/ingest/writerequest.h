#pragma once

#include "agent/ingest/batchwriter.h"

namespace ferry {
struct CloudEvent;
}

namespace ferry::agent::ingest {

// The batch writer's request for one parsed event, the same for every ingest front end: the
// dedupe key is "key:<idempotency key>" when the producer gave one, else "ce:<source>␟<id>".
// `tokenHash` or `tenantId` says who sent it (see WriteRequest); `done` is the caller's to set.
WriteRequest makeWriteRequest(const CloudEvent &event, const QByteArray &tokenHash, qint64 tenantId,
                              const QString &idempotencyKey);

} // namespace ferry::agent::ingest
