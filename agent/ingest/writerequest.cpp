#include "agent/ingest/writerequest.h"

#include "shared/cloudevent.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

WriteRequest makeWriteRequest(const CloudEvent &event, const QByteArray &tokenHash, qint64 tenantId,
                              const QString &idempotencyKey)
{
    WriteRequest r;
    r.tokenHash = tokenHash;
    r.item.tenantId = tenantId;
    r.item.key = idempotencyKey.isEmpty() ? u"ce:"_s + event.source + QChar(0x1f) + event.id
                                          : u"key:"_s + idempotencyKey;
    r.item.contentHash = event.contentHash();
    r.item.source = event.source;
    r.item.ceId = event.id;
    r.item.type = event.type;
    r.item.partitionKey = event.partitionKey;
    r.item.schemaVersion = event.schemaVersion;
    r.item.payload = event.canonicalJson();
    return r;
}

} // namespace ferry::agent::ingest
