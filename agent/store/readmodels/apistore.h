#pragma once

#include "agent/store/pgconnection.h"

#include <QHash>
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
    // The tenant a delivery belongs to; 0 when there is no such delivery.
    Result<qint64> deliveryTenant(const QUuid &id);
    // The tenants of many deliveries in one query; ids that name no delivery are left out.
    Result<QHash<QUuid, qint64>> deliveryTenants(const QList<QUuid> &ids);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
