#include "agent/store/admin/sealedsecretstore.h"

#include "agent/store/admin/credentialstore.h"
#include "agent/store/inbound/connectorstore.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The parameters that store a sealed value: `first`, then ciphertext, nonce and key id.
QList<QByteArray> sealedParams(const QByteArray &first, const SealedValue &sealed)
{
    return {first, pgBytea(sealed.ciphertext), pgBytea(sealed.nonce), sealed.keyId};
}

constexpr const char *kSealEndpoint = "UPDATE endpoints SET secret = NULL, secret_sealed = $2, "
                                      "secret_nonce = $3, secret_key_id = $4 WHERE id = $1";

// A row's secret: in clear, or sealed.
struct StoredSecret
{
    QByteArray clear;
    SealedValue sealed;
    QByteArray context;
    QString what;
};

StoredSecret storedAt(const PgResult &r, int i, int clearColumn)
{
    StoredSecret s;
    s.clear = r.bytes(i, clearColumn);
    if (!r.isNull(i, clearColumn + 1))
        s.sealed = {r.bytea(i, clearColumn + 1), r.bytea(i, clearColumn + 2),
                    r.bytes(i, clearColumn + 3)};
    return s;
}

// The secret sealed under `next`: from clear, or opened with `current`. Empty when it is sealed
// under neither key (named in `unknown`) or already under `next`.
Result<SealedValue> resealed(const StoredSecret &s, const MasterKey *current, const MasterKey &next,
                             QStringList *unknown)
{
    if (s.sealed.isNull())
        return SealedValue::seal(next, s.context, s.clear);
    if (s.sealed.keyId == next.id())
        return SealedValue();
    if (!current || s.sealed.keyId != current->id()) {
        unknown->append(u"%1 (master key %2)"_s.arg(s.what, QString::fromLatin1(s.sealed.keyId)));
        return SealedValue();
    }
    auto secret = s.sealed.open(current, s.context, s.what);
    if (!secret)
        return secret.error();
    SealedValue out = SealedValue::seal(next, s.context, *secret);
    secret->fill('\0');
    return out;
}

} // namespace

qint64 SecretInventory::sealed() const
{
    qint64 n = 0;
    for (const qint64 count : sealedByKey)
        n += count;
    return n;
}

SealedSecretStore::SealedSecretStore(PgConnection &db)
    : m_db(db)
{}

QByteArray SealedSecretStore::endpointContext(qint64 endpointId)
{
    return "route " + QByteArray::number(endpointId) + " signing secret";
}

QByteArray SealedSecretStore::curveContext(const QByteArray &publicKey)
{
    return "CURVE server secret key of " + publicKey;
}

Result<void> SealedSecretStore::refuseClearWhenSealing()
{
    auto r = m_db.exec("SELECT secret_key_id FROM endpoints WHERE secret_sealed IS NOT NULL "
                       "UNION ALL SELECT secret_key_id FROM agent_curve_keys "
                       "WHERE secret_sealed IS NOT NULL "
                       "UNION ALL SELECT key_id FROM credentials "
                       "UNION ALL SELECT secrets_key_id FROM inbound_connectors LIMIT 1");
    if (!r)
        return r.error();
    if (r->rows() > 0)
        return makeError(
            u"this database keeps its secrets sealed under master key %1, but no "
            "master key is configured here, and a secret is never stored in clear "
            "beside sealed ones: set credentials.master_key_file "
            "(FERRY_CREDENTIALS_MASTER_KEY_FILE) to that key's file"_s.arg(r->text(0, 0)));
    return {};
}

Result<void> SealedSecretStore::setEndpointSecret(qint64 endpointId, const QByteArray &secret,
                                                  const MasterKey *key)
{
    const QByteArray id = QByteArray::number(endpointId);
    if (!key) {
        if (auto refused = refuseClearWhenSealing(); !refused)
            return refused;
        auto r = m_db.exec("UPDATE endpoints SET secret = $2, secret_sealed = NULL, "
                           "secret_nonce = NULL, secret_key_id = NULL WHERE id = $1",
                           {id, secret});
        return r ? Result<void>() : r.error();
    }
    auto r =
        m_db.exec(kSealEndpoint,
                  sealedParams(id, SealedValue::seal(*key, endpointContext(endpointId), secret)));
    return r ? Result<void>() : r.error();
}

