#pragma once

#include "agent/store/apitokenstore.h"
#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"

#include <QJsonObject>
#include <QRegularExpressionMatch>
#include <QString>

#include <optional>

class QHttpServerRequest;

namespace ferry::agent::api {

struct ApiReply
{
    int status = 200;
    QByteArray body;
};

// The write side of the TLS API (docs/api.md): a tenant's producer tokens and CURVE keys, routes,
// and provider credentials. ApiServer authenticates and checks the route's role and scope, then
// hands these routes here; tenant visibility of the resource is checked here. Credentials are
// write-only: no answer, log line or audit row carries a secret.
class WriteRoutes
{
public:
    WriteRoutes(store::PgConnection &db, const std::optional<MasterKey> &masterKey, QString actor);

    // The answer when `key` ("METHOD /path/{placeholders}") is one of these routes.
    std::optional<ApiReply> handle(const QString &key, const QRegularExpressionMatch &match,
                                   const QHttpServerRequest &request,
                                   const store::ApiPrincipal &who, const QJsonObject &body);

private:
    ApiReply producers(const QString &key, const QString &tenant, qint64 id,
                       const QHttpServerRequest &request, const QJsonObject &body);
    ApiReply routes(const QString &key, qint64 id, const QHttpServerRequest &request,
                    const store::ApiPrincipal &who, const QJsonObject &body);
    ApiReply credentials(const QString &key, qint64 tenantId, const QString &tenant,
                         const QString &name, const QHttpServerRequest &request,
                         const QJsonObject &body);
    ApiReply storeError(const Error &e);

    store::PgConnection &m_db;
    const std::optional<MasterKey> &m_masterKey;
    QString m_actor;
};

} // namespace ferry::agent::api
