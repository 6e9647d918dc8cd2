#pragma once

#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

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

// An active producer key's tenant.
struct ActiveKey
{
    qint64 tenantId = 0;
    QString tenant;
};

// The SQL of ZeroMQ producer authentication: the agents' shared CURVE server key pair and the
// producers' public keys.
class ProducerKeyStore
{
public:
    explicit ProducerKeyStore(PgConnection &db);

    // The server key pair every agent on this database presents; created on first use. Its
    // secret half is sealed under the master key (none: kept in clear, see SealedSecretStore);
    // it fails, saying which key it needs, when `key` cannot open it.
    Result<CurveKeyPair> serverKeys(const MasterKey *key);
    // database.partitions: every database of an agent presents main's pair, since one ZeroMQ
    // socket has one key. Stores `pair` where there is none yet; an error when the database
    // already holds another (its producers pinned that one).
    Result<void> adoptServerKeys(const CurveKeyPair &pair, const MasterKey *key);
    // The public half alone (created likewise on first use): no key is needed to read it.
    Result<QByteArray> serverPublicKey(const MasterKey *key);
    // Active producer keys (Z85 public key → its tenant).
    Result<QHash<QByteArray, ActiveKey>> activeKeys();

    // Creates a key pair for a tenant and stores its public half; returns both (shown once).
    // `id`, when given, receives the key's id.
    Result<CurveKeyPair> addProducer(const QString &tenant, const QString &actor,
                                     qint64 *id = nullptr);
    Result<void> revokeProducer(const QByteArray &publicKey, const QString &actor);
    // Revokes the tenant's key with this id; code 404 when it has no such active key. Agents
    // drop the key at their next refresh (zmq.key_refresh), as after revokeProducer().
    Result<void> revokeProducer(const QString &tenant, qint64 id, const QString &actor);
    Result<QList<ProducerKey>> listProducers(const QString &tenant);

private:
    Result<PgResult> storedServerKeys(const MasterKey *key);

    PgConnection &m_db;
};

// A fresh CURVE key pair (libzmq, backed by libsodium).
Result<CurveKeyPair> generateCurveKeyPair();

} // namespace ferry::agent::store
