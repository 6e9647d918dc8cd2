#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>

namespace ferry::agent::store {

enum class Role { Viewer = 1, Operator = 2, Admin = 3 };
QString roleName(Role role);
std::optional<Role> parseRole(const QString &name);

struct ApiPrincipal
{
    qint64 tokenId = 0;
    Role role = Role::Viewer;
    qint64 tenantId = 0; // 0: all tenants
    QString tenant;
};

struct ApiTokenInfo
{
    qint64 id = 0;
    Role role = Role::Viewer;
    QString tenant; // empty: all tenants
    QString note;   // its name (label)
    QDateTime createdAt;
    QDateTime expiresAt;
    QDateTime revokedAt;
    qint64 tenantId = 0; // 0: all tenants
};

// A token just made: the secret is in this answer only.
struct NewApiToken
{
    qint64 id = 0;
    QByteArray token;
    QDateTime createdAt;
};

// Tokens of the TLS API: created by `ferry-agent token create` or POST /v1/tokens, checked by
// the API server. Creations and revocations are audited in their own transaction.
class ApiTokenStore
{
public:
    ApiTokenStore(PgConnection &db, QString actor = {});

    // Returns the token (shown once); only its hash is stored.
    Result<QByteArray> create(Role role, const QString &tenant, const QDateTime &expiresAt,
                              const QString &note);
    // The same with the new token's id; code 422 when there is no such tenant.
    Result<NewApiToken> issue(Role role, const QString &tenant, const QDateTime &expiresAt,
                              const QString &note);
    Result<QList<ApiTokenInfo>> list();
    // One page by id: the tokens of tenant `tenantId` (0: of every tenant and unscoped ones)
    // after `afterId`.
    Result<QList<ApiTokenInfo>> page(qint64 tenantId, qint64 afterId, int limit);
    Result<std::optional<ApiTokenInfo>> find(qint64 id);
    // Code 404 when there is no such token that is not revoked yet.
    Result<void> revoke(qint64 id);
    // The principal of a token that exists, has not expired and is not revoked.
    Result<std::optional<ApiPrincipal>> authenticate(const QByteArray &token);

private:
    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
