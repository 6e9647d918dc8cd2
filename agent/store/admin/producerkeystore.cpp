#include "agent/store/admin/producerkeystore.h"

#include "agent/store/admin/auditlog.h"
#include "agent/store/admin/sealedsecretstore.h"

#include <zmq.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

Result<CurveKeyPair> generateCurveKeyPair()
{
    char pub[41] = {};
    char sec[41] = {};
    if (zmq_curve_keypair(pub, sec) != 0)
        return makeError(u"cannot create a CURVE key pair: %1"_s.arg(
            QString::fromLocal8Bit(zmq_strerror(zmq_errno()))));
    return CurveKeyPair{QByteArray(pub, 40), QByteArray(sec, 40)};
}

ProducerKeyStore::ProducerKeyStore(PgConnection &db)
    : m_db(db)
{}

// The stored pair, created (sealed under `key` when there is one) on first use.
Result<PgResult> ProducerKeyStore::storedServerKeys(const MasterKey *key)
{
    constexpr const char *kSelect =
        "SELECT public_key, secret_key, secret_sealed, secret_nonce, secret_key_id "
        "FROM agent_curve_keys WHERE id = 1";
    auto existing = m_db.exec(kSelect);
    if (!existing || existing->rows() > 0)
        return existing;
    auto fresh = generateCurveKeyPair();
    if (!fresh)
        return fresh.error();
    if (auto ins = SealedSecretStore(m_db).insertCurveKeys(fresh->publicKey, fresh->secretKey, key);
        !ins)
        return ins.error();
    return m_db.exec(kSelect);
}

Result<CurveKeyPair> ProducerKeyStore::serverKeys(const MasterKey *key)
{
    auto r = storedServerKeys(key);
    if (!r)
        return r.error();
    CurveKeyPair pair{r->bytes(0, 0), r->bytes(0, 1)};
    if (r->isNull(0, 2))
        return pair;
    const SealedValue sealed{r->bytea(0, 2), r->bytea(0, 3), r->bytes(0, 4)};
    auto secret = sealed.open(key, SealedSecretStore::curveContext(pair.publicKey),
                              u"the CURVE server secret key (agent_curve_keys)"_s);
    if (!secret)
        return secret.error();
    pair.secretKey = *secret;
    return pair;
}

Result<void> ProducerKeyStore::adoptServerKeys(const CurveKeyPair &pair, const MasterKey *key)
{
    constexpr const char *kSelect = "SELECT public_key FROM agent_curve_keys WHERE id = 1";
    auto r = m_db.exec(kSelect);
    if (r && r->rows() == 0) {
        if (auto ins = SealedSecretStore(m_db).insertCurveKeys(pair.publicKey, pair.secretKey, key);
            !ins)
            return ins.error();
        r = m_db.exec(kSelect);
    }
    if (!r)
        return r.error();
    if (r->bytes(0, 0) != pair.publicKey)
        return makeError(
            u"this database has a ZeroMQ server key of its own (%1), and an agent "
            "presents one key: main's (%2). Give its producers main's key, then "
            "delete this database's (DELETE FROM agent_curve_keys) and start again"_s.arg(
                QString::fromLatin1(r->bytes(0, 0)), QString::fromLatin1(pair.publicKey)));
    return {};
}

Result<QByteArray> ProducerKeyStore::serverPublicKey(const MasterKey *key)
{
    auto r = storedServerKeys(key);
    if (!r)
        return r.error();
    return r->bytes(0, 0);
}

Result<QHash<QByteArray, ActiveKey>> ProducerKeyStore::activeKeys()
{
    auto r = m_db.exec("SELECT k.public_key, k.tenant_id, t.name FROM producer_keys k"
                       "  JOIN tenants t ON t.id = k.tenant_id WHERE k.revoked_at IS NULL");
    if (!r)
        return r.error();
    const auto &rows = *r;
    QHash<QByteArray, ActiveKey> out;
    for (int i = 0; i < rows.rows(); ++i)
        out.insert(rows.bytes(i, 0), ActiveKey{rows.int64(i, 1), rows.text(i, 2)});
    return out;
}

Result<CurveKeyPair> ProducerKeyStore::addProducer(const QString &tenant, const QString &actor,
                                                   qint64 *id)
{
    auto keys = generateCurveKeyPair();
    if (!keys)
        return keys.error();
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto r = m_db.exec("INSERT INTO producer_keys (tenant_id, public_key) "
                       "SELECT id, $2 FROM tenants WHERE name = $1 RETURNING id",
                       {tenant.toUtf8(), keys->publicKey});
    if (r && r->rows() == 0)
        return makeError(u"no tenant named '%1' (create it with 'ferry-agent tenant create "
                         "%1')"_s.arg(tenant));
    if (r && id)
        *id = r->int64(0, 0);
    if (!r)
        return r.error();
    if (auto a = writeAudit(m_db, {.actor = actor,
                                   .action = u"producer.add"_s,
                                   .subject = tenant + u'/' + QString::fromLatin1(keys->publicKey),
                                   .tenant = tenant,
                                   .details = {}});
        !a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    return keys;
}

Result<void> ProducerKeyStore::revokeProducer(const QByteArray &publicKey, const QString &actor)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto r = m_db.exec("UPDATE producer_keys k SET revoked_at = now() WHERE public_key = $1 AND "
                       "revoked_at IS NULL "
                       "RETURNING (SELECT name FROM tenants t WHERE t.id = k.tenant_id)",
                       {publicKey});
    if (r && r->rows() == 0)
        return makeError(u"no active producer key %1 (see 'ferry-agent producer list')"_s.arg(
            QString::fromLatin1(publicKey)));
    if (!r)
        return r.error();
    if (auto a = writeAudit(m_db, {.actor = actor,
                                   .action = u"producer.revoke"_s,
                                   .subject = QString::fromLatin1(publicKey),
                                   .tenant = r->text(0, 0),
                                   .details = {}});
        !a)
        return a.error();
    return tx->commit();
}

Result<void> ProducerKeyStore::revokeProducer(const QString &tenant, qint64 id,
                                              const QString &actor)
{
    auto r = m_db.exec("SELECT k.public_key FROM producer_keys k JOIN tenants t ON "
                       "t.id = k.tenant_id WHERE t.name = $1 AND k.id = $2 AND "
                       "k.revoked_at IS NULL",
                       {tenant.toUtf8(), QByteArray::number(id)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"tenant '%1' has no active producer key %2 (see GET "
                         "/v1/tenants/%1/producers)"_s.arg(tenant)
                             .arg(id),
                         404);
    return revokeProducer(r->bytes(0, 0), actor);
}

Result<QList<ProducerKey>> ProducerKeyStore::listProducers(const QString &tenant)
{
    auto r = m_db.exec("SELECT k.id, t.name, k.public_key, k.created_at, k.revoked_at "
                       "FROM producer_keys k JOIN tenants t ON t.id = k.tenant_id "
                       "WHERE $1::text IS NULL OR t.name = $1 ORDER BY k.id",
                       {tenant.isEmpty() ? QByteArray() : tenant.toUtf8()});
    if (!r)
        return r.error();
    QList<ProducerKey> out;
    for (int i = 0; i < r->rows(); ++i) {
        ProducerKey k;
        k.id = r->int64(i, 0);
        k.tenant = r->text(i, 1);
        k.publicKey = r->bytes(i, 2);
        k.createdAt = r->timestamp(i, 3);
        k.revokedAt = r->timestamp(i, 4);
        out.append(k);
    }
    return out;
}

} // namespace ferry::agent::store
