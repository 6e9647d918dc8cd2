#include "agent/store/admin/apitokenstore.h"

#include "agent/store/admin/auditlog.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer:
        return u"viewer"_s;
    case Role::Operator:
        return u"operator"_s;
    case Role::Admin:
        return u"admin"_s;
    }
    return {};
}

std::optional<Role> parseRole(const QString &name)
{
    if (name == "viewer"_L1)
        return Role::Viewer;
    if (name == "operator"_L1)
        return Role::Operator;
    if (name == "admin"_L1)
        return Role::Admin;
    return std::nullopt;
}

namespace {

// The columns tokenAt() reads; a WHERE clause follows.
constexpr const char *kSelectTokens =
    "SELECT k.id, k.role, coalesce(t.name, ''), coalesce(k.note, ''), k.created_at,"
    "  k.expires_at, k.revoked_at, coalesce(k.tenant_id, 0) "
    "FROM api_tokens k LEFT JOIN tenants t ON t.id = k.tenant_id ";

ApiTokenInfo tokenAt(const PgResult &r, int i)
{
    return {r.int64(i, 0),
            parseRole(r.text(i, 1)).value_or(Role::Viewer),
            r.text(i, 2),
            r.text(i, 3),
            r.timestamp(i, 4),
            r.isNull(i, 5) ? QDateTime() : r.timestamp(i, 5),
            r.isNull(i, 6) ? QDateTime() : r.timestamp(i, 6),
            r.int64(i, 7)};
}

QByteArray optional(const QString &s)
{
    return s.isEmpty() ? QByteArray() : s.toUtf8();
}

} // namespace

ApiTokenStore::ApiTokenStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

Result<QByteArray> ApiTokenStore::create(Role role, const QString &tenant,
                                         const QDateTime &expiresAt, const QString &note)
{
    auto made = issue(role, tenant, expiresAt, note);
    if (!made)
        return made.error();
    return made->token;
}

Result<NewApiToken> ApiTokenStore::issue(Role role, const QString &tenant,
                                         const QDateTime &expiresAt, const QString &note)
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(raw.begin(), raw.end());
    const QByteArray token =
        "fat_" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    const QByteArray expires =
        expiresAt.isValid() ? expiresAt.toUTC().toString(Qt::ISODate).toUtf8() : QByteArray();
    // The token and its audit entry commit together, or neither does.
    return m_db.inTransaction([&]() -> Result<NewApiToken> {
        auto r = m_db.exec(
            "INSERT INTO api_tokens (token_hash, role, tenant_id, expires_at, note) "
            "SELECT $1, $2, t.id, $4, $5 FROM (SELECT NULL) x "
            "LEFT JOIN tenants t ON t.name = $3 "
            "WHERE $3::text IS NULL OR t.id IS NOT NULL RETURNING id, created_at",
            {pgBytea(hash), roleName(role).toUtf8(), optional(tenant), expires, optional(note)});
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return makeError(u"no tenant named '%1' (see 'ferry-agent tenant list')"_s.arg(tenant),
                             422);
        const NewApiToken made{r->int64(0, 0), token, r->timestamp(0, 1)};
        const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : s; };
        auto a =
            writeAudit(m_db, {.actor = m_actor,
                              .action = u"token.create"_s,
                              .subject = QString::number(made.id),
                              .tenant = tenant,
                              .details = {{u"role"_s, roleName(role)},
                                          {u"tenant"_s, orNull(tenant)},
                                          {u"name"_s, orNull(note)},
                                          {u"expires_at"_s, orNull(QString::fromUtf8(expires))}}});
        if (!a)
            return a.error();
        return made;
    });
}

Result<QList<ApiTokenInfo>> ApiTokenStore::list()
{
    return page(0, 0, std::numeric_limits<int>::max());
}

Result<QList<ApiTokenInfo>> ApiTokenStore::page(qint64 tenantId, qint64 afterId, int limit)
{
    auto r = m_db.exec(
        QByteArray(kSelectTokens) + "WHERE ($1::bigint = 0 OR k.tenant_id = $1) AND k.id > $2 "
                                    "ORDER BY k.id LIMIT $3",
        {QByteArray::number(tenantId), QByteArray::number(afterId), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ApiTokenInfo> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(tokenAt(*r, i));
    return out;
}

Result<std::optional<ApiTokenInfo>> ApiTokenStore::find(qint64 id)
{
    auto r = m_db.exec(QByteArray(kSelectTokens) + "WHERE k.id = $1", {QByteArray::number(id)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<ApiTokenInfo>();
    return std::optional<ApiTokenInfo>(tokenAt(*r, 0));
}

Result<void> ApiTokenStore::revoke(qint64 id)
{
    // The revocation and its audit entry commit together, or neither does.
    return m_db.inTransaction([&]() -> Result<void> {
        auto r = m_db.exec("UPDATE api_tokens a SET revoked_at = now() WHERE id = $1 AND "
                           "revoked_at IS NULL "
                           "RETURNING id, (SELECT name FROM tenants t WHERE t.id = a.tenant_id)",
                           {QByteArray::number(id)});
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return makeError(
                u"no active API token with id %1 (see 'ferry-agent token list')"_s.arg(id), 404);
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"token.revoke"_s,
                                 .subject = QString::number(id),
                                 .tenant = r->isNull(0, 1) ? QString() : r->text(0, 1),
                                 .details = {}});
    });
}

Result<std::optional<ApiPrincipal>> ApiTokenStore::authenticate(const QByteArray &token)
{
    const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    auto r = m_db.exec("SELECT k.id, k.role, coalesce(k.tenant_id, 0), coalesce(t.name, '') "
                       "FROM api_tokens k LEFT JOIN tenants t ON t.id = k.tenant_id "
                       "WHERE k.token_hash = $1 AND k.revoked_at IS NULL "
                       "  AND (k.expires_at IS NULL OR k.expires_at > now())",
                       {pgBytea(hash)});
    if (!r)
        return r.error();
    const auto &rows = *r;
    if (rows.rows() == 0)
        return std::optional<ApiPrincipal>();
    return std::optional<ApiPrincipal>(
        ApiPrincipal{rows.int64(0, 0), parseRole(rows.text(0, 1)).value_or(Role::Viewer),
                     rows.int64(0, 2), rows.text(0, 3)});
}

} // namespace ferry::agent::store
