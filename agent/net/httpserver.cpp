#include "agent/net/httpserver.h"

#include "agent/net/httpconnection.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::net {

// Hands every accepted descriptor to the server before Qt makes a socket of it: the limits
// are checked first, and a TLS connection is a QSslSocket from its first byte.
class HttpServer::Listener final : public QTcpServer
{
public:
    explicit Listener(HttpServer &server)
        : QTcpServer(&server)
        , m_server(server)
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_server.accept(descriptor); }

private:
    HttpServer &m_server;
};

namespace {

HttpResponse plainRefusal(int status, const QString & /*slug*/, const QString &detail)
{
    return {status, "text/plain; charset=utf-8", detail.toUtf8() + '\n'};
}

} // namespace

HttpServer::HttpServer(const HttpServerLimits &limits, Handler handler, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_refusal(plainRefusal)
    , m_listener(new Listener(*this))
    , m_sweep(new QTimer(this))
{
    m_clock.start();
    const qint64 shortest =
        std::min({limits.headerTimeoutMs, limits.bodyTimeoutMs, limits.idleTimeoutMs});
    m_sweep->setInterval(int(std::clamp<qint64>(shortest / 4, 50, 1000)));
    connect(m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
}

HttpServer::~HttpServer()
{
    const auto open = m_connections.keys();
    qDeleteAll(open);
}

void HttpServer::setTls(const QSslConfiguration &tls)
{
    m_tls = tls;
}

void HttpServer::enableWebSockets(std::function<void(const HttpRequest &)> handshake,
                                  std::function<void(std::unique_ptr<QWebSocket>)> accepted)
{
    m_handshake = std::move(handshake);
    // The sockets handed over are already decrypted: the WebSocket server itself is plain.
    m_webSockets = new QWebSocketServer(u"ferry"_s, QWebSocketServer::NonSecureMode, this);
    m_webSockets->setHandshakeTimeout(std::chrono::milliseconds(m_limits.headerTimeoutMs));
    connect(m_webSockets, &QWebSocketServer::newConnection, this,
            [this, accepted = std::move(accepted)] {
                while (m_webSockets->hasPendingConnections())
                    accepted(std::unique_ptr<QWebSocket>(m_webSockets->nextPendingConnection()));
            });
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    // Room in the kernel for a burst of connections while the event loop is busy (Qt's default
    // is 50); the kernel caps it at net.core.somaxconn.
    m_listener->setListenBacklogSize(1024);
    if (!m_listener->listen(address, port))
        return false;
    m_sweep->start();
    return true;
}

QString HttpServer::errorString() const
{
    return m_listener->errorString();
}

quint16 HttpServer::serverPort() const
{
    return m_listener->serverPort();
}

void HttpServer::stopListening()
{
    m_stopped = true;
    m_listener->close();
}

void HttpServer::accept(qintptr descriptor)
{
    QTcpSocket *socket = m_tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    if (m_stopped || !makeRoom(peer)) {
        socket->abort();
        delete socket;
        return;
    }
    auto *connection = new HttpConnection(*this, socket, now());
    m_connections.insert(connection, peer);
    ++m_perAddress[peer];
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        tls->setSslConfiguration(*m_tls);
        tls->startServerEncryption();
    }
}

// Room for one more connection from `peer`: none beyond its own cap; at the total cap, the
// longest-quiet connection that has nothing in flight is closed for it.
bool HttpServer::makeRoom(const QHostAddress &peer)
{
    if (m_perAddress.value(peer) >= m_limits.maxConnectionsPerAddress)
        return false;
    if (m_connections.size() < m_limits.maxConnections)
        return true;
    HttpConnection *quietest = nullptr;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (it.key()->evictable() &&
            (!quietest || it.key()->lastActivity() < quietest->lastActivity()))
            quietest = it.key();
    }
    if (!quietest)
        return false;
    quietest->evict();
    removed(quietest);
    return true;
}

void HttpServer::removed(HttpConnection *connection)
{
    if (!m_connections.contains(connection))
        return;
    const QHostAddress peer = m_connections.take(connection);
    if (--m_perAddress[peer] <= 0)
        m_perAddress.remove(peer);
}

void HttpServer::handOver(HttpConnection *connection, QTcpSocket *socket,
                          const HttpRequest &handshake)
{
    removed(connection);
    m_handshake(handshake);
    // It reads the handshake still waiting in the socket, and deletes the socket when it
    // disconnects.
    m_webSockets->handleConnection(socket);
}

void HttpServer::sweep()
{
    const qint64 at = now();
    const auto open = m_connections.keys();
    for (HttpConnection *connection : open)
        connection->expire(at);
}

} // namespace ferry::agent::net
