#include "agent/api/resources/tokensresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/apitokenstore.h"
#include "shared/retrypolicy.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::tokens {

namespace {

using store::Role;

// The longest name (label) a token may have.
constexpr qsizetype kMaxName = 200;

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject tokenJson(const store::ApiTokenInfo &t)
{
    return {{u"id"_s, t.id},
            {u"name"_s, textOrNull(t.note)},
            {u"role"_s, store::roleName(t.role)},
            {u"tenant"_s, textOrNull(t.tenant)},
            {u"created_at"_s, apijson::iso(t.createdAt)},
            {u"expires_at"_s, apijson::isoOrNull(t.expiresAt)},
            {u"revoked"_s, t.revokedAt.isValid()},
            {u"revoked_at"_s, apijson::isoOrNull(t.revokedAt)}};
}

ApiReply forbidden(const QString &detail)
{
    return ApiReply::problem(403, u"forbidden"_s, u"Forbidden"_s, detail);
}

// A role the caller may hand out: its own or a lower one.
Result<Role, ApiReply> askedRole(const ApiRequest &request)
{
    const auto role = store::parseRole(request.body.value("role"_L1).toString());
    if (!role)
        return ApiReply::invalidField(u"role"_s, u"give viewer, operator or admin"_s);
    if (int(*role) > int(request.who.role))
        return forbidden(u"a %1 token cannot make a %2 token: ask someone with a %2 token"_s.arg(
            store::roleName(request.who.role), store::roleName(*role)));
    return *role;
}

// The tenant of a new token (empty: every tenant): the body's `tenant`, or a scoped caller's
// own when it gives none. Only unscoped callers make tokens for every tenant.
Result<QString, ApiReply> askedTenant(const ApiRequest &request)
{
    const QJsonValue value = request.body.value("tenant"_L1);
    const auto &who = request.who;
    if (value.isUndefined() && who.tenantId != 0)
        return who.tenant;
    if (value.isUndefined() || value.isNull()) {
        if (who.tenantId != 0)
            return forbidden(u"a tenant-scoped token makes tokens of its own tenant only; a token "
                             "for every tenant needs an unscoped admin token"_s);
        return QString();
    }
    const QString name = value.toString();
    if (name.isEmpty())
        return ApiReply::invalidField(u"tenant"_s,
                                      u"a tenant's name, or null for a token of every tenant"_s);
    auto found = store::AdminStore(request.db, request.actor()).findTenant(name);
    if (!found)
        return request.writeError(found.error());
    if (who.tenantId != 0 && *found != who.tenantId)
        return ApiReply::notFound(u"no tenant named '%1'"_s.arg(name));
    if (*found == 0)
        return ApiReply::invalidField(u"tenant"_s,
                                      u"no tenant named '%1' (see GET /v1/tenants)"_s.arg(name));
    return name;
}

// `name` (a label, optional) and `expires_in` (a duration, optional) of a new token.
std::optional<ApiReply> readLabelAndExpiry(const ApiRequest &request, QString *name,
                                           QDateTime *expiresAt)
{
    const QJsonValue label = request.body.value("name"_L1);
    if (!label.isUndefined() && !label.isNull() && !label.isString())
        return ApiReply::invalidField(u"name"_s, u"a label such as \"console of ana\""_s);
    *name = label.toString().trimmed();
    if (name->size() > kMaxName)
        return ApiReply::invalidField(
            u"name"_s, u"%1 characters; keep it to %2"_s.arg(name->size()).arg(kMaxName));
    const QJsonValue expires = request.body.value("expires_in"_L1);
    if (expires.isUndefined() || expires.isNull())
        return std::nullopt;
    const auto ms = parseDurationMs(expires.toString());
    if (!expires.isString() || !ms || *ms <= 0)
        return ApiReply::invalidField(u"expires_in"_s, u"a duration such as 30d or 12h, or null "
                                                       "for a token that does not expire"_s);
    *expiresAt = QDateTime::currentDateTimeUtc().addMSecs(*ms);
    return std::nullopt;
}

// The token {num} as the caller may act on it: 404 for a token it may not see.
Result<store::ApiTokenInfo, ApiReply> visibleToken(const ApiRequest &request, qint64 id)
{
    auto found = store::ApiTokenStore(request.db, request.actor()).find(id);
    if (!found)
        return request.storeError(found.error());
    if (!*found || (request.who.tenantId != 0 && (*found)->tenantId != request.who.tenantId))
        return ApiReply::notFound(u"no API token %1 (see GET /v1/tokens)"_s.arg(id));
    return **found;
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"tenant"_s, u"limit"_s, u"cursor"_s}))
        return *bad;
    auto page = request.page(u"k:"_s);
    if (!page)
        return page.error();
    qint64 tenantId = request.who.tenantId;
    if (const QString tenant = request.queryValue(u"tenant"_s); !tenant.isEmpty()) {
        auto found = store::AdminStore(request.db, request.actor()).findTenant(tenant);
        if (!found)
            return request.writeError(found.error());
        if (*found == 0 || (tenantId != 0 && *found != tenantId))
            return ApiReply::notFound(u"no tenant named '%1'"_s.arg(tenant));
        tenantId = *found;
    }
    auto rows = store::ApiTokenStore(request.db, request.actor())
                    .page(tenantId, page->position.toLongLong(), page->limit + 1);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (qsizetype i = 0; i < rows->size() && i < page->limit; ++i)
        items.append(tokenJson(rows->at(i)));
    const QJsonValue next =
        rows->size() > page->limit
            ? apijson::cursorFor(u"k:"_s, QString::number(rows->at(page->limit - 1).id))
            : QJsonValue();
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}});
}

