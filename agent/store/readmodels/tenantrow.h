#pragma once

#include "agent/store/pgconnection.h"

#include <QJsonObject>

namespace ferry::agent::store {

// A tenant as the API shows it, read by ApiStore and written by TenantStore: the columns to
// select (a statement continues with its WHERE) and the JSON of one row of them.
inline constexpr const char *kTenantColumns =
    "SELECT id, name, created_at, max_events_per_second, max_events_per_day, max_payload_bytes, "
    "  sla_target, sla_latency_ms,"
    // Events received since midnight UTC (the day of the daily quota): an index-only range.
    "  (SELECT count(*) FROM events e WHERE e.tenant_id = tenants.id AND e.received_at >= "
    "    date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),"
    "  array_to_string(allowed_networks, ','), strict_schemas, coalesce(display_name, name),"
    "  disabled_at "
    "FROM tenants ";

QJsonObject tenantJson(const PgResult &r, int i);

} // namespace ferry::agent::store