Result<void> SealedSecretStore::insertCurveKeys(const QByteArray &publicKey,
                                                const QByteArray &secretKey, const MasterKey *key)
{
    // Two agents starting at once: the first insert wins and both read it back.
    if (!key) {
        if (auto refused = refuseClearWhenSealing(); !refused)
            return refused;
        auto r = m_db.exec("INSERT INTO agent_curve_keys (id, public_key, secret_key) "
                           "VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
                           {publicKey, secretKey});
        return r ? Result<void>() : r.error();
    }
    auto r = m_db.exec(
        "INSERT INTO agent_curve_keys (id, public_key, secret_sealed, secret_nonce,"
        "  secret_key_id) VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        sealedParams(publicKey, SealedValue::seal(*key, curveContext(publicKey), secretKey)));
    return r ? Result<void>() : r.error();
}

Result<SecretInventory> SealedSecretStore::inventory()
{
    auto r =
        m_db.exec("SELECT 'sealed', key_id, count(*) FROM credentials GROUP BY key_id "
                  "UNION ALL SELECT 'sealed', secret_key_id, count(*) FROM endpoints "
                  "  WHERE secret_sealed IS NOT NULL GROUP BY secret_key_id "
                  "UNION ALL SELECT 'sealed', secret_key_id, 1 FROM agent_curve_keys "
                  "  WHERE secret_sealed IS NOT NULL "
                  "UNION ALL SELECT 'sealed', secrets_key_id, count(*) FROM inbound_connectors "
                  "  GROUP BY secrets_key_id "
                  "UNION ALL SELECT 'endpoint', '', count(*) FROM endpoints WHERE secret <> '' "
                  "UNION ALL SELECT 'curve', '', count(*) FROM agent_curve_keys "
                  "  WHERE secret_key IS NOT NULL");
    if (!r)
        return r.error();
    SecretInventory out;
    for (int i = 0; i < r->rows(); ++i) {
        const QByteArray kind = r->bytes(i, 0);
        if (kind == "sealed")
            out.sealedByKey[r->bytes(i, 1)] += r->int64(i, 2);
        else if (kind == "endpoint")
            out.clearEndpointSecrets = r->int64(i, 2);
        else
            out.clearCurveKey = r->int64(i, 2) > 0;
    }
    return out;
}

// A table of secrets: how its rows are read (row key, clear value, sealed columns; $1 is the
// id of the key to seal under) and written back sealed ($1 the row key), what a value is bound
// to and how errors name it.
struct SealedSecretStore::SecretTable
{
    const char *select;
    const char *update;
    QByteArray (*context)(const QByteArray &rowKey);
    QString (*what)(const QByteArray &rowKey);
};

const SealedSecretStore::SecretTable SealedSecretStore::kEndpoints{
    "SELECT id, secret, secret_sealed, secret_nonce, secret_key_id FROM endpoints "
    "WHERE secret <> '' OR secret_key_id <> $1 ORDER BY id FOR UPDATE",
    kSealEndpoint, [](const QByteArray &id) { return endpointContext(id.toLongLong()); },
    [](const QByteArray &id) {
        return u"the signing secret of route %1"_s.arg(QLatin1StringView(id));
    }};

const SealedSecretStore::SecretTable SealedSecretStore::kCurveKeys{
    "SELECT public_key, secret_key, secret_sealed, secret_nonce, secret_key_id "
    "FROM agent_curve_keys WHERE secret_key IS NOT NULL OR secret_key_id <> $1 FOR UPDATE",
    "UPDATE agent_curve_keys SET secret_key = NULL, secret_sealed = $2, secret_nonce = $3, "
    "secret_key_id = $4 WHERE public_key = $1",
    &curveContext, [](const QByteArray &) { return u"the CURVE server secret key"_s; }};

const SealedSecretStore::SecretTable SealedSecretStore::kConnectors{
    "SELECT id, '', secrets_sealed, secrets_nonce, secrets_key_id FROM inbound_connectors "
    "WHERE secrets_key_id <> $1 ORDER BY id FOR UPDATE",
    "UPDATE inbound_connectors SET secrets_sealed = $2, secrets_nonce = $3, secrets_key_id = $4 "
    "WHERE id = $1",
    [](const QByteArray &id) { return ConnectorStore::context(id.toLongLong()); },
    [](const QByteArray &id) {
        return u"the secrets of inbound connector %1"_s.arg(QLatin1StringView(id));
    }};

Result<qint64> SealedSecretStore::reseal(const SecretTable &table, const MasterKey *current,
                                         const MasterKey &next, QStringList *unknown)
{
    auto r = m_db.exec(table.select, {next.id()});
    if (!r)
        return r.error();
    qint64 done = 0;
    for (int i = 0; i < r->rows(); ++i) {
        const QByteArray rowKey = r->bytes(i, 0);
        StoredSecret s = storedAt(*r, i, 1);
        s.context = table.context(rowKey);
        s.what = table.what(rowKey);
        auto sealed = resealed(s, current, next, unknown);
        if (!sealed)
            return sealed.error();
        if (sealed->isNull())
            continue;
        if (auto u = m_db.exec(table.update, sealedParams(rowKey, *sealed)); !u)
            return u.error();
        ++done;
    }
    return done;
}

Result<qint64> SealedSecretStore::sealClearSecrets(const MasterKey &key)
{
    return m_db.inTransaction([&]() -> Result<qint64> {
        QStringList unknown; // sealed under other keys: not this step's business
        auto endpoints = reseal(kEndpoints, nullptr, key, &unknown);
        if (!endpoints)
            return endpoints.error();
        auto curve = reseal(kCurveKeys, nullptr, key, &unknown);
        if (!curve)
            return curve.error();
        return *endpoints + *curve;
    });
}

Result<RotationReport> SealedSecretStore::rotate(const MasterKey *current, const MasterKey &next)
{
    return m_db.inTransaction([&]() -> Result<RotationReport> {
        RotationReport report;
        auto credentials = CredentialStore(m_db, {}).reseal(current, next, &report.unknown);
        if (!credentials)
            return credentials.error();
        auto endpoints = reseal(kEndpoints, current, next, &report.unknown);
        if (!endpoints)
            return endpoints.error();
        auto curve = reseal(kCurveKeys, current, next, &report.unknown);
        if (!curve)
            return curve.error();
        auto connectors = reseal(kConnectors, current, next, &report.unknown);
        if (!connectors)
            return connectors.error();
        report.connectorSecrets = *connectors;
        report.credentials = *credentials;
        report.endpointSecrets = *endpoints;
        report.curveKeys = *curve;
        return report;
    });
}

} // namespace ferry::agent::store
