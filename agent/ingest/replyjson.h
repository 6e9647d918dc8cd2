#pragma once

#include <QJsonObject>
#include <QPair>

namespace ferry::agent::ingest {

struct IngestReply;

// One event's answer as a status code (mirroring HTTP) and a JSON object: the event id and
// duplicate flag, or RFC 9457 problem members. Shared by HTTP and ZeroMQ ingest.
QPair<int, QJsonObject> replyObject(const IngestReply &reply);

} // namespace ferry::agent::ingest
