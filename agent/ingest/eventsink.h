#pragma once

#include <QtGlobal>

#include <vector>

namespace ferry::agent::ingest {

struct WriteRequest;

// Where the ingest front ends hand their events: the batch writer of the one database, or, with
// database.partitions, the router that picks the batch writer of each tenant's database.
class EventSink
{
public:
    virtual ~EventSink() = default;
    // False when the events cannot be queued now (answer 503 at once; `requests` are left as
    // they were); otherwise every request's `done` is called exactly once. Calls with the same
    // shard key keep their order.
    virtual bool submit(std::vector<WriteRequest> &&requests, quint64 shardKey) = 0;
};

} // namespace ferry::agent::ingest
