#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QHash>
#include <QList>

namespace ferry::agent::store {

struct CurveKeyPair
{
    QByteArray publicKey; // Z85, 40 characters
    QByteArray secretKey;
};

struct ProducerKey
{
    qint64 id = 0;
    QString tenant;
    QByteArray publicKey;
    QDateTime createdAt;
    QDateTime revokedAt; // invalid while active
};

// The SQL of ZeroMQ producer authentication: the agents' shared CURVE server key pair and the
// producers' public keys.
class ProducerKeyStore
{
public:
    explicit ProducerKeyStore(PgConnection &db);

    // The server key pair every agent on this database presents; created on first use.
    Result<CurveKeyPair> serverKeys();
    // Active producer keys (Z85 public key → tenant id).
    PgResultOr<QHash<QByteArray, qint64>> activeKeys();

    // Creates a key pair for a tenant and stores its public half; returns both (shown once).
    Result<CurveKeyPair> addProducer(const QString &tenant, const QString &actor);
    Result<void> revokeProducer(const QByteArray &publicKey, const QString &actor);
    Result<QList<ProducerKey>> listProducers(const QString &tenant);

private:
    PgConnection &m_db;
};

// A fresh CURVE key pair (libzmq, backed by libsodium).
Result<CurveKeyPair> generateCurveKeyPair();

} // namespace ferry::agent::store
