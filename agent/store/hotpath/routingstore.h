#pragma once

#include "agent/store/pgconnection.h"

#include <QByteArray>

namespace ferry::agent::store {

// Routing, the stage between ingest and dispatch: each new event becomes one delivery per
// matching enabled route (a row of `endpoints`: same tenant, the event's type among the
// route's types or the route taking every type, and its schema version one the route takes or
// can upcast), in event order. Routing v0.
//
// For speed the events' insert and their routing are one statement (a CTE): the events travel
// to PostgreSQL once and are routed where they land. This class owns that statement; the
// ingest store calls it inside its batch transaction, so routing is still one round trip and
// commits or rolls back with the events.
class RoutingStore
{
public:
    explicit RoutingStore(PgConnection &db);

    // The new events, one array per column in PostgreSQL's binary format (PgBinaryArray::take):
    // id uuid, tenant bigint, source, ce id, type, partition key (null: none) text, payload json,
    // schema version (null: none) text.
    struct Events
    {
        qsizetype count = 0;
        QByteArray ids, tenants, sources, ceIds, types, partitionKeys, payloads, versions;
    };
    struct Routed
    {
        qint64 events = 0;     // inserted; fewer than given when a tenant was deleted meanwhile
        qint64 deliveries = 0; // created
    };
    // Inserts the events and routes them. An error with SQLSTATE 23503 when an event's tenant
    // was deleted while the batch was being stored (nothing of the batch may commit then).
    Result<Routed> insertAndRoute(Events &&events);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
