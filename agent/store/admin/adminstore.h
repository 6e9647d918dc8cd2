#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QDateTime>
#include <QList>
#include <QUuid>

#include <optional>

namespace ferry::agent::store {

// A producer's way in: an HTTP bearer token or a ZeroMQ CURVE key (its public half).
struct ProducerCredential
{
    QString kind; // "curve" | "token"
    qint64 id = 0;
    QByteArray publicKey; // curve only
    QDateTime createdAt;
    QDateTime revokedAt; // invalid while active
};

// Administrative SQL: tenants, producer tokens, quotas and endpoints.
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
    struct EndpointOptions
    {
        QString eventType;     // empty: every type
        QString retrySchedule; // empty: the agent's default
        int maxAttempts = 0;
        qint64 maxAgeSeconds = 0;
        int maxConcurrency = 0;
        bool ordered = false; // by the events' partition key
        QString onDead = QStringLiteral("block");
    };
    // Adds a webhook endpoint; returns its signing secret (whsec_…), which is stored sealed
    // under `key` (none: in clear, see SealedSecretStore).
    Result<QByteArray> addEndpoint(const QString &tenant, const QString &url,
                                   const EndpointOptions &options, const MasterKey *key);
    // The id of the tenant with this name; 0 when there is none.
    Result<qint64> findTenant(const QString &name);
    // A new producer token for the tenant: its id and the token (shown once).
    Result<QPair<qint64, QByteArray>> addProducerToken(const QString &tenant);
    // Fails with code 404 when the tenant has no such active token.
    Result<void> revokeProducerToken(const QString &tenant, qint64 id);
    // The tenant's producer tokens and CURVE keys, by (kind, id) after the given ones (paging).
    Result<QList<ProducerCredential>>
    producerCredentials(const QString &tenant, const QString &afterKind, qint64 afterId, int limit);
    // A delivery's state, or an empty string when there is no such delivery.
    Result<QString> deliveryState(const QUuid &id);

private:
    Result<qint64> tenantId(const QString &name);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