ApiReply create(const ApiRequest &request)
{
    const auto role = askedRole(request);
    if (!role)
        return role.error();
    QString name;
    QDateTime expiresAt;
    if (auto bad = readLabelAndExpiry(request, &name, &expiresAt))
        return *bad;
    const auto tenant = askedTenant(request);
    if (!tenant)
        return tenant.error();
    auto made =
        store::ApiTokenStore(request.db, request.actor()).issue(*role, *tenant, expiresAt, name);
    if (!made)
        return request.writeError(made.error());
    store::ApiTokenInfo info{made->id, *role, *tenant, name, made->createdAt, expiresAt, {}, 0};
    QJsonObject o = tokenJson(info);
    o.insert(u"token"_s, QString::fromLatin1(made->token));
    return ApiReply::json(o, 201);
}

ApiReply revoke(const ApiRequest &request)
{
    const qint64 id = request.pathParameter(u"num"_s).toLongLong();
    const auto token = visibleToken(request, id);
    if (!token)
        return token.error();
    if (id == request.who.tokenId)
        return ApiReply::problem(409, u"own-token"_s, u"Cannot revoke the calling token"_s,
                                 u"a token cannot revoke itself (the client would lock itself "
                                 "out mid-request): revoke it with another admin token, or with "
                                 "'ferry-agent token revoke %1' on the agent's host"_s.arg(id));
    if (token->revokedAt.isValid())
        return ApiReply::problem(409, u"already-revoked"_s, u"Already revoked"_s,
                                 u"token %1 was revoked at %2; nothing to do"_s.arg(id).arg(
                                     apijson::iso(token->revokedAt)));
    if (int(token->role) > int(request.who.role))
        return forbidden(u"a %1 token cannot revoke a %2 token"_s.arg(
            store::roleName(request.who.role), store::roleName(token->role)));
    if (auto r = store::ApiTokenStore(request.db, request.actor()).revoke(id); !r)
        return request.writeError(r.error());
    request.tokensRevoked();
    return ApiReply::noContent();
}

} // namespace ferry::agent::api::tokens
