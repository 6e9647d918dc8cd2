#include "agent/store/admin/credentialstore.h"

#include "agent/store/admin/auditlog.h"
#include "agent/store/admin/routestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The sealed plaintext: the secret bound to its tenant and name.
QByteArray envelope(qint64 tenantId, const QString &name, const QJsonValue &secret)
{
    return QJsonDocument(QJsonObject{{u"v"_s, 1},
                                     {u"tenant_id"_s, QString::number(tenantId)},
                                     {u"name"_s, name},
                                     {u"secret"_s, secret}})
        .toJson(QJsonDocument::Compact);
}

QByteArray canonical(const QJsonValue &secret)
{
    return QJsonDocument(QJsonArray{secret}).toJson(QJsonDocument::Compact);
}

} // namespace

CredentialStore::CredentialStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

bool CredentialStore::validName(const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    return valid.match(name).hasMatch();
}

const QStringList &CredentialStore::providers()
{
    static const QStringList list{u"webhook"_s, u"twilio"_s, u"meta"_s, u"fcm"_s, u"smtp"_s};
    return list;
}

Result<CredentialInfo> CredentialStore::put(qint64 tenantId, const QString &tenant,
                                            const QString &name, const QString &provider,
                                            const QJsonValue &secret,
                                            const AccountSettings &account, const MasterKey &key,
                                            bool *created)
{
    if (!validName(name))
        return makeError(u"'%1' is not a valid credential name: use 1 to 63 lowercase letters, "
                         "digits, '.', '-' or '_', starting with a letter or digit"_s.arg(name),
                         422);
    if (!providers().contains(provider))
        return makeError(
            u"unknown provider '%1': use one of %2"_s.arg(provider, providers().join(u", "_s)),
            422);
    QByteArray plain = envelope(tenantId, name, secret);
    QByteArray nonce;
    const QByteArray sealed = key.seal(plain, &nonce);
    plain.fill('\0');
    const QByteArray fingerprint = key.fingerprint(canonical(secret));

    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    if (auto fits = fitsItsRoutes(tenantId, name, provider); !fits)
        return fits.error();
    auto r = m_db.exec(
        "INSERT INTO credentials (tenant_id, name, provider, ciphertext, nonce, key_id,"
        "  fingerprint, base_url, rate_per_second, max_concurrency)"
        "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (tenant_id, name) DO UPDATE SET provider = excluded.provider,"
        "  ciphertext = excluded.ciphertext, nonce = excluded.nonce, key_id = excluded.key_id,"
        "  fingerprint = excluded.fingerprint, base_url = excluded.base_url,"
        "  rate_per_second = excluded.rate_per_second,"
        "  max_concurrency = excluded.max_concurrency, updated_at = now() "
        "RETURNING created_at, updated_at, (xmax = 0) AS inserted",
        {QByteArray::number(tenantId), name.toUtf8(), provider.toUtf8(), pgBytea(sealed),
         pgBytea(nonce), key.id(), fingerprint,
         account.baseUrl.isEmpty() ? QByteArray() : account.baseUrl.toUtf8(),
         account.ratePerSecond > 0 ? QByteArray::number(account.ratePerSecond, 'g', 12)
                                   : QByteArray(),
         account.maxConcurrency > 0 ? QByteArray::number(account.maxConcurrency) : QByteArray()});
    if (r) {
        // What changed, never what it is: the audit log records no secret, no fingerprint.
        const QJsonObject details{{u"provider"_s, provider},
                                  {u"secret"_s, u"changed"_s},
                                  {u"base_url"_s, account.baseUrl},
                                  {u"rate_per_second"_s, account.ratePerSecond},
                                  {u"max_concurrency"_s, account.maxConcurrency}};
        auto a = writeAudit(
            m_db, {.actor = m_actor,
                   .action = r->boolean(0, 2) ? u"credential.create"_s : u"credential.update"_s,
                   .subject = tenant + u"/credential/"_s + name,
                   .tenant = tenant,
                   .details = details});
        if (!a)
            return a.error();
    }
    if (!r)
        return r.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (created)
        *created = r->boolean(0, 2);
    return CredentialInfo{
        name,   provider, r->timestamp(0, 0), r->timestamp(0, 1), QString::fromLatin1(fingerprint),
        account};
}

Result<void> CredentialStore::fitsItsRoutes(qint64 tenantId, const QString &name,
                                            const QString &provider)
{
    auto r = m_db.exec("SELECT ep.id, ep.channel FROM endpoints ep JOIN credentials c ON "
                       "c.id = ep.credential_id WHERE c.tenant_id = $1 AND c.name = $2 "
                       "ORDER BY ep.id FOR UPDATE OF c",
                       {QByteArray::number(tenantId), name.toUtf8()});
    if (!r)
        return r.error();
    for (int i = 0; i < r->rows(); ++i) {
        const QString channel = r->text(i, 1);
        const QString &needs = Route::providerFor(channel);
        if (needs != provider)
            return makeError(u"credential '%1' is used by route %2, a %3 route that needs a '%4' "
                             "credential: point the route at another credential first, or store "
                             "this one as '%4'"_s.arg(name)
                                 .arg(r->int64(i, 0))
                                 .arg(channel, needs.isEmpty() ? u"(none)"_s : needs),
                             409);
    }
    return {};
}

