#pragma once

#include "agent/store/pgconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace ferry::agent::store {

// The API's changes to a tenant (quotas, SLA targets, allowed networks, strict schemas, display
// name, disabled state, deletion),
// each audited with the tenant before and after in the same transaction. Creation is AdminStore's
// (the CLI).
class TenantStore
{
public:
    explicit TenantStore(PgConnection &db);

    struct TenantUpdate
    {
        // Each: unset = leave as is; quotas 0 = unlimited.
        std::optional<qint64> eventsPerSecond;
        std::optional<qint64> eventsPerDay;
        std::optional<qint64> maxPayloadBytes;
        std::optional<double> slaTarget;
        std::optional<qint64> slaLatencyMs;
        // Internal networks (CIDR text, checked by the caller) the tenant's deliveries may
        // reach on top of the agent's webhook.allowed_networks; empty: none of its own.
        std::optional<QStringList> allowedNetworks;
        // Refuse events of registered types that do not match their schema (docs/schemas.md).
        std::optional<bool> strictSchemas;
        // What people call the tenant (1 to 100 characters; its name stays its key).
        std::optional<QString> displayName;
        // True: ingest refuses the tenant's new events from then on; false: it takes them again.
        std::optional<bool> disabled;
    };
    // Updates quotas and SLA targets and writes the audit log (before/after) in one
    // transaction; answers the tenant as it is now, or nothing when there is no such tenant.
    Result<std::optional<QJsonObject>> updateTenant(const QString &name, const TenantUpdate &update,
                                                    const QString &actor);
    // The UPDATE alone, inside the caller's transaction (the CLI's `tenant quota` audits it
    // its own way): one row with the quotas as they are now (per second, per day, payload).
    Result<PgResult> applyUpdate(qint64 tenantId, const TenantUpdate &update);
    // The tenant's own allowed networks (empty when it has none, or there is no such tenant).
    Result<QStringList> allowedNetworks(qint64 tenantId);
    // Every tenant's own allowed networks, of the tenants that have any.
    Result<QHash<qint64, QStringList>> allAllowedNetworks();
    struct DeleteOutcome
    {
        bool found = false;
        bool deleted = false;
        qint64 unfinished = 0; // deliveries not yet finished when asked
    };
    // Deletes a tenant with everything it owns; refuses while deliveries are unfinished unless
    // `force`. Audited.
    Result<DeleteOutcome> deleteTenant(const QString &name, bool force, const QString &actor);

private:
    // The tenant's row (none when there is no such tenant), locked until the transaction ends.
    Result<PgResult> lockTenant(const QString &name);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
