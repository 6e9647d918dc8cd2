#pragma once

#include "agent/net/httpparser.h"
#include "agent/net/httpserver.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>

class QTcpSocket;

namespace ferry::agent::net {

// One answer's place in its connection's order.
struct HttpSlot
{
    QPointer<HttpConnection> owner;
    quintptr ownerId = 0;
    bool ready = false;
    bool close = false;
    bool headOnly = false;
    bool linger = false; // the request was not read to its end: see HttpConnection::linger()
    QByteArray bytes;
};

// One client connection of an HttpServer: reads and parses requests while the limits allow,
// hands them to the server's handler and writes the answers in order.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(HttpServer &server, QTcpSocket *socket, qint64 now);
    ~HttpConnection() override;

    void fill(HttpSlot &slot, const HttpResponse &response);
    // True when a sweep at `now` finds it past a time limit; it is then being closed.
    bool expire(qint64 now);
    // Closing it makes room for a new client: nothing of a request is in flight.
    bool evictable() const;
    qint64 lastActivity() const { return m_lastActivity; }
    void evict();

private:
    enum class Upgrade { Wait, HandedOver, No };
    enum class Refill { Ready, Stop, Gone }; // Gone: this object was handed over

    void pump();
    bool paused() const;
    void step(HttpParser::State before, qsizetype used);
    void dispatch();
    void refuse(int status, const QString &slug, const QString &detail);
    void flush();
    Upgrade tryUpgrade();
    Refill refill();
    void closeWith(int status, const QString &detail);
    void linger();
    void shutDownWrite();

    HttpServer &m_server;
    QTcpSocket *m_socket;
    HttpParser m_parser;
    const QHostAddress m_peer; // taken once: Qt builds a new QHostAddress on every call
    const quint16 m_peerPort;
    QByteArray m_in; // read from the socket, not yet parsed
    std::deque<std::shared_ptr<HttpSlot>> m_slots;
    qint64 m_lastActivity; // accepted, last answer written, or last write progress
    qint64 m_requestStart = -1;
    qint64 m_bodyMarkTime = 0;
    qint64 m_bodyMarkBytes = 0;
    int m_requests = 0;
    bool m_closing = false; // nothing more is read
    bool m_pumping = false;
    bool m_upgradeChecked = false;
    bool m_lingering = false; // answered and closing: what the client still sends is dropped
    bool m_writeShut = false;
    qint64 m_lingerUntil = 0;
};

} // namespace ferry::agent::net
