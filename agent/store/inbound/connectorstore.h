#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace ferry::agent::store {

// What may be shown about an inbound connector: never a secret.
struct ConnectorInfo
{
    QString name;
    QString kind;
    QJsonObject settings;
    int secrets = 0; // how many signing secrets it accepts (more than one during rotation)
    bool verifyToken = false;
    QDateTime createdAt;
    QDateTime updatedAt;
};

// A connector opened to check a request: its secrets in clear, for as long as the check takes.
struct InboundConnector
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString tenant;
    QString name;
    QString kind;
    QJsonObject settings;
    QList<QByteArray> secrets;
    QByteArray verifyToken;      // WhatsApp's subscription handshake
    bool tenantDisabled = false; // an admin disabled the tenant: its webhooks are refused
};

// What a connector is stored with.
struct ConnectorSecrets
{
    QList<QByteArray> secrets;
    QByteArray verifyToken;
};

// Inbound connectors (POST /v1/inbound/{tenant}/{connector}): a kind, settings and signing
// secrets sealed with the master key, bound to the connector's row. Errors carry an HTTP status
// in Error::code where the caller can act on them (404 no such connector or tenant, 422 invalid).
class ConnectorStore
{
public:
    ConnectorStore(PgConnection &db, QString actor);

    static bool validName(const QString &name);
    static const QStringList &kinds();
    static QByteArray context(qint64 connectorId);

    // Creates or replaces a connector; `created` tells which. Audited without its secrets.
    Result<ConnectorInfo> put(qint64 tenantId, const QString &tenant, const QString &name,
                              const QString &kind, const QJsonObject &settings,
                              const ConnectorSecrets &secrets, const MasterKey &key, bool *created);
    Result<QList<ConnectorInfo>> list(qint64 tenantId);
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &name);

    // The connector a request names, by tenant name (or, for a name of digits only that no
    // tenant has, by tenant id, as the SMS adapter's status callbacks give it), opened.
    Result<InboundConnector> open(const QString &tenant, const QString &name, const MasterKey *key);

private:
    Result<qint64> idFor(qint64 tenantId, const QString &name);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
