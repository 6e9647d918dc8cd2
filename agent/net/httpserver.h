#pragma once

#include "agent/net/httplimits.h"
#include "agent/net/httprequest.h"
#include "agent/net/httpresponse.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace ferry::agent::net {

class HttpConnection;
struct HttpSlot;

// The answer to one request, given once, from the server's thread, at any time: answers on a
// connection leave in request order however their handlers complete. Answering after the
// client left does nothing.
class HttpResponder
{
public:
    HttpResponder() = default;
    explicit HttpResponder(std::shared_ptr<HttpSlot> slot);
    void respond(const HttpResponse &response);
    // Equal for the requests of one connection.
    quintptr connectionId() const;

private:
    std::shared_ptr<HttpSlot> m_slot;
};

// A bounded HTTP/1.1 server on Qt sockets (docs/decisions/0025-own-http-server.md): a strict
// incremental parser, limits on the head, the body (refused as soon as it is declared or
// counted too large), time for the head, the body's progress and keep-alive, connections in
// total and per client address, read-ahead and unsent answers. Optionally TLS on every
// connection, and WebSocket handshakes handed to a QWebSocketServer.
class HttpServer final : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(HttpRequest &&, HttpResponder)>;
    // The answer to a request refused by the server itself (status, slug, detail).
    using Refusal = std::function<HttpResponse(int, const QString &, const QString &)>;

    HttpServer(const HttpServerLimits &limits, Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    void setRefusal(Refusal refusal) { m_refusal = std::move(refusal); }
    // Every connection speaks TLS with this configuration.
    void setTls(const QSslConfiguration &tls);
    // WebSocket handshakes (a GET with "Upgrade: websocket" as a connection's first request)
    // are shown to `handshake` and then completed by a QWebSocketServer; `accepted` gets each
    // WebSocket that results.
    void enableWebSockets(std::function<void(const HttpRequest &)> handshake,
                          std::function<void(std::unique_ptr<QWebSocket>)> accepted);

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    quint16 serverPort() const;
    // Stops accepting connections; open ones are served, their answers say "Connection: close".
    void stopListening();

private:
    friend class HttpConnection;
    class Listener;

    void accept(qintptr descriptor);
    bool makeRoom(const QHostAddress &peer);
    void removed(HttpConnection *connection);
    void handOver(HttpConnection *connection, QTcpSocket *socket, const HttpRequest &handshake);
    void sweep();
    qint64 now() const { return m_clock.elapsed(); }

    HttpServerLimits m_limits;
    Handler m_handler;
    Refusal m_refusal;
    std::optional<QSslConfiguration> m_tls;
    Listener *m_listener = nullptr;
    QTimer *m_sweep = nullptr;
    QElapsedTimer m_clock;
    QHash<HttpConnection *, QHostAddress> m_connections;
    QHash<QHostAddress, int> m_perAddress;
    bool m_stopped = false;
    QWebSocketServer *m_webSockets = nullptr;
    std::function<void(const HttpRequest &)> m_handshake;
};

} // namespace ferry::agent::net
