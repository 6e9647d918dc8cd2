#include "agent/store/inbound/connectorstore.h"

#include "agent/store/admin/auditlog.h"
#include "shared/sealedvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

QByteArray sealedJson(const ConnectorSecrets &s)
{
    QJsonArray list;
    for (const QByteArray &secret : s.secrets)
        list.append(QString::fromUtf8(secret));
    QJsonObject o{{u"secrets"_s, list}};
    if (!s.verifyToken.isEmpty())
        o.insert(u"verify_token"_s, QString::fromUtf8(s.verifyToken));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

ConnectorSecrets secretsFrom(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    ConnectorSecrets s;
    for (const QJsonValue &v : o.value("secrets"_L1).toArray())
        s.secrets.append(v.toString().toUtf8());
    s.verifyToken = o.value("verify_token"_L1).toString().toUtf8();
    return s;
}

ConnectorInfo infoAt(const PgResult &r, int i)
{
    return {r.text(i, 0),       r.text(i, 1),    QJsonDocument::fromJson(r.bytes(i, 2)).object(),
            int(r.int64(i, 3)), r.boolean(i, 4), r.timestamp(i, 5),
            r.timestamp(i, 6)};
}

} // namespace

ConnectorStore::ConnectorStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

bool ConnectorStore::validName(const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    return valid.match(name).hasMatch();
}

const QStringList &ConnectorStore::kinds()
{
    static const QStringList list{u"stripe"_s, u"twilio"_s, u"whatsapp"_s, u"standard-webhooks"_s,
                                  u"hmac"_s};
    return list;
}

QByteArray ConnectorStore::context(qint64 connectorId)
{
    return "inbound connector " + QByteArray::number(connectorId) + " secrets";
}

// The row's id: the existing one, or a new one (the sealed secrets are bound to it).
Result<qint64> ConnectorStore::idFor(qint64 tenantId, const QString &name)
{
    auto r = m_db.exec("SELECT coalesce((SELECT id FROM inbound_connectors WHERE tenant_id = $1 "
                       "AND name = $2 FOR UPDATE), nextval('inbound_connectors_id_seq'))",
                       {QByteArray::number(tenantId), name.toUtf8()});
    if (!r)
        return r.error();
    return r->int64(0, 0);
}

Result<ConnectorInfo> ConnectorStore::put(qint64 tenantId, const QString &tenant,
                                          const QString &name, const QString &kind,
                                          const QJsonObject &settings,
                                          const ConnectorSecrets &secrets, const MasterKey &key,
                                          bool *created)
{
    if (!validName(name))
        return makeError(u"'%1' is not a valid connector name: use 1 to 63 lowercase letters, "
                         "digits, '.', '-' or '_', starting with a letter or digit"_s.arg(name),
                         422);
    if (!kinds().contains(kind))
        return makeError(u"unknown kind '%1': use one of %2"_s.arg(kind, kinds().join(u", "_s)),
                         422);
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto id = idFor(tenantId, name);
    if (!id)
        return id.error();
    QByteArray plain = sealedJson(secrets);
    const SealedValue sealed = SealedValue::seal(key, context(*id), plain);
    plain.fill('\0');
    auto r = m_db.exec(
        "INSERT INTO inbound_connectors (id, tenant_id, name, kind, settings, secrets_sealed,"
        "  secrets_nonce, secrets_key_id, secrets_count, has_verify_token)"
        "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, settings = excluded.settings,"
        "  secrets_sealed = excluded.secrets_sealed, secrets_nonce = excluded.secrets_nonce,"
        "  secrets_key_id = excluded.secrets_key_id, secrets_count = excluded.secrets_count,"
        "  has_verify_token = excluded.has_verify_token, updated_at = now() "
        "RETURNING name, kind, settings, secrets_count, has_verify_token, created_at, updated_at,"
        "  (xmax = 0)",
        {QByteArray::number(*id), QByteArray::number(tenantId), name.toUtf8(), kind.toUtf8(),
         QJsonDocument(settings).toJson(QJsonDocument::Compact), pgBytea(sealed.ciphertext),
         pgBytea(sealed.nonce), sealed.keyId, QByteArray::number(secrets.secrets.size()),
         secrets.verifyToken.isEmpty() ? "false" : "true"});
    if (!r)
        return r.error();
    const bool inserted = r->boolean(0, 7);
    const QJsonObject details{
        {u"kind"_s, kind}, {u"settings"_s, settings}, {u"secrets"_s, u"changed"_s}};
    auto a = writeAudit(m_db, {.actor = m_actor,
                               .action = inserted ? u"connector.create"_s : u"connector.update"_s,
                               .subject = tenant + u"/connector/"_s + name,
                               .tenant = tenant,
                               .details = details});
    if (!a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (created)
        *created = inserted;
    return infoAt(*r, 0);
}

Result<QList<ConnectorInfo>> ConnectorStore::list(qint64 tenantId)
{
    auto r = m_db.exec("SELECT name, kind, settings, secrets_count, has_verify_token, created_at,"
                       "  updated_at FROM inbound_connectors WHERE tenant_id = $1 ORDER BY name",
                       {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    QList<ConnectorInfo> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(infoAt(*r, i));
    return out;
}

Result<void> ConnectorStore::remove(qint64 tenantId, const QString &tenant, const QString &name)
{
    return m_db.inTransaction([&]() -> Result<void> {
        auto d = m_db.exec("DELETE FROM inbound_connectors WHERE tenant_id = $1 AND name = $2",
                           {QByteArray::number(tenantId), name.toUtf8()});
        if (!d)
            return d.error();
        if (d->affectedRows() == 0)
            return makeError(u"tenant '%1' has no connector named '%2'"_s.arg(tenant, name), 404);
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"connector.delete"_s,
                                 .subject = tenant + u"/connector/"_s + name,
                                 .tenant = tenant,
                                 .details = {}});
    });
}

Result<InboundConnector> ConnectorStore::open(const QString &tenant, const QString &name,
                                              const MasterKey *key)
{
    auto r = m_db.exec("SELECT c.id, c.tenant_id, t.name, c.kind, c.settings, c.secrets_sealed,"
                       "  c.secrets_nonce, c.secrets_key_id, t.disabled_at IS NOT NULL "
                       "FROM inbound_connectors c JOIN tenants t ON t.id = c.tenant_id "
                       "WHERE c.name = $2 AND (t.name = $1 OR (t.id::text = $1 AND NOT EXISTS ("
                       "  SELECT 1 FROM tenants n WHERE n.name = $1))) "
                       "ORDER BY (t.name = $1) DESC LIMIT 1",
                       {tenant.toUtf8(), name.toUtf8()});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no inbound connector '%1' for tenant '%2'"_s.arg(name, tenant), 404);
    InboundConnector c{r->int64(0, 0),
                       r->int64(0, 1),
                       r->text(0, 2),
                       name,
                       r->text(0, 3),
                       QJsonDocument::fromJson(r->bytes(0, 4)).object(),
                       {},
                       {},
                       r->boolean(0, 8)};
    const SealedValue sealed{r->bytea(0, 5), r->bytea(0, 6), r->bytes(0, 7)};
    auto plain =
        sealed.open(key, context(c.id), u"the secrets of connector '%1/%2'"_s.arg(c.tenant, name));
    if (!plain)
        return plain.error();
    ConnectorSecrets s = secretsFrom(*plain);
    plain->fill('\0');
    c.secrets = std::move(s.secrets);
    c.verifyToken = std::move(s.verifyToken);
    return c;
}

} // namespace ferry::agent::store
