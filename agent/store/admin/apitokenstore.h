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
    QString tenant;
    QString note;
    QDateTime createdAt;
    QDateTime expiresAt;
    QDateTime revokedAt;
};

// Tokens of the TLS API: created by `ferry-agent token create`, checked by the API server.
class ApiTokenStore
{
public:
    ApiTokenStore(PgConnection &db, QString actor = {});

    // Returns the token (shown once); only its hash is stored.
    Result<QByteArray> create(Role role, const QString &tenant, const QDateTime &expiresAt,
                              const QString &note);
    Result<QList<ApiTokenInfo>> list();
    Result<void> revoke(qint64 id);
    // The principal of a token that exists, has not expired and is not revoked.
    Result<std::optional<ApiPrincipal>> authenticate(const QByteArray &token);

private:
    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