Result<QList<CredentialInfo>> CredentialStore::list(qint64 tenantId, const QString &afterName,
                                                    int limit)
{
    auto r =
        m_db.exec("SELECT name, provider, created_at, updated_at, fingerprint,"
                  "  coalesce(base_url, ''), coalesce(rate_per_second, 0)::text,"
                  "  coalesce(max_concurrency, 0) "
                  "FROM credentials WHERE tenant_id = $1 AND name > coalesce($2, '') ORDER BY name "
                  "LIMIT $3",
                  {QByteArray::number(tenantId), afterName.toUtf8(), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<CredentialInfo> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->text(i, 0), r->text(i, 1), r->timestamp(i, 2), r->timestamp(i, 3),
                    r->text(i, 4),
                    AccountSettings{r->text(i, 5), r->real(i, 6), int(r->int64(i, 7))}});
    return out;
}

Result<void> CredentialStore::remove(qint64 tenantId, const QString &tenant, const QString &name)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto c = m_db.exec("SELECT id FROM credentials WHERE tenant_id = $1 AND name = $2 FOR UPDATE",
                       {QByteArray::number(tenantId), name.toUtf8()});
    if (!c)
        return c.error();
    if (c->rows() == 0)
        return makeError(u"tenant '%1' has no credential named '%2'"_s.arg(tenant, name), 404);
    auto used = m_db.exec("SELECT string_agg(id::text, ', ' ORDER BY id) FROM endpoints "
                          "WHERE credential_id = $1",
                          {c->bytes(0, 0)});
    if (!used)
        return used.error();
    if (!used->isNull(0, 0))
        return makeError(u"credential '%1' is used by route(s) %2: give them another "
                         "credential (PATCH /v1/routes/{id}) first"_s.arg(name, used->text(0, 0)),
                         409);
    auto d = m_db.exec("DELETE FROM credentials WHERE id = $1", {c->bytes(0, 0)});
    if (!d)
        return d.error();
    auto a = writeAudit(m_db, {.actor = m_actor,
                               .action = u"credential.delete"_s,
                               .subject = tenant + u"/credential/"_s + name,
                               .tenant = tenant,
                               .details = {}});
    if (!a)
        return a.error();
    return tx->commit();
}

Result<QList<QPair<QByteArray, qint64>>> CredentialStore::keyIds()
{
    auto r = m_db.exec("SELECT key_id, count(*) FROM credentials GROUP BY key_id ORDER BY 2 DESC");
    if (!r)
        return r.error();
    QList<QPair<QByteArray, qint64>> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->bytes(i, 0), r->int64(i, 1)});
    return out;
}

Result<QJsonValue> CredentialStore::unseal(const SealedCredential &sealed, const MasterKey &key)
{
    if (sealed.keyId != key.id())
        return makeError(
            u"credential '%1' was sealed under master key %2, but this agent's "
            "master key is %3: point credentials.master_key_file at the key it was "
            "stored with, or store the credential again"_s.arg(
                sealed.name, QString::fromLatin1(sealed.keyId), QString::fromLatin1(key.id())));
    auto plain = key.open(sealed.ciphertext, sealed.nonce);
    if (!plain)
        return makeError(
            u"credential '%1' cannot be opened: %2"_s.arg(sealed.name, plain.error().message));
    const QJsonObject o = QJsonDocument::fromJson(*plain).object();
    plain->fill('\0');
    if (o.value("tenant_id"_L1).toString() != QString::number(sealed.tenantId) ||
        o.value("name"_L1).toString() != sealed.name)
        return makeError(u"credential '%1' does not belong to this row (copied from another "
                         "tenant or name?): store it again"_s.arg(sealed.name));
    return o.value("secret"_L1);
}

Result<qint64> CredentialStore::reseal(const MasterKey *current, const MasterKey &next,
                                       QStringList *unknown)
{
    auto r = m_db.exec("SELECT c.id, c.tenant_id, c.name, c.ciphertext, c.nonce, c.key_id, t.name "
                       "FROM credentials c JOIN tenants t ON t.id = c.tenant_id "
                       "WHERE c.key_id <> $1 ORDER BY c.id FOR UPDATE OF c",
                       {next.id()});
    if (!r)
        return r.error();
    qint64 done = 0;
    for (int i = 0; i < r->rows(); ++i) {
        const SealedCredential sealed{r->int64(i, 0), r->int64(i, 1), r->text(i, 2),
                                      r->bytea(i, 3), r->bytea(i, 4), r->bytes(i, 5)};
        const QString where = r->text(i, 6) + u"/credential/"_s + sealed.name;
        if (!current || sealed.keyId != current->id()) {
            unknown->append(u"%1 (master key %2)"_s.arg(where, QString::fromLatin1(sealed.keyId)));
            continue;
        }
        auto secret = unseal(sealed, *current);
        if (!secret)
            return makeError(u"%1: %2"_s.arg(where, secret.error().message));
        QByteArray plain = envelope(sealed.tenantId, sealed.name, *secret);
        QByteArray nonce;
        const QByteArray ciphertext = next.seal(plain, &nonce);
        plain.fill('\0');
        auto u = m_db.exec("UPDATE credentials SET ciphertext = $2, nonce = $3, key_id = $4, "
                           "fingerprint = $5 WHERE id = $1",
                           {QByteArray::number(sealed.id), pgBytea(ciphertext), pgBytea(nonce),
                            next.id(), next.fingerprint(canonical(*secret))});
        if (!u)
            return u.error();
        ++done;
    }
    return done;
}

} // namespace ferry::agent::store
