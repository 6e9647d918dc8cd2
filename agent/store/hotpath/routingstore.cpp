#include "agent/store/hotpath/routingstore.h"

#include "agent/app/logging.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The events of the batch, in input order (ordinality o).
constexpr const char *kNewEvents =
    "WITH e AS (SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], "
    "  $5::text[], $6::text[], $7::json[], $8::text[]) "
    "  WITH ORDINALITY AS r(i, t, s, c, y, p, d, v, o)), ";

// Each tenant row is locked once here (what a foreign key would do for every event), so a
// tenant cannot be deleted under the batch; the events of a tenant that is already gone are
// not inserted, and the count tells.
constexpr const char *kInsertEvents =
    "tn AS (SELECT id FROM tenants WHERE id IN (SELECT DISTINCT t FROM e) "
    "  ORDER BY id FOR KEY SHARE), "
    "ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, partition_key, "
    "  payload, schema_version) SELECT i, t, s, c, y, p, d, v FROM e "
    "  WHERE t IN (SELECT id FROM tn) RETURNING 1), ";

// Routing v0: one delivery per matching enabled endpoint (its event types, and its schema
// versions: a route that names versions takes the events of those and of the versions its
// upcasts lead from, precomputed as schema_routable by RouteStore; an event without a version
// is not among them), in event order within each endpoint and partition (the order that
// matters: ordered endpoints' deliveries carry the partition key). The rows go in by (endpoint,
// partition key) first: the order in which every writer of `partitions` takes its rows (see
// kCompleteSql), so a commit and a batch of outcomes never deadlock on them. The deliveries'
// foreign key to events is checked at the end of the statement, after the events' insert above.
// Each new delivery's queue row is added by the statement trigger on deliveries
// (deliveries_insert_queue), once for the batch.
constexpr const char *kRoute =
    "dl AS (INSERT INTO deliveries (event_id, endpoint_id, tenant_id, partition_key) "
    "  SELECT e.i, ep.id, e.t, CASE WHEN ep.ordered THEN e.p END "
    "  FROM e JOIN endpoints ep ON ep.tenant_id = e.t AND ep.enabled "
    "    AND (ep.event_types IS NULL OR e.y = ANY (ep.event_types)) "
    "    AND (ep.schema_routable IS NULL OR e.v = ANY (ep.schema_routable)) "
    "  ORDER BY ep.id, CASE WHEN ep.ordered THEN e.p END, e.o RETURNING 1) ";

constexpr const char *kCounts = "SELECT (SELECT count(*) FROM ev), (SELECT count(*) FROM dl)";

// One string, built once: a prepared statement is named by its text's address.
const char *insertAndRouteSql()
{
    static const QByteArray sql = QByteArray(kNewEvents) + kInsertEvents + kRoute + kCounts;
    return sql.constData();
}

} // namespace

RoutingStore::RoutingStore(PgConnection &db)
    : m_db(db)
{}

Result<RoutingStore::Routed> RoutingStore::insertAndRoute(Events &&events)
{
    auto r = m_db.execPreparedBinary(insertAndRouteSql(),
                                     {std::move(events.ids), std::move(events.tenants),
                                      std::move(events.sources), std::move(events.ceIds),
                                      std::move(events.types), std::move(events.partitionKeys),
                                      std::move(events.payloads), std::move(events.versions)});
    if (!r)
        return r.error();
    const Routed routed{r->int64(0, 0), r->int64(0, 1)};
    if (routed.events != events.count) {
        qCWarning(lcRouting) << "batch not routed:" << events.count - routed.events << "of"
                             << events.count << "events belong to a deleted tenant";
        return makeSqlError(u"the event's tenant was deleted while the event was being stored"_s,
                            "23503");
    }
    qCDebug(lcRouting) << "routed" << routed.events << "events into" << routed.deliveries
                       << "deliveries";
    return routed;
}

} // namespace ferry::agent::store
