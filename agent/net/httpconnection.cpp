#include "agent/net/httpconnection.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::agent::net {

namespace {

constexpr qint64 kReadChunk = qint64(64) * 1024;
// How long a refused client's remaining bytes are read and dropped so that it sees the answer.
constexpr qint64 kLingerMs = 2000;

} // namespace

HttpResponder::HttpResponder(std::shared_ptr<HttpSlot> slot)
    : m_slot(std::move(slot))
{}

void HttpResponder::respond(const HttpResponse &response)
{
    if (m_slot && m_slot->owner && !m_slot->ready)
        m_slot->owner->fill(*m_slot, response);
}

quintptr HttpResponder::connectionId() const
{
    return m_slot ? m_slot->ownerId : 0;
}

HttpConnection::HttpConnection(HttpServer &server, QTcpSocket *socket, qint64 now)
    : QObject(&server)
    , m_server(server)
    , m_socket(socket)
    , m_parser(server.m_limits.request)
    , m_peer(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_lastActivity(now)
{
    socket->setParent(this);
    // Qt stops reading from the kernel when this much waits unread: a client that sends
    // faster than it is served is slowed by TCP, not buffered here.
    socket->setReadBufferSize(kReadChunk);
    // Answers leave at once: a keep-alive client waits for each one.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QIODevice::readyRead, this, &HttpConnection::pump);
    connect(socket, &QIODevice::bytesWritten, this, [this] {
        m_lastActivity = m_server.now();
        if (m_lingering && m_socket->bytesToWrite() == 0)
            shutDownWrite();
        else if (!m_closing)
            pump();
    });
    connect(socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            deleteLater();
    });
}

HttpConnection::~HttpConnection()
{
    m_server.removed(this);
}

bool HttpConnection::paused() const
{
    return m_slots.size() >= size_t(m_server.m_limits.maxPipelined) ||
           m_socket->bytesToWrite() > m_server.m_limits.maxUnsentBytes;
}

// Reads and parses while the limits allow: stops when an answer is owed to too many requests
// or too much is unsent, so that a client never makes the agent hold more than that.
void HttpConnection::pump()
{
    if (m_lingering) {
        while (m_socket->read(kReadChunk).size() > 0) {
        }
        return;
    }
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_closing && !paused()) {
        const Refill refilled = refill();
        if (refilled == Refill::Gone)
            return; // this object is gone
        if (refilled == Refill::Stop)
            break;
        const HttpParser::State before = m_parser.state();
        if (before == HttpParser::State::Head && !m_parser.inProgress())
            m_requestStart = m_server.now();
        step(before, m_parser.feed(m_in));
    }
    m_pumping = false;
}

// Unparsed bytes in m_in, read from the socket if none wait there; a connection that asks for
// a WebSocket is handed over before its first byte is parsed.
HttpConnection::Refill HttpConnection::refill()
{
    if (!m_in.isEmpty())
        return Refill::Ready;
    if (!m_upgradeChecked && !m_parser.inProgress()) {
        const Upgrade upgrade = tryUpgrade();
        if (upgrade == Upgrade::HandedOver)
            return Refill::Gone;
        if (upgrade == Upgrade::Wait)
            return Refill::Stop;
    }
    m_in = m_socket->read(kReadChunk);
    return m_in.isEmpty() ? Refill::Stop : Refill::Ready;
}

void HttpConnection::step(HttpParser::State before, qsizetype used)
{
    m_in.remove(0, used);
    switch (m_parser.state()) {
    case HttpParser::State::Head:
        break;
    case HttpParser::State::Body:
        if (before == HttpParser::State::Head) {
            m_bodyMarkTime = m_server.now();
            m_bodyMarkBytes = 0;
            // Interim answer only when nothing is owed before it on this connection.
            if (m_parser.request().expectContinue && m_slots.empty())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        } else if (m_parser.bodyBytes() - m_bodyMarkBytes >= HttpServerLimits::kBodyProgressBytes) {
            m_bodyMarkTime = m_server.now();
            m_bodyMarkBytes = m_parser.bodyBytes();
        }
        break;
    case HttpParser::State::Done:
        dispatch();
        break;
    case HttpParser::State::Failed: {
        const auto failure = m_parser.failure();
        refuse(failure.status, failure.slug, failure.detail);
        break;
    }
    }
}

void HttpConnection::dispatch()
{
    HttpRequest request = m_parser.takeRequest();
    request.remoteAddress = m_peer;
    request.remotePort = m_peerPort;
    m_requestStart = -1;
    ++m_requests;
    m_upgradeChecked = true;
    auto slot = std::make_shared<HttpSlot>();
    slot->owner = this;
    slot->ownerId = quintptr(this);
    slot->headOnly = request.method == "HEAD";
    slot->close = !request.keepAlive || m_server.m_stopped;
    if (slot->close)
        m_closing = true; // what follows a last request is not read
    m_slots.push_back(slot);
    m_server.m_handler(std::move(request), HttpResponder(slot));
}

