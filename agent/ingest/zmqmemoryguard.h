#pragma once

#include <QByteArray>
#include <QHash>
#include <QtGlobal>

#include <vector>

namespace ferry::agent::ingest {

// Bounds what ZeroMQ producers make the agent hold before the ingest loop reads it. libzmq
// limits each frame (ZMQ_MAXMSGSIZE) and counts its high-water mark in whole messages, but it
// keeps every frame of a multipart message until the last one arrives: one connection could
// send frames without end. So per connection (its descriptor, from the socket monitor) the
// bytes the kernel received (TCP_INFO) are set against the bytes the loop read from it
// (ZMQ_SRCFD of each frame, counted with a generous per-frame overhead so that framing and
// CURVE boxes never make an honest producer look behind). A connection whose difference passes
// the per-connection cap is shut down, and while the sum passes the total cap, the one that
// holds most; libzmq then drops the connection with what it buffered.
class ZmqMemoryGuard
{
public:
    struct Limits
    {
        qint64 perConnection = 32LL << 20;
        qint64 total = 128LL << 20;
    };
    explicit ZmqMemoryGuard(Limits limits);

    void accepted(int fd);
    void closed(int fd);
    // A frame of `bytes` read from the connection on `fd` (-1: unknown, ignored).
    void consumed(int fd, qint64 bytes);
    // Shuts down the connections over a cap; returns their descriptors (for the log).
    std::vector<int> enforce();
    void clear() { m_connections.clear(); }

private:
    struct Connection
    {
        qint64 read = 0; // bytes read, overhead included
        QByteArray peer; // its address: a reused descriptor is told apart by it
    };
    // Bytes received and not read; -1 when the descriptor is no longer this connection.
    static qint64 unread(int fd, const Connection &c);

    Limits m_limits;
    QHash<int, Connection> m_connections;
};

} // namespace ferry::agent::ingest
