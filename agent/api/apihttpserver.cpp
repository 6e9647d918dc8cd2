#include "agent/api/apihttpserver.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

using Scope = RouteInfo::Scope;

QRegularExpression routePattern(const QString &path)
{
    QString re = QRegularExpression::escape(path);
    re.replace(u"\\{tenant\\}"_s, u"(?<tenant>[a-z0-9_-]+)"_s);
    re.replace(u"\\{id\\}"_s, u"(?<id>[0-9a-fA-F-]{36})"_s);
    re.replace(u"\\{num\\}"_s, u"(?<num>[0-9]{1,18})"_s);
    re.replace(u"\\{name\\}"_s, u"(?<name>[a-z0-9][a-z0-9_.-]{0,62})"_s);
    re.replace(u"\\{channel\\}"_s, u"(?<channel>[a-z][a-z0-9_-]{0,31})"_s);
    re.replace(u"\\{eventType\\}"_s, u"(?<eventType>\\*|[A-Za-z0-9][A-Za-z0-9_.:-]{0,199})"_s);
    re.replace(u"\\{version\\}"_s, u"(?<version>[A-Za-z0-9][A-Za-z0-9._-]{0,63})"_s);
    return QRegularExpression(u"^"_s + re + u"$"_s);
}

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

// The route of the table that takes WebSocket handshakes (the live feed).
const RouteInfo &webSocketRoute()
{
    for (const RouteInfo &route : ApiServer::routes()) {
        if (route.upgrade == RouteInfo::Upgrade::WebSocket)
            return route;
    }
    Q_UNREACHABLE();
}

} // namespace

// The WebSocket messages a client may send (the live feed takes small subscription changes).
constexpr qint64 kMaxWebSocketMessage = qint64(64) * 1024;

ApiHttpServer::ApiHttpServer(const ApiServer::Options &options, const QSslConfiguration &tls)
    : m_options(options)
    , m_replica(options.readUrl, options.readMaxLagMs, options.connectTimeoutSeconds,
                options.statementTimeoutMs)
    , m_server(new net::HttpServer(
          options.limits,
          [this](net::HttpRequest &&request, net::HttpResponder responder) {
              serve(std::move(request), std::move(responder));
          },
          this))
{
    m_db.setReadTimeout(options.statementTimeoutMs); // api.statement_timeout
    m_db.setReconnectBackoff(false); // each request may try: its caller waits for the answer
    // The agent refused to start with a list that does not parse; without one, nothing is
    // allowed, the safe side.
    if (auto guard = adapters::SsrfGuard::parse(options.allowedNetworks))
        m_ssrfGuard = *guard;
    for (const auto &r : ApiServer::routes())
        m_patterns.append(routePattern(r.path));
    m_clock.start();
    m_server->setTls(tls);
    m_server->setRefusal([](int status, const QString &slug, const QString &detail) {
        const ApiReply reply = ApiReply::problem(status, slug, u"Request refused"_s, detail);
        return net::HttpResponse{status, "application/problem+json", reply.body};
    });
    m_server->enableWebSockets(
        [this](const net::HttpRequest &handshake) {
            forgetStaleUpgrades();
            Upgrade verdict = checkUpgrade(handshake);
            verdict.at = m_clock.elapsed();
            m_upgrades.insert(peerKey(handshake.remoteAddress, handshake.remotePort), verdict);
        },
        [this](std::unique_ptr<QWebSocket> socket) { acceptWebSocket(std::move(socket)); });
}

bool ApiHttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

void ApiHttpServer::serve(net::HttpRequest &&request, net::HttpResponder responder)
{
    const ApiReply reply =
        request.isWebSocketUpgrade()
            ? ApiReply::problem(400, u"websocket-not-first"_s, u"WebSocket handshake refused"_s,
                                u"open a new connection for the live feed's handshake"_s)
            : handle(request);
    QList<QPair<QByteArray, QByteArray>> headers{{"Cache-Control", "no-store"}};
    headers += reply.headers;
    responder.respond({reply.status,
                       !reply.contentType.isEmpty() ? reply.contentType
                       : reply.status >= 400        ? QByteArray("application/problem+json")
                                                    : QByteArray("application/json"),
                       reply.body, headers});
}

ApiHttpServer::Match ApiHttpServer::match(const QByteArray &method, const QString &path) const
{
    Match found;
    for (qsizetype i = 0; i < m_patterns.size(); ++i) {
        auto m = m_patterns[i].match(path);
        if (!m.hasMatch())
            continue;
        found.pathKnown = true;
        if (ApiServer::routes()[i].method == method) {
            found.route = &ApiServer::routes()[i];
            found.parameters = m;
            break;
        }
    }
    return found;
}

// Dispatch: the route of the table, its caller, the role and scope it needs, its handler.
ApiReply ApiHttpServer::handle(const net::HttpRequest &request)
{
    const QString path = request.url.path();
    const Match m = match(request.method, path);
    if (!m.route)
        return m.pathKnown
                   ? ApiReply::problem(405, u"method-not-allowed"_s, u"Method not allowed"_s,
                                       u"see docs/api.md for the methods of %1"_s.arg(path))
                   : ApiReply::notFound(u"no resource at %1 (see docs/api.md)"_s.arg(path));
    auto caller = m_auth.authenticate(request);
    if (!caller)
        return refusal(caller.error());
    if (auto denied = forbidden(*m.route, caller->who))
        return ApiReply::problem(403, u"forbidden"_s, u"Forbidden"_s, *denied);
    const auto body = bodyOf(request);
    if (!body)
        return body.error();
    ReadReplica::Choice reads{&m_db, {}};
    if (m.route->reads == RouteInfo::Reads::Replica)
        reads = m_replica.choose(m_db);
    const ApiRequest context{*m.route,
                             request,
                             caller->who,
                             m.parameters,
                             *body,
                             *reads.db,
                             m_options.masterKey,
                             m_ssrfGuard,
                             &m_options.execCommands,
                             m_options.agentId,
                             m_tokensRevoked,
                             m_options.misplaced};
    ApiReply reply = m.route->handler(context);
    reply.headers += reads.headers;
    return reply;
}