void HttpConnection::refuse(int status, const QString &slug, const QString &detail)
{
    m_closing = true;
    auto slot = std::make_shared<HttpSlot>();
    slot->owner = this;
    slot->close = true;
    slot->linger = true;
    m_slots.push_back(slot);
    fill(*slot, m_server.m_refusal(status, slug, detail));
}

void HttpConnection::fill(HttpSlot &slot, const HttpResponse &response)
{
    if (response.close || m_server.m_stopped)
        slot.close = true;
    slot.bytes = response.serialize(slot.close, slot.headOnly);
    slot.ready = true;
    flush();
}

void HttpConnection::flush()
{
    bool wrote = false;
    while (!m_slots.empty() && m_slots.front()->ready) {
        const auto slot = m_slots.front();
        m_slots.pop_front();
        m_socket->write(slot->bytes);
        wrote = true;
        if (slot->close) {
            m_closing = true;
            m_slots.clear();
            if (slot->linger)
                return linger();
            m_socket->disconnectFromHost(); // after the answers queued before it are sent
            return;
        }
    }
    if (!wrote)
        return;
    m_lastActivity = m_server.now();
    // Handed to the kernel now: a keep-alive client is waiting for it.
    m_socket->flush();
    if (!m_closing)
        pump(); // reading may have paused for these answers
}

// A connection's first request, looked at before it is read: a WebSocket handshake stays in
// the socket for the QWebSocketServer to read.
HttpConnection::Upgrade HttpConnection::tryUpgrade()
{
    if (!m_server.m_webSockets) {
        m_upgradeChecked = true;
        return Upgrade::No;
    }
    const qsizetype limit = m_server.m_limits.request.maxHeadBytes;
    const QByteArray peeked = m_socket->peek(limit + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0)
        return peeked.size() > limit ? (m_upgradeChecked = true, Upgrade::No) : Upgrade::Wait;
    m_upgradeChecked = true;
    HttpParser probe(m_server.m_limits.request);
    probe.feed(QByteArrayView(peeked).first(end + 4));
    if (probe.state() == HttpParser::State::Failed || !probe.request().isWebSocketUpgrade())
        return Upgrade::No;
    HttpRequest handshake = probe.takeRequest();
    handshake.remoteAddress = m_peer;
    handshake.remotePort = m_peerPort;
    m_socket->disconnect(this);
    m_socket->setReadBufferSize(0);
    m_socket->setParent(nullptr);
    m_server.handOver(this, std::exchange(m_socket, nullptr), handshake);
    deleteLater();
    return Upgrade::HandedOver;
}

bool HttpConnection::expire(qint64 now)
{
    const HttpServerLimits &limits = m_server.m_limits;
    if (!m_socket)
        return false;
    if (m_lingering) {
        if (now <= m_lingerUntil)
            return false;
        m_socket->abort();
        return true;
    }
    if (m_socket->bytesToWrite() > 0) {
        if (now - m_lastActivity <= limits.idleTimeoutMs)
            return false;
        m_socket->abort(); // a reader that stopped reading
        return true;
    }
    if (m_parser.state() == HttpParser::State::Body) {
        if (now - m_bodyMarkTime <= limits.bodyTimeoutMs)
            return false;
        closeWith(408, u"the request body stopped advancing; send it without pauses"_s);
        return true;
    }
    if (!m_slots.empty())
        return false; // a handler is working on an answer
    const bool started = m_parser.inProgress() || m_requests == 0;
    const qint64 since = m_parser.inProgress() ? m_requestStart : m_lastActivity;
    if (now - since <= (started ? limits.headerTimeoutMs : limits.idleTimeoutMs))
        return false;
    if (m_parser.inProgress())
        closeWith(408, u"the request headers did not arrive in time"_s);
    else
        m_socket->disconnectFromHost();
    return true;
}

void HttpConnection::closeWith(int status, const QString &detail)
{
    m_closing = true;
    m_slots.clear();
    m_socket->write(
        m_server.m_refusal(status, u"request-timeout"_s, detail).serialize(true, false));
    m_lastActivity = m_server.now();
    linger();
}

// After an answer that refused a request before its end, the client may still be sending:
// closing at once would make the kernel reset the connection and drop the answer unread. So
// the sending side is shut and the rest is read and dropped for a short while (what HTTP
// servers call a lingering close). TLS connections close with their own close_notify.
void HttpConnection::linger()
{
    m_lingering = true;
    m_lingerUntil = m_server.now() + kLingerMs;
    if (qobject_cast<QSslSocket *>(m_socket)) {
        m_socket->disconnectFromHost();
        return;
    }
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        shutDownWrite();
    pump(); // drops what already waits
}

void HttpConnection::shutDownWrite()
{
    if (m_writeShut || qobject_cast<QSslSocket *>(m_socket))
        return;
    m_writeShut = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

bool HttpConnection::evictable() const
{
    return m_socket && m_slots.empty() && m_parser.state() != HttpParser::State::Body &&
           m_socket->bytesToWrite() == 0;
}

void HttpConnection::evict()
{
    m_closing = true;
    m_socket->abort();
    deleteLater();
}

} // namespace ferry::agent::net
