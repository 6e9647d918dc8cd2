#pragma once

#include "agent/api/apirequest.h"
#include "agent/api/apiserver.h"
#include "agent/api/authenticator.h"
#include "agent/api/livefeed.h"
#include "agent/api/readreplica.h"

#include "agent/net/httpserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QRegularExpression>

#include <memory>
#include <optional>

class QWebSocket;

namespace ferry::agent::api {

// The API's HTTP server on its thread (a bounded net::HttpServer with TLS): matches a request
// against the route table (ApiServer::routes()), authenticates it, checks the route's role and
// scope and calls the route's handler. A WebSocket handshake to a WebSocket route is
// authenticated the same way and its socket joins the live feed.
class ApiHttpServer final : public QObject
{
public:
    ApiHttpServer(const ApiServer::Options &options, const QSslConfiguration &tls);
    bool listen(const QHostAddress &address, quint16 port);

private:
    struct Match
    {
        const RouteInfo *route = nullptr; // none: no route for this method and path
        QRegularExpressionMatch parameters;
        bool pathKnown = false; // some route has this path, with another method
    };
    // A WebSocket handshake's verdict, waiting (by peer) for the socket that follows.
    struct Upgrade
    {
        QByteArray token;
        qint64 tenantId = 0;
        QString refusal; // empty: accepted
        qint64 at = 0;   // when it was checked (m_clock)
    };

    Match match(const QByteArray &method, const QString &path) const;
    void serve(net::HttpRequest &&request, net::HttpResponder responder);
    ApiReply handle(const net::HttpRequest &request);
    static ApiReply refusal(const Authenticator::Failure &failure);
    static std::optional<QString> forbidden(const RouteInfo &route, const store::ApiPrincipal &who);
    static Result<QJsonObject, ApiReply> bodyOf(const net::HttpRequest &request);
    Upgrade checkUpgrade(const net::HttpRequest &request);
    void acceptWebSocket(std::unique_ptr<QWebSocket> socket);
    void forgetStaleUpgrades();
    // The connection, opened; nullptr when the database is unreachable.
    store::PgConnection *database();

    ApiServer::Options m_options;
    QList<QRegularExpression> m_patterns; // one per route of the table, in its order
    store::PgConnection m_db;
    ReadReplica m_replica;
    adapters::SsrfGuard m_ssrfGuard; // webhook.allowed_networks (the agent checked it)
    Authenticator m_auth{[this] { return database(); }};
    QHash<QString, std::optional<Upgrade>> m_upgrades; // handshakes checked, by peer
    QElapsedTimer m_clock;
    LiveFeed m_live{[this] { return database(); }};
    std::function<void()> m_tokensRevoked{[this] { m_live.tokensRevoked(); }};
    net::HttpServer *m_server;
};

} // namespace ferry::agent::api