ApiReply ApiHttpServer::refusal(const Authenticator::Failure &failure)
{
    using Refusal = Authenticator::Refusal;
    switch (failure.refusal) {
    case Refusal::NoBearer:
        return ApiReply::problem(401, u"unauthorized"_s, u"Not authenticated"_s,
                                 u"send 'Authorization: Bearer <token>' with a token from "
                                 "'ferry-agent token create'"_s);
    case Refusal::Throttled:
        return ApiReply::problem(429, u"too-many-failures"_s, u"Too many failed authentications"_s,
                                 u"this address sent too many bad tokens; wait a minute"_s);
    case Refusal::NoDatabase:
        return ApiReply::problem(503, u"store-unavailable"_s, u"Database unavailable"_s,
                                 failure.storeMessage.isEmpty()
                                     ? u"the agent cannot reach PostgreSQL; retry shortly"_s
                                     : failure.storeMessage);
    case Refusal::BadToken:
        break;
    }
    return ApiReply::problem(401, u"unauthorized"_s, u"Not authenticated"_s,
                             u"the token is unknown, expired or revoked"_s);
}

// Why the caller may not use the route; nothing when it may.
std::optional<QString> ApiHttpServer::forbidden(const RouteInfo &route,
                                                const store::ApiPrincipal &who)
{
    if (int(who.role) < int(route.minRole))
        return u"this needs the %1 role; the token has %2"_s.arg(store::roleName(route.minRole),
                                                                 store::roleName(who.role));
    if (route.scope == Scope::GlobalOnly && who.tenantId != 0)
        return u"a tenant-scoped token cannot use this; it needs an unscoped token"_s;
    return std::nullopt;
}

// The JSON object a POST, PUT or PATCH sent (empty when none); 400 when it is not one.
Result<QJsonObject, ApiReply> ApiHttpServer::bodyOf(const net::HttpRequest &request)
{
    const QByteArray &method = request.method;
    if ((method != "POST" && method != "PUT" && method != "PATCH") || request.body.isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return ApiReply::problem(400, u"invalid-json"_s, u"Invalid request body"_s,
                                 u"the body must be a JSON object"_s);
    return doc.object();
}

// The live feed's WebSocket handshake, checked before net::HttpServer hands the socket to its
// QWebSocketServer (docs/decisions/0014-live-feed-websocket.md); the verdict waits, by peer
// address and port, for the WebSocket that follows.
ApiHttpServer::Upgrade ApiHttpServer::checkUpgrade(const net::HttpRequest &request)
{
    const QString path = request.url.path();
    const RouteInfo &route = webSocketRoute();
    if (!m_patterns[&route - ApiServer::routes().data()].match(path).hasMatch())
        return {{}, 0, u"no WebSocket at %1; the live feed is %2"_s.arg(path.left(60), route.path)};
    auto caller = m_auth.authenticate(request);
    if (!caller) {
        using Refusal = Authenticator::Refusal;
        switch (caller.error().refusal) {
        case Refusal::NoBearer:
            return {{}, 0, u"send 'Authorization: Bearer <token>' in the handshake"_s};
        case Refusal::Throttled:
            return {{}, 0, u"this address sent too many bad tokens; wait a minute"_s};
        case Refusal::NoDatabase:
            return {{}, 0, u"the agent cannot reach its database; retry shortly"_s};
        case Refusal::BadToken:
            return {{}, 0, u"the token is unknown, expired or revoked"_s};
        }
    }
    if (auto denied = forbidden(route, caller->who))
        return {{}, 0, *denied};
    return {caller->token, caller->who.tenantId, {}};
}

// A WebSocket after its handshake: an accepted one joins the live feed; a refused one is
// closed with 1008 and gets no data.
void ApiHttpServer::acceptWebSocket(std::unique_ptr<QWebSocket> socket)
{
    if (!socket)
        return;
    socket->setMaxAllowedIncomingMessageSize(kMaxWebSocketMessage);
    socket->setMaxAllowedIncomingFrameSize(kMaxWebSocketMessage);
    const auto verdict = m_upgrades.take(peerKey(socket->peerAddress(), socket->peerPort()));
    if (verdict && verdict->refusal.isEmpty())
        return m_live.add(std::move(socket), verdict->token, verdict->tenantId);
    QWebSocket *raw = socket.release();
    QObject::connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
    QTimer::singleShot(5000, raw, [raw] { raw->abort(); }); // a peer that never answers
    raw->close(QWebSocketProtocol::CloseCodePolicyViolated,
               verdict ? verdict->refusal : u"the handshake was not checked; reconnect"_s);
}

// Verdicts whose handshake never completed (the WebSocket server gave up on it).
void ApiHttpServer::forgetStaleUpgrades()
{
    const qint64 now = m_clock.elapsed();
    m_upgrades.removeIf([&](const auto &entry) {
        return !entry.value() || now - entry.value()->at > 2 * m_options.limits.headerTimeoutMs;
    });
}

store::PgConnection *ApiHttpServer::database()
{
    if (!m_db.isOpen() && !m_db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds))
        return nullptr;
    return &m_db;
}

} // namespace ferry::agent::api
