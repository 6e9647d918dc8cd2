#pragma once

#include "agent/store/pgconnection.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace ferry::agent::store {

// Read models of the TLS API. `tenantId` 0 means every tenant.
class ApiStore
{
public:
    explicit ApiStore(PgConnection &db);

    Result<QJsonObject> overview(qint64 tenantId);
    Result<QJsonArray> tenants(qint64 tenantId);
    // The tenant's id and JSON, or an empty object when there is none.
    Result<QPair<qint64, QJsonObject>> tenant(const QString &name);
    Result<QJsonArray> audit(int limit, qint64 beforeId);
    // The tenant a delivery belongs to; 0 when there is no such delivery.
    Result<qint64> deliveryTenant(const QUuid &id);

    struct TenantUpdate
    {
        // Each: unset = leave as is; quotas 0 = unlimited.
        std::optional<qint64> eventsPerSecond;
        std::optional<qint64> eventsPerDay;
        std::optional<qint64> maxPayloadBytes;
        std::optional<double> slaTarget;
        std::optional<qint64> slaLatencyMs;
    };
    // Updates quotas and SLA targets and writes the audit log (before/after) in one
    // transaction; answers the tenant as it is now, or nothing when there is no such tenant.
    Result<std::optional<QJsonObject>> updateTenant(const QString &name, const TenantUpdate &update,
                                                    const QString &actor);
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
    PgConnection &m_db;
};

} // namespace ferry::agent::store
