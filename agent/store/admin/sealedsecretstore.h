#pragma once

#include "agent/store/pgconnection.h"
#include "shared/sealedvalue.h"

#include <QMap>
#include <QStringList>

namespace ferry::agent::store {

// What the database holds of secrets: how many are in clear, and how many are sealed under
// each master key (credentials, webhook signing secrets and the CURVE server secret key).
struct SecretInventory
{
    qint64 clearEndpointSecrets = 0;
    bool clearCurveKey = false;
    QMap<QByteArray, qint64> sealedByKey; // master key id → values sealed under it

    qint64 sealed() const;
    qint64 clear() const { return clearEndpointSecrets + (clearCurveKey ? 1 : 0); }
};

// What a master key rotation did.
struct RotationReport
{
    qint64 credentials = 0;     // sealed again under the new key
    qint64 endpointSecrets = 0; // sealed again, or sealed for the first time
    qint64 curveKeys = 0;
    qint64 connectorSecrets = 0; // inbound connectors' signing secrets
    QStringList unknown;         // values under neither key, left as they were
};

// Secrets at rest (decision 0024): webhook signing secrets and the CURVE server secret key,
// sealed with the master key as provider credentials are, each bound to its row. Without a
// master key they are kept in clear, until an agent that has one seals them at start.
class SealedSecretStore
{
public:
    explicit SealedSecretStore(PgConnection &db);

    // What a sealed value is bound to: the route, the CURVE key pair.
    static QByteArray endpointContext(qint64 endpointId);
    static QByteArray curveContext(const QByteArray &publicKey);

    // Inside the caller's transaction: stores a route's own signing secret, sealed under `key`,
    // or in clear when there is none; refused then if the database already seals secrets (the
    // command would need the key too).
    Result<void> setEndpointSecret(qint64 endpointId, const QByteArray &secret,
                                   const MasterKey *key);
    // Inside the caller's transaction: the CURVE server key pair, sealed likewise.
    Result<void> insertCurveKeys(const QByteArray &publicKey, const QByteArray &secretKey,
                                 const MasterKey *key);

    Result<SecretInventory> inventory();
    // Seals every secret still in clear under `key`, in one transaction; returns how many.
    Result<qint64> sealClearSecrets(const MasterKey &key);
    // Seals every secret again under `next`, in one transaction: those under `current`, and
    // those in clear. Values under any other key are named in the report and left as they are.
    Result<RotationReport> rotate(const MasterKey *current, const MasterKey &next);

private:
    Result<void> refuseClearWhenSealing();
    struct SecretTable;
    static const SecretTable kEndpoints;
    static const SecretTable kCurveKeys;
    static const SecretTable kConnectors;
    Result<qint64> reseal(const SecretTable &table, const MasterKey *current, const MasterKey &next,
                          QStringList *unknown);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
