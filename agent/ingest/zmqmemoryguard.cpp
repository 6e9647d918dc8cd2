#include "agent/ingest/zmqmemoryguard.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

namespace ferry::agent::ingest {

namespace {

// More than a frame costs on the wire: a 9-byte ZMTP header, and with CURVE a MESSAGE command
// with its nonce and box. Counting more keeps an honest producer's difference at or below 0.
constexpr qint64 kFrameOverhead = 64;
// The greeting and handshake (with CURVE, its HELLO, INITIATE and metadata) before any frame.
constexpr qint64 kHandshakeAllowance = 8192;

// Bytes the kernel received on the connection, or -1 when it is gone.
qint64 received(int fd)
{
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return -1;
    return qint64(info.tcpi_bytes_received);
}

QByteArray peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &size) != 0)
        return {};
    return {reinterpret_cast<const char *>(&address), qsizetype(size)};
}

} // namespace

ZmqMemoryGuard::ZmqMemoryGuard(Limits limits)
    : m_limits(limits)
{}

void ZmqMemoryGuard::accepted(int fd)
{
    m_connections.insert(fd, {kHandshakeAllowance, peerOf(fd)});
}

void ZmqMemoryGuard::closed(int fd)
{
    m_connections.remove(fd);
}

void ZmqMemoryGuard::consumed(int fd, qint64 bytes)
{
    const auto it = m_connections.find(fd);
    if (it != m_connections.end())
        it->read += bytes + kFrameOverhead;
}

qint64 ZmqMemoryGuard::unread(int fd, const Connection &c)
{
    // libzmq may have closed the descriptor, and another part of the agent reused the number,
    // before its monitor says so: never judge (or shut down) a socket that is not this one.
    if (c.peer.isEmpty() || peerOf(fd) != c.peer)
        return -1;
    const qint64 got = received(fd);
    return got < 0 ? -1 : std::max<qint64>(0, got - c.read);
}

std::vector<int> ZmqMemoryGuard::enforce()
{
    std::vector<int> cut;
    std::vector<int> gone;
    std::vector<std::pair<qint64, int>> held; // unread bytes, descriptor
    qint64 total = 0;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        const qint64 n = unread(it.key(), it.value());
        if (n < 0) {
            gone.push_back(it.key());
        } else if (n > m_limits.perConnection) {
            cut.push_back(it.key());
        } else {
            held.emplace_back(n, it.key());
            total += n;
        }
    }
    std::sort(held.begin(), held.end(), std::greater<>());
    for (const auto &[n, fd] : held) {
        if (total <= m_limits.total)
            break;
        cut.push_back(fd);
        total -= n;
    }
    for (const int fd : cut)
        ::shutdown(fd, SHUT_RDWR);
    for (const int fd : cut)
        m_connections.remove(fd);
    for (const int fd : gone)
        m_connections.remove(fd);
    return cut;
}

} // namespace ferry::agent::ingest
