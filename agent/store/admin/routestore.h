#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace ferry::agent::store {

// A route: where a tenant's events of some types go, through which channel, with which retry
// policy, ordering and concurrency. Stored as a row of `endpoints` (the dispatcher's word).
struct Route
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString tenant;
    QString name; // empty: unnamed; unique among the tenant's named routes
    QString channel = QStringLiteral("webhook");
    QString target;         // the webhook URL, or the recipient (a template) of a message
    QStringList eventTypes; // empty: every type
    QString retrySchedule;  // "0s,5s,…", "exponential", or empty: the agent's default
    int maxAttempts = 0;    // 0: the policy's
    qint64 maxAgeSeconds = 0;
    bool ordered = false;
    QString onBlock = QStringLiteral("block"); // block | skip, for ordered routes
    int concurrency = 0;                       // 0: the agent's default
    double ratePerSecond = 0;                  // 0: no rate limit (all agents together)
    QString templateText;                      // null: none
    bool enabled = true;
    QString credential; // empty: signed with the route's own secret
    // The schema versions the route takes (empty: every version, and events without one), and
    // the upcasts from older versions (routing::parseUpcasts(); checked by the caller).
    QStringList schemaVersions;
    QJsonArray upcasts;

    // The API's view: no secret in it.
    QJsonObject toJson() const;
    // The credential provider a channel sends through (webhook: optional); empty: none.
    static const QString &providerFor(const QString &channel);
    // email, sms, whatsapp, push: a rendered message to a recipient, through a provider account.
    static bool sendsMessages(const QString &channel);
};

// The SQL of routes. Every change is audited (without secrets) in the same transaction.
// Errors a caller can fix carry an HTTP status in Error::code: 404 no such route, 422 for a
// credential that does not exist or does not fit the channel.
class RouteStore
{
public:
    // `key` seals new signing secrets (none: kept in clear, see SealedSecretStore).
    RouteStore(PgConnection &db, QString actor, const MasterKey *key);

    // `tenantId` 0: every tenant. Ordered by id, after `afterId` (paging).
    Result<QList<Route>> list(qint64 tenantId, qint64 afterId, int limit);
    Result<Route> get(qint64 id);
    // Creates `route` (its tenantId set). A route without a credential gets a fresh signing
    // secret, returned once through `signingSecret`.
    Result<Route> create(const Route &route, QByteArray *signingSecret);
    // Writes `route` over the stored one (same id); `signingSecret` as for create() when the
    // route no longer names a credential and has no secret of its own yet.
    Result<Route> update(const Route &route, QByteArray *signingSecret);
    // Disables the route; its deliveries keep their history.
    Result<void> disable(qint64 id);

    // What a test send created.
    struct TestSend
    {
        QUuid eventId;
        QUuid deliveryId;
    };
    // A synthetic `ferry.test` event of the route's tenant with one delivery to `route` alone
    // (whatever its event types), marked so that it gets one attempt and never reaches the
    // dead-letter queue (decision 0029). Audited as route.test; wakes the dispatchers.
    Result<TestSend> sendTest(const Route &route);

private:
    Result<qint64> credentialId(const Route &route);
    Result<void> setRate(qint64 id, double ratePerSecond);
    // The route's schema versions, upcasts and the versions routing lets through.
    Result<void> setSchemas(qint64 id, const Route &route);
    Result<void> storeOwnSecret(qint64 id, qint64 credential, const QByteArray &secret);
    Result<void> audit(const char *action, const Route &route, QJsonObject details);

    PgConnection &m_db;
    QString m_actor;
    const MasterKey *m_key;
};

} // namespace ferry::agent::store
