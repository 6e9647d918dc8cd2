#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>
#include <QUuid>

#include <optional>

namespace ferry::agent::store {

struct DeadDelivery
{
    QUuid id;
    QString tenant;
    QUuid eventId;
    QString eventType;
    QString url;
    int attempts = 0;
    QString reason;
    QString lastError;
    QDateTime finishedAt;
};

// Administrative SQL: tenants, producer tokens, endpoints, and the dead-letter queue.
// Operator actions are written to the audit log in the same transaction.
class AdminStore
{
public:
    AdminStore(PgConnection &db, QString actor);

    // Creates a tenant and its first producer token; returns the token (shown once).
    Result<QByteArray> createTenant(const QString &name);
    struct Quotas
    {
        // Each: unset = leave as is, 0 = unlimited, otherwise the limit.
        std::optional<qint64> eventsPerSecond;
        std::optional<qint64> eventsPerDay;
        std::optional<qint64> maxPayloadBytes;
    };
    Result<void> setQuotas(const QString &tenant, const Quotas &quotas);
    // Adds a webhook endpoint; returns its signing secret (whsec_…).
    Result<QByteArray> addEndpoint(const QString &tenant, const QString &url,
                                   const QString &eventType);
    Result<QList<DeadDelivery>> listDead(const QString &tenant, int limit);
    // Queues a dead delivery again (attempts start over). Replaying a delivery that is not
    // dead changes nothing and says so.
    Result<void> replay(const QUuid &deliveryId);

private:
    Result<qint64> tenantId(const QString &name);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
